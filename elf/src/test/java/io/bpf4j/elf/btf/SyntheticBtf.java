package io.bpf4j.elf.btf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hand-encoded BTF covering encodings clang does not emit for our sources (union forwards,
 * varargs, CHAR ints, signed ENUM64, tags on members, DATASEC entries of void, ...), and a split
 * BTF on top of it. {@code elf/tools/gen_btf_goldens.sh} writes these as raw BTF files and
 * records what bpftool prints for them.
 */
public final class SyntheticBtf {
    private SyntheticBtf() {}

    /** One type of every kind (ids 1..25). */
    static byte[] everyKind(ByteOrder order) {
        BtfWriter w = new BtfWriter(order);
        int i32 = w.intType("int", 4, 1, 0, 32);                       // 1
        int ptr = w.type(null, 2, 0, false, i32);                      // 2
        w.type(null, 3, 0, false, 0); w.u32(i32).u32(i32).u32(10);      // 3 ARRAY int[10]
        w.type("s", 4, 2, true, 8);                                    // 4 STRUCT with bitfields
        w.u32(w.str("a")).u32(i32).u32(3L << 24 | 5);
        w.u32(w.str("b")).u32(ptr).u32(32);
        w.type("u", 5, 1, false, 4); w.u32(w.str("x")).u32(i32).u32(0); // 5 UNION
        w.type("e", 6, 2, true, 4);                                    // 6 signed ENUM
        w.u32(w.str("NEG")).u32(-5).u32(w.str("POS")).u32(7);
        w.type("fu", 7, 0, true, 0);                                   // 7 FWD union
        w.type("td", 8, 0, false, 4);                                  // 8 TYPEDEF -> s
        w.type(null, 9, 0, false, 8);                                  // 9 VOLATILE
        w.type(null, 10, 0, false, 9);                                 // 10 CONST
        w.type(null, 11, 0, false, 2);                                 // 11 RESTRICT
        w.type(null, 13, 2, false, i32);                               // 12 FUNC_PROTO (int, ...)
        w.u32(w.str("p")).u32(i32).u32(0).u32(0);
        w.type("f", 12, 2, false, 12);                                 // 13 FUNC extern
        w.type("v", 14, 0, false, 10); w.u32(1);                       // 14 VAR global
        w.type(".data", 15, 1, false, 8); w.u32(14).u32(0).u32(8);     // 15 DATASEC
        w.type("double", 16, 0, false, 8);                             // 16 FLOAT
        w.type("tag", 17, 0, false, 4); w.u32(1);                      // 17 DECL_TAG on member 1
        w.type("user", 18, 0, false, i32);                             // 18 TYPE_TAG
        w.type("e64", 19, 1, false, 8);                                // 19 ENUM64 unsigned
        w.u32(w.str("BIG")).u32(0x89abcdefL).u32(0xfedcba98L);
        w.intType("char", 1, 2, 0, 8);                                 // 20 INT CHAR
        w.intType("bits", 4, 0, 3, 5);                                 // 21 INT with a bit offset
        w.type("s64", 19, 2, true, 8);                                 // 22 ENUM64 signed
        w.u32(w.str("MIN")).u32(0).u32(0x80000000L).u32(w.str("M1")).u32(-1).u32(-1);
        w.type("ue", 6, 1, false, 4);                                  // 23 unsigned ENUM, top bit set
        w.u32(w.str("TOP")).u32(0xffffff00L);
        w.type("sf", 12, 0, false, 12);                                // 24 FUNC static
        w.type(".ksyms", 15, 2, false, 0);                             // 25 DATASEC: a FUNC and void
        w.u32(13).u32(0).u32(0).u32(0).u32(0).u32(1);
        return w.bytes();
    }

    /** Split BTF on top of {@link #everyKind}: ids from 26, strings after the base's. */
    static byte[] split(ByteOrder order, byte[] base) {
        long baseStrings = ByteBuffer.wrap(base).order(order).getInt(20);
        BtfWriter w = new BtfWriter(order, 26, baseStrings);
        w.type(null, 2, 0, false, 4);                                  // [26] PTR -> base STRUCT s
        w.type("mod_var", 14, 0, false, 26); w.u32(0);                 // [27] VAR static
        w.type(".data", 15, 2, false, 16);                             // [28] DATASEC: own and base VARs
        w.u32(27).u32(0).u32(8).u32(14).u32(8).u32(8);
        w.u32(0).u32(8L << 24).u32(1);                                  // [29] anonymous TYPEDEF, name offset 0 of the base
        w.type("mod_s", 4, 1, true, 4);                                // [30] STRUCT with a name reused from the base
        w.u32(w.str("int")).u32(1).u32(2L << 24 | 3);
        return w.bytes();
    }

    /** Writes {@code every-kind.btf} and {@code split.btf} (little-endian) into a directory. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        byte[] base = everyKind(ByteOrder.LITTLE_ENDIAN);
        Files.write(dir.resolve("every-kind.btf"), base);
        Files.write(dir.resolve("split.btf"), split(ByteOrder.LITTLE_ENDIAN, base));
    }
}
