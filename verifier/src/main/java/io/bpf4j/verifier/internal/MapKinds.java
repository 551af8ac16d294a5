package io.bpf4j.verifier.internal;

import io.bpf4j.isa.abi.MapType;

/** Per map type behaviour the verifier depends on (the kernel's map ops it consults). */
final class MapKinds {
    private MapKinds() {}

    /** map_direct_value_addr exists: {@code ld_imm64} may point into the value (global data). */
    static boolean hasDirectValueAccess(MapType t) {
        return t == MapType.ARRAY || t == MapType.INSN_ARRAY;
    }

    static boolean directValueOffsetOk(MapRef m, long off) {
        if (m.type() == MapType.INSN_ARRAY) {
            // insn_array_map_direct_value_addr (6.19): the program sees a u64 per entry
            return off % 8 == 0 && off / 8 < Integer.toUnsignedLong(m.maxEntries());
        }
        return m.maxEntries() == 1 && off < m.valueSize();
    }
}
