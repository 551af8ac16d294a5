package io.bpf4j.elf.btf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.elf.btf.MalformedBtfException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BtfParseTest {
    static Stream<ByteOrder> orders() {
        return Stream.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
    }

    static byte[] everyKind(ByteOrder order) {
        return SyntheticBtf.everyKind(order);
    }

    @ParameterizedTest
    @MethodSource("orders")
    void decodesEveryKind(ByteOrder order) {
        Btf btf = Btf.parse(everyKind(order), order);
        assertThat(btf.typeCount()).isEqualTo(26);
        assertThat(btf.types()).extracting(BtfType::kind).extracting(BtfKind::number)
                .startsWith(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 12, 14, 15, 16, 17, 18, 19);
        assertThat(btf.type(1)).isEqualTo(new BtfType.Int(1, "int", 4, 1, 0, 32));
        assertThat(btf.type(3)).isEqualTo(new BtfType.Array(3, "", 1, 1, 10));
        BtfType.Struct s = (BtfType.Struct) btf.type(4);
        assertThat(s.members()).containsExactly(new BtfType.Member("a", 1, 5, 3), new BtfType.Member("b", 2, 32, 0));
        assertThat(((BtfType.Enum) btf.type(6)).values()).containsExactly(new BtfType.EnumValue("NEG", -5), new BtfType.EnumValue("POS", 7));
        assertThat(((BtfType.Fwd) btf.type(7)).union()).isTrue();
        assertThat(((BtfType.FuncProto) btf.type(12)).isVariadic()).isTrue();
        assertThat(btf.type(13)).isEqualTo(new BtfType.Func(13, "f", 12, FuncLinkage.EXTERN));
        assertThat(btf.type(14)).isEqualTo(new BtfType.Var(14, "v", 10, VarLinkage.GLOBAL_ALLOCATED));
        assertThat(((BtfType.DataSec) btf.type(15)).vars()).containsExactly(new BtfType.VarSecInfo(14, 0, 8));
        assertThat(btf.type(17)).isEqualTo(new BtfType.DeclTag(17, "tag", 4, 1, false));
        assertThat(btf.type(18)).isEqualTo(new BtfType.TypeTag(18, "user", 1, false));
        assertThat(((BtfType.Enum64) btf.type(19)).values().get(0).value()).isEqualTo(0xfedcba9889abcdefL);
        assertThat(BtfDumper.dump(btf, btf.type(19))).isEqualTo("[19] ENUM64 'e64' encoding=UNSIGNED size=8 vlen=1\n\t'BIG' val=18364758544817573359ULL\n");
        assertThat(BtfDumper.dump(btf, btf.type(4))).isEqualTo(
                "[4] STRUCT 's' size=8 vlen=2\n\t'a' type_id=1 bits_offset=5 bitfield_size=3\n\t'b' type_id=2 bits_offset=32\n");
        assertThat(BtfDumper.dump(btf, btf.type(15))).isEqualTo("[15] DATASEC '.data' size=8 vlen=1\n\ttype_id=14 offset=0 size=8 (VAR 'v')\n");
    }

    @ParameterizedTest
    @MethodSource("orders")
    void wrapReadsTheArrayInPlaceAndParseCopiesIt(ByteOrder order) {
        byte[] bytes = everyKind(order);
        Btf copied = Btf.parse(bytes, order);
        Btf wrapped = Btf.wrap(bytes, order);
        assertThat(wrapped.types()).isEqualTo(copied.types());
        // the caller's array changed after parsing: the copy does not see it, the wrapped BTF does
        int at = BtfParser.HEADER_MIN + 12;  // type 1 (INT)'s encoding word: its bit width in the low byte
        bytes[order == ByteOrder.LITTLE_ENDIAN ? at : at + 3] = 16;
        assertThat(((BtfType.Int) copied.type(1)).bits()).isEqualTo(32);
        assertThat(((BtfType.Int) Btf.wrap(bytes, order).type(1)).bits()).isEqualTo(16);
    }

    @ParameterizedTest
    @MethodSource("orders")
    void resolvesModifiersAndSizes(ByteOrder order) {
        Btf btf = Btf.parse(everyKind(order));
        assertThat(btf.byteOrder()).isEqualTo(order);
        assertThat(btf.resolve(10)).isInstanceOf(BtfType.Struct.class); // const -> volatile -> typedef -> struct
        assertThat(btf.resolve(2)).isInstanceOf(BtfType.Ptr.class);
        assertThat(btf.sizeOf(3)).isEqualTo(40);
        assertThat(btf.sizeOf(14)).isEqualTo(8);
        assertThat(btf.sizeOf(2)).isEqualTo(8);
        assertThat(btf.sizeOf(18)).isEqualTo(4);
        assertThatThrownBy(() -> btf.sizeOf(13)).isInstanceOf(BtfException.class);
        assertThat(btf.findByName("td")).containsExactly(8);
        assertThat(btf.findByName("s", BtfKind.STRUCT)).contains(btf.type(4));
        assertThat(btf.findByName("nope")).isEmpty();
        assertThatThrownBy(() -> btf.type(26)).isInstanceOf(BtfException.class);
    }

    @ParameterizedTest
    @MethodSource("orders")
    void splitBtfContinuesTheBaseIdsAndStrings(ByteOrder order) {
        byte[] baseBytes = everyKind(order);
        Btf base = Btf.parse(baseBytes, order);
        Btf split = Btf.parseSplit(SyntheticBtf.split(order, baseBytes), base);
        assertThat(split.firstTypeId()).isEqualTo(26);
        assertThat(split.typeCount()).isEqualTo(31);
        assertThat(split.base()).containsSame(base);
        assertThat(split.type(4)).isSameAs(base.type(4));
        assertThat(split.type(27).name()).isEqualTo("mod_var");
        assertThat(split.resolve(26)).isInstanceOf(BtfType.Ptr.class);
        assertThat(split.sizeOf(27)).isEqualTo(8);
        assertThat(split.findByName("s")).containsExactly(4);
        assertThat(split.type(29)).isEqualTo(new BtfType.Typedef(29, "", 1));
        assertThat(((BtfType.Struct) split.type(30)).members().get(0).name()).isEqualTo("int");
        assertThat(split.types()).hasSize(5);
    }

    private static void assertMalformed(byte[] data, ByteOrder order, Reason reason, int typeId) {
        assertThatThrownBy(() -> Btf.parse(data, order)).isInstanceOfSatisfying(MalformedBtfException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.typeId()).isEqualTo(typeId);
        });
    }

    private static byte[] patched(byte[] data, ByteOrder order, int offset, int value) {
        byte[] copy = data.clone();
        ByteBuffer.wrap(copy).order(order).putInt(offset, value);
        return copy;
    }

    @ParameterizedTest
    @MethodSource("orders")
    void rejectsBadHeaders(ByteOrder order) {
        byte[] good = everyKind(order);
        ByteOrder other = order == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        assertMalformed(good, other, Reason.BAD_MAGIC, -1);
        assertMalformed(new BtfWriter(order).bytes(2, 0, 24), order, Reason.UNSUPPORTED_VERSION, -1);
        assertMalformed(new BtfWriter(order).bytes(1, 1, 24), order, Reason.UNSUPPORTED_FLAGS, -1);
        assertMalformed(java.util.Arrays.copyOf(good, 20), order, Reason.SECTION_PAST_END, -1);
        assertMalformed(patched(good, order, 4, 16), order, Reason.BAD_HEADER, -1);
        assertMalformed(patched(good, order, 4, -1), order, Reason.BAD_HEADER, -1);
        assertMalformed(patched(good, order, 8, 2), order, Reason.BAD_HEADER, -1);
        assertMalformed(patched(good, order, 12, -4), order, Reason.SECTION_PAST_END, -1);
        assertMalformed(patched(good, order, 20, 100000), order, Reason.SECTION_PAST_END, -1);
        assertMalformed(patched(good, order, 16, 0), order, Reason.BAD_HEADER, -1);
        // String section shrunk by one byte: it no longer ends with NUL.
        int strLen = ByteBuffer.wrap(good).order(order).getInt(20);
        assertMalformed(patched(good, order, 20, strLen - 1), order, Reason.UNTERMINATED_STRING, -1);
    }

    @ParameterizedTest
    @MethodSource("orders")
    void rejectsBadTypes(ByteOrder order) {
        BtfWriter w = new BtfWriter(order);
        w.intType("int", 4, 1, 0, 32);
        w.type(null, 2, 0, false, 7);                        // [2] PTR to missing type 7
        assertMalformed(w.bytes(), order, Reason.TYPE_ID_OUT_OF_RANGE, 2);

        w = new BtfWriter(order);
        w.rawType(1000, 1L << 24, 4); w.u32(32);             // [1] INT with a name past the strings
        assertThatThrownBy(() -> Btf.parse(wBytes(order, 1000), order)).isInstanceOf(MalformedBtfException.class);
        assertMalformed(w.bytes(), order, Reason.STRING_OFFSET_OUT_OF_RANGE, 1);

        w = new BtfWriter(order);
        w.type("x", 20, 0, false, 0);
        assertMalformed(w.bytes(), order, Reason.UNKNOWN_KIND, 1);
        w = new BtfWriter(order);
        w.type("x", 0, 0, false, 0);
        assertMalformed(w.bytes(), order, Reason.UNKNOWN_KIND, 1);

        w = new BtfWriter(order);
        w.intType("int", 4, 1, 0, 32);
        w.type("s", 4, 3, false, 4); w.u32(0).u32(1).u32(0); // STRUCT claims 3 members, has 1
        assertMalformed(w.bytes(), order, Reason.VLEN_TOO_LARGE, 2);

        w = new BtfWriter(order);
        w.rawType(0, 1L << 24 | 1 << 16, 4); w.u32(32);     // INT with unused info bits
        assertMalformed(w.bytes(), order, Reason.INVALID_VALUE, 1);

        w = new BtfWriter(order);
        w.intType("int", 4, 1, 0, 32);
        w.type(null, 13, 0, false, 1);
        w.type("f", 12, 3, false, 2);                        // FUNC linkage 3
        assertMalformed(w.bytes(), order, Reason.INVALID_VALUE, 3);

        w = new BtfWriter(order);
        w.type("int", 1, 0, false, 4);                       // INT without its trailing u32
        assertMalformed(w.bytes(), order, Reason.SECTION_PAST_END, 1);
    }

    private static byte[] wBytes(ByteOrder order, int nameOff) {
        BtfWriter w = new BtfWriter(order);
        w.rawType(nameOff, 1L << 24, 4);
        w.u32(32);
        return w.bytes();
    }

    @ParameterizedTest
    @MethodSource("orders")
    void sizeOverflowAndLoopsAreTyped(ByteOrder order) {
        BtfWriter w = new BtfWriter(order);
        w.intType("long", 8, 1, 0, 64);
        w.type(null, 3, 0, false, 0); w.u32(1).u32(1).u32(0x40000000L); // long[2^30]: 8 GiB
        w.type("a", 8, 0, false, 4);                                    // [3] typedef a -> [4]
        w.type("b", 8, 0, false, 3);                                    // [4] typedef b -> [3]
        Btf btf = Btf.parse(w.bytes(), order);
        assertThatThrownBy(() -> btf.sizeOf(2)).isInstanceOfSatisfying(MalformedBtfException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.SIZE_OVERFLOW));
        assertThatThrownBy(() -> btf.resolve(3)).isInstanceOfSatisfying(MalformedBtfException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.RESOLVE_DEPTH));
        assertThatThrownBy(() -> btf.sizeOf(4)).isInstanceOfSatisfying(MalformedBtfException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.RESOLVE_DEPTH));
    }

    @ParameterizedTest
    @MethodSource("orders")
    void emptyTypeSectionIsValid(ByteOrder order) {
        Btf btf = Btf.parse(new BtfWriter(order).bytes(), order);
        assertThat(btf.types()).isEqualTo(List.of());
        assertThat(btf.type(0)).isInstanceOf(BtfType.Void.class);
        assertThat(BtfDumper.dump(btf)).isEmpty();
    }
}
