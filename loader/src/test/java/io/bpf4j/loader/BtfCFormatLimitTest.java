package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.isa.BpfException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C dump writes a gap between members as one padding line per 64 bits, as bpftool does. A
 * crafted struct whose size or member offset leaves a gap of billions of bits (found by
 * {@code ReaderFuzzTest}: a mutated object took 3 to 16 s and grew without bound) is refused with a
 * message naming the type, in well under a second, while real gaps still print as bpftool prints them.
 */
class BtfCFormatLimitTest {
    /** Raw BTF with one INT "int" (id 1) and a struct "s" (id 2) of the given size with one int member at bit offset 0. */
    private static byte[] structOfSize(long sizeBytes) {
        byte[] strings = "\0int\0s\0m\0".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer types = ByteBuffer.allocate(16 + 12 + 12).order(ByteOrder.LITTLE_ENDIAN);
        types.putInt(1).putInt(1 << 24).putInt(4).putInt((1 << 24) | 32); // int: signed, 32 bits
        types.putInt(5).putInt((4 << 24) | 1).putInt((int) sizeBytes);     // struct s, 1 member
        types.putInt(7).putInt(1).putInt(0);                               // m: int at bit 0
        ByteBuffer b = ByteBuffer.allocate(24 + types.capacity() + strings.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24);
        b.putInt(0).putInt(types.capacity()).putInt(types.capacity()).putInt(strings.length);
        b.put(types.array()).put(strings);
        return b.array();
    }

    @Test
    void aGapOfBillionsOfBitsIsRefusedNamingTheStruct() {
        BpfBtf btf = BpfBtf.parse(structOfSize(0xffff_fff0L));
        long start = System.nanoTime();
        assertThatThrownBy(btf::formatC).isInstanceOf(BpfException.class)
                // the member ends at bit 32; "int: 32;" aligns to 64, the rest would be "long: 64;" lines
                .hasMessage("btf: [2] s: a gap of " + (0xffff_fff0L * 8 - 64) + " bits at bit offset 64 needs more than the C dump's "
                        + BtfCFormat.MAX_PADDING_LINES + " padding lines");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void ordinaryGapsStillPrintAsBpftoolPrintsThem(@TempDir Path dir) throws Exception {
        for (long size : new long[] {4, 5, 24, 4096, 1 << 16}) {
            byte[] raw = structOfSize(size);
            Path file = dir.resolve("s" + size + ".btf");
            Files.write(file, raw);
            Process p = new ProcessBuilder("bpftool", "btf", "dump", "file", file.toString(), "format", "c")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String bpftool = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as("bpftool exit for size %d", size).isZero();
            assertThat(BpfBtf.parse(raw).formatC()).as("struct of %d bytes", size).isEqualTo(bpftool);
        }
    }

    /** Raw little-endian BTF from type records (each int[] one record's words) and a string section. */
    private static byte[] rawBtf(String strings, int[]... records) {
        byte[] str = strings.getBytes(StandardCharsets.US_ASCII);
        int typeLen = 0;
        for (int[] r : records) {
            typeLen += 4 * r.length;
        }
        ByteBuffer b = ByteBuffer.allocate(24 + typeLen + str.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24);
        b.putInt(0).putInt(typeLen).putInt(typeLen).putInt(str.length);
        for (int[] r : records) {
            for (int w : r) {
                b.putInt(w);
            }
        }
        return b.put(str).array();
    }

    private static final int TYPEDEF = 8 << 24;
    private static final int CONST = 10 << 24;
    private static final int PTR = 2 << 24;

    /** Found by ReaderFuzzTest: a typedef of itself recursed until the stack overflowed. */
    @Test
    void aTypedefOfItselfIsRefusedNamingIt() {
        BpfBtf btf = BpfBtf.parse(rawBtf("\0T\0", new int[] {1, TYPEDEF, 1}));
        assertThatThrownBy(btf::formatC).isInstanceOf(BpfException.class)
                .hasMessage("btf: [1] TYPEDEF 'T' refers back to itself through typedefs, modifiers, pointers or arrays");
        // a longer loop: typedef T -> const -> pointer -> typedef T
        BpfBtf longer = BpfBtf.parse(rawBtf("\0T\0", new int[] {1, TYPEDEF, 2}, new int[] {0, CONST, 3}, new int[] {0, PTR, 1}));
        assertThatThrownBy(longer::formatC).isInstanceOf(BpfException.class).hasMessageContaining("refers back to itself");
    }

    @Test
    void aChainDeeperThanTheLimitIsRefused() {
        int n = BtfCFormat.MAX_DEPTH + 10;
        int[][] records = new int[n + 1][];
        records[0] = new int[] {1, 1 << 24, 4, (1 << 24) | 32}; // int
        for (int i = 1; i <= n; i++) {
            records[i] = new int[] {0, CONST, i}; // [i + 1] const -> [i]
        }
        BpfBtf btf = BpfBtf.parse(rawBtf("\0int\0", records));
        assertThatThrownBy(btf::formatC).isInstanceOf(BpfException.class).hasMessageContaining("nested more than 1000 types deep");
    }

    /** The legitimate cycle through a struct, {@code typedef struct s S; struct s { S *next; };}, still prints as bpftool prints it. */
    @Test
    void aCycleThroughAStructStillPrintsAsBpftoolPrintsIt(@TempDir Path dir) throws Exception {
        byte[] raw = rawBtf("\0S\0s\0next\0",
                new int[] {1, TYPEDEF, 2},                 // [1] typedef S -> [2]
                new int[] {3, (4 << 24) | 1, 8, 5, 3, 0},  // [2] struct s { [3] next; } size 8
                new int[] {0, PTR, 1});                    // [3] S *
        Path file = dir.resolve("cycle.btf");
        Files.write(file, raw);
        Process p = new ProcessBuilder("bpftool", "btf", "dump", "file", file.toString(), "format", "c")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String bpftool = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(bpftool).contains("struct s {");
        assertThat(BpfBtf.parse(raw).formatC()).isEqualTo(bpftool);
    }
}
