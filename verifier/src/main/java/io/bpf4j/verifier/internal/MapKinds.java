package io.bpf4j.verifier.internal;

import io.bpf4j.isa.abi.MapType;

/** Per map type behaviour the verifier depends on (the kernel's map ops it consults). */
final class MapKinds {
    private MapKinds() {}

    /** map_direct_value_addr exists: {@code ld_imm64} may point into the value (global data). */
    static boolean hasDirectValueAccess(MapType t) {
        return t == MapType.ARRAY;
    }

    static boolean directValueOffsetOk(MapRef m, long off) {
        return m.maxEntries() == 1 && off < m.valueSize();
    }
}
