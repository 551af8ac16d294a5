package io.bpf4j.elf.btf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.elf.btf.MalformedBtfException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BtfExtTest {
    static Stream<ByteOrder> orders() {
        return Stream.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
    }

    /** BTF whose strings hold a section name, a file name, a source line and access strings. */
    private static Btf btf(ByteOrder order, int[] offsets) {
        BtfWriter w = new BtfWriter(order);
        w.intType("int", 4, 1, 0, 32);
        w.type(null, 13, 0, false, 1);
        w.type("prog", 12, 1, false, 2);
        offsets[0] = w.str("xdp");
        offsets[1] = w.str("/src/prog.c");
        offsets[2] = w.str("\treturn 0;");
        offsets[3] = w.str("0:1");
        return Btf.parse(w.bytes(), order);
    }

    /** A .BTF.ext with a 32-byte header; {@code edit} may change the buffer before it is returned. */
    private static byte[] ext(ByteOrder order, int[] s, Consumer<ByteBuffer> edit) {
        ByteBuffer b = ByteBuffer.allocate(32 + 20 + 28 + 44).order(order);
        b.putShort((short) 0xeb9f).put((byte) 1).put((byte) 0).putInt(32);
        b.putInt(0).putInt(20);          // func_info: rec_size, 1 block of 1 record
        b.putInt(20).putInt(28);         // line_info: rec_size, 1 block of 1 record
        b.putInt(48).putInt(44);         // core_relo: rec_size, 1 block of 2 records
        b.putInt(8).putInt(s[0]).putInt(1).putInt(16).putInt(3);
        b.putInt(16).putInt(s[0]).putInt(1).putInt(24).putInt(s[1]).putInt(s[2]).putInt(42 << 10 | 7);
        b.putInt(16).putInt(s[0]).putInt(2).putInt(8).putInt(1).putInt(s[3]).putInt(0).putInt(32).putInt(3).putInt(0).putInt(12);
        edit.accept(b);
        return b.array();
    }

    @ParameterizedTest
    @MethodSource("orders")
    void readsEveryRecordKind(ByteOrder order) {
        int[] s = new int[4];
        Btf btf = btf(order, s);
        BtfExt ext = BtfExt.parse(ext(order, s, b -> {}), order, btf);
        assertThat(ext.headerLength()).isEqualTo(32);
        assertThat(ext.funcInfo("xdp")).containsExactly(new FuncInfo(16, 3));
        assertThat(ext.funcInfo("xdp").get(0).insnIndex()).isEqualTo(2);
        assertThat(ext.lineInfo("xdp")).containsExactly(new LineInfo(24, s[1], "/src/prog.c", s[2], "\treturn 0;", 42, 7));
        assertThat(ext.coreRelos("xdp")).containsExactly(new CoreRelo(8, 1, s[3], "0:1", CoreReloKind.FIELD_BYTE_OFFSET),
                new CoreRelo(32, 3, 0, "", CoreReloKind.TYPE_MATCHES));
        assertThat(ext.funcInfo("tc")).isEmpty();
        assertThat(ext.toString()).isEqualTo("BtfExt[1 func_info, 1 line_info, 2 core_relo]");
    }

    @ParameterizedTest
    @MethodSource("orders")
    void aHeaderWithoutCoreReloHasNone(ByteOrder order) {
        int[] s = new int[4];
        Btf btf = btf(order, s);
        BtfExt ext = BtfExt.parse(ext(order, s, b -> b.putInt(4, 24).putInt(8, 8).putInt(16, 28)), order, btf);
        // With a 24-byte header the sub-section offsets count from byte 24, hence the shift by 8.
        assertThat(ext.coreRelos()).isEmpty();
        assertThat(ext.funcInfo("xdp")).containsExactly(new FuncInfo(16, 3));
        assertThat(ext.lineInfo("xdp")).hasSize(1);
    }

    private static void assertMalformed(ByteOrder order, Consumer<ByteBuffer> edit, Reason reason) {
        int[] s = new int[4];
        Btf btf = btf(order, s);
        byte[] data = ext(order, s, edit);
        assertThatThrownBy(() -> BtfExt.parse(data, order, btf)).isInstanceOfSatisfying(MalformedBtfException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @ParameterizedTest
    @MethodSource("orders")
    void rejectsBadData(ByteOrder order) {
        assertMalformed(order, b -> b.putShort(0, (short) 0x9feb), Reason.BAD_MAGIC);
        assertMalformed(order, b -> b.put(2, (byte) 2), Reason.UNSUPPORTED_VERSION);
        assertMalformed(order, b -> b.put(3, (byte) 1), Reason.UNSUPPORTED_FLAGS);
        assertMalformed(order, b -> b.putInt(4, 8), Reason.BAD_HEADER);
        assertMalformed(order, b -> b.putInt(4, b.capacity()), Reason.BAD_HEADER);
        assertMalformed(order, b -> b.putInt(8, 2), Reason.BAD_HEADER);
        assertMalformed(order, b -> b.putInt(12, 1000), Reason.SECTION_PAST_END);
        assertMalformed(order, b -> b.putInt(32, 6), Reason.INVALID_VALUE);          // func_info rec_size
        assertMalformed(order, b -> b.putInt(40, 0), Reason.INVALID_VALUE);          // num_info 0
        assertMalformed(order, b -> b.putInt(40, 3), Reason.SECTION_PAST_END);       // num_info too large
        assertMalformed(order, b -> b.putInt(36, 5000), Reason.STRING_OFFSET_OUT_OF_RANGE);
        assertMalformed(order, b -> b.putInt(48, 99), Reason.TYPE_ID_OUT_OF_RANGE);  // func_info type_id
        assertMalformed(order, b -> b.putInt(32 + 48 + 24, 13), Reason.INVALID_VALUE); // relo kind 13
        assertMalformed(order, b -> b.putInt(12, 4), Reason.BAD_HEADER);            // only a rec_size
    }
}
