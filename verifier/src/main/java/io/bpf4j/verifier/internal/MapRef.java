package io.bpf4j.verifier.internal;

import io.bpf4j.isa.abi.MapType;

/**
 * What the verifier needs to know of one map an instruction references (the kernel's
 * {@code struct bpf_map} fields it reads). Identity-compared: two loads of the same index give
 * the same object, as the kernel's map pointers are equal.
 *
 * @param index    the index in {@code VerifierInput.maps}
 * @param name     the map's name ("" when unnamed; the log prints {@code map=} only for named maps)
 * @param readOnly BPF_F_RDONLY_PROG or frozen .rodata: programs may not write its values
 * @param inner    the inner map of a map-in-map, or null
 * @param insnOffsets an instruction array's entries ({@code orig_off} by key), else empty
 * @param callTable   an instruction array marked as a call table (bpf4j's {@code BPF_F_CALL_TABLE})
 * @param fieldKinds  the kinds of special fields its value BTF declares (spin lock, timer, kptr...)
 * @param frozenValue the value of a frozen read-only one-entry array (bpf_map_is_rdonly), else null
 */
record MapRef(int index, String name, MapType type, int keySize, int valueSize, int maxEntries, int flags,
              boolean readOnly, boolean writeOnly, MapRef inner, int spinLockOff, int specialFields,
              java.util.List<Integer> insnOffsets, boolean callTable,
              java.util.Set<io.bpf4j.isa.abi.MapShape.SpecialField.Kind> fieldKinds, byte[] frozenValue) {
    boolean has(io.bpf4j.isa.abi.MapShape.SpecialField.Kind kind) {
        return fieldKinds.contains(kind);
    }

    boolean hasSpinLock() {
        return spinLockOff >= 0;
    }

    /** An instruction array used as a jump table (every INSN_ARRAY that is not a call table). */
    boolean jumpTable() {
        return type == MapType.INSN_ARRAY && !callTable;
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
