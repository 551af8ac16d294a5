package io.bpf4j.elf.btf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The hand-encoded BTF dumps exactly as bpftool printed it (goldens by tools/gen_btf_goldens.sh). */
class SyntheticBtfGoldenTest {
    static Stream<ByteOrder> orders() {
        return Stream.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = SyntheticBtfGoldenTest.class.getResourceAsStream("/btf/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @MethodSource("orders")
    void everyKindDumpsLikeBpftool(ByteOrder order) throws IOException {
        assertThat(BtfDumper.dump(Btf.parse(SyntheticBtf.everyKind(order), order))).isEqualTo(golden("every-kind.txt"));
    }

    @ParameterizedTest
    @MethodSource("orders")
    void splitDumpsLikeBpftoolWithABase(ByteOrder order) throws IOException {
        byte[] base = SyntheticBtf.everyKind(order);
        Btf split = Btf.parseSplit(SyntheticBtf.split(order, base), Btf.parse(base, order));
        assertThat(BtfDumper.dump(split)).isEqualTo(golden("split.txt"));
    }
}
