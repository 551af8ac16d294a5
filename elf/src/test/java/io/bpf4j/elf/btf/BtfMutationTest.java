package io.bpf4j.elf.btf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.bpf4j.isa.BpfException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Raw BTF (plain and split) cut at every byte and with every 32-bit word set to extremes. */
class BtfMutationTest {
    static Stream<ByteOrder> orders() {
        return Stream.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
    }

    private static void survives(byte[] data, ByteOrder order, Btf base, String what) {
        agreesWithTheExactCheck(data, order, base, what);
        try {
            Btf btf = base == null ? Btf.parse(data, order) : Btf.parseSplit(data, base);
            assertThat(btf.toString()).isNotEmpty();
            BtfDumper.dump(btf);
            for (BtfType t : btf.types()) {
                try {
                    btf.resolve(t.id());
                    btf.sizeOf(t.id());
                } catch (BtfException expected) {
                    // no size, or a loop: typed
                }
            }
        } catch (BpfException expected) {
            assertThat(expected.getMessage()).as(what).isNotBlank();
        } catch (RuntimeException | Error e) {
            throw new AssertionError(what + ": escaped as " + e, e);
        }
    }

    /** Parsing takes one checking pass; the two exact passes behind it must judge the data the same way. */
    private static void agreesWithTheExactCheck(byte[] data, ByteOrder order, Btf base, String what) {
        String exact = null;
        try {
            BtfParser.checkExactly(data, order, base);
        } catch (MalformedBtfException e) {
            exact = e.getMessage();
        }
        String parsed = null;
        try {
            if (base == null) {
                Btf.parse(data, order);
            } else {
                Btf.parseSplit(data, base);
            }
        } catch (MalformedBtfException e) {
            parsed = e.getMessage();
        }
        assertThat(parsed).as(what).isEqualTo(exact);
    }

    private static void mutate(byte[] good, ByteOrder order, Btf base) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int len = 0; len < good.length; len++) {
                survives(Arrays.copyOf(good, len), order, base, "truncated to " + len);
            }
            long[] extremes = {0, 0xffffffffL, 0x7fffffffL, good.length, good.length + 1, 1L << 24, 1L << 31 | 4L << 24 | 0xffff};
            for (int at = 0; at + 4 <= good.length; at += 4) {
                for (long v : extremes) {
                    byte[] b = good.clone();
                    ByteBuffer.wrap(b).order(order).putInt(at, (int) v);
                    survives(b, order, base, "word at " + at + " = " + v);
                }
            }
            Random random = new Random(42);
            for (int i = 0; i < 2000; i++) {
                byte[] b = good.clone();
                b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
                survives(b, order, base, "flip " + i);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("orders")
    void everyKind(ByteOrder order) {
        mutate(SyntheticBtf.everyKind(order), order, null);
    }

    @ParameterizedTest
    @MethodSource("orders")
    void splitOnAnIntactBase(ByteOrder order) {
        byte[] base = SyntheticBtf.everyKind(order);
        mutate(SyntheticBtf.split(order, base), order, Btf.parse(base, order));
    }
}
