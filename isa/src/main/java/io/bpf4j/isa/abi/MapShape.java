package io.bpf4j.isa.abi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the verifier needs to know about a map a program references: the map as the kernel sees it
 * at load time, without any contents.
 *
 * @param frozen        read-only to programs ({@code .rodata}, {@code BPF_F_RDONLY_PROG}, or frozen by
 *                      the loader): stores through its value pointers are refused
 * @param inner         for array/hash of maps, the shape of the inner map template
 * @param specialFields spin lock, timer, kptr... fields inside the value (from the value's BTF), sorted by offset
 * @param insnOffsets   for an instruction array ({@link MapType#INSN_ARRAY}): each key's {@code orig_off}, the
 *                      instruction index user space wrote before freezing it (the kernel reads them at load
 *                      time); empty for every other map
 */
public record MapShape(String name, MapType type, int keySize, int valueSize, int maxEntries,
                       int flags, long mapExtra, boolean frozen, Optional<MapShape> inner,
                       List<SpecialField> specialFields, List<Integer> insnOffsets) {

    /** {@code BPF_F_RDONLY_PROG}: programs may only read the map. */
    public static final int F_RDONLY_PROG = 1 << 7;
    /** {@code BPF_F_WRONLY_PROG}: programs may only write the map. */
    public static final int F_WRONLY_PROG = 1 << 8;
    /**
     * bpf4j's {@code BPF_F_CALL_TABLE} in {@code map_extra} of an {@link MapType#INSN_ARRAY}: the entries are
     * functions a {@code callx} may call (call-tables-design.md), not jump targets.
     */
    public static final long CALL_TABLE_EXTRA = 1;

    public MapShape {
        Objects.requireNonNull(type, "type");
        name = name == null ? "" : name;
        inner = inner == null ? Optional.empty() : inner;
        specialFields = List.copyOf(specialFields);
        insnOffsets = insnOffsets == null ? List.of() : List.copyOf(insnOffsets);
    }

    /** The shape without instruction offsets (the constructor before {@link #insnOffsets} existed). */
    public MapShape(String name, MapType type, int keySize, int valueSize, int maxEntries, int flags, long mapExtra,
                    boolean frozen, Optional<MapShape> inner, List<SpecialField> specialFields) {
        this(name, type, keySize, valueSize, maxEntries, flags, mapExtra, frozen, inner, specialFields, List.of());
    }

    /** True for a call table: an {@link MapType#INSN_ARRAY} marked with {@link #CALL_TABLE_EXTRA}. */
    public boolean isCallTable() {
        return type == MapType.INSN_ARRAY && (mapExtra & CALL_TABLE_EXTRA) != 0;
    }

    /** True when programs may not write values: frozen or {@link #F_RDONLY_PROG}. */
    public boolean readOnlyToPrograms() {
        return frozen || (flags & F_RDONLY_PROG) != 0;
    }

    /** True when programs may not read values ({@link #F_WRONLY_PROG}). */
    public boolean writeOnlyToPrograms() {
        return (flags & F_WRONLY_PROG) != 0;
    }

    /** The special field of this kind, if the value has one. */
    public Optional<SpecialField> special(SpecialField.Kind kind) {
        return specialFields.stream().filter(f -> f.kind() == kind).findFirst();
    }

    public static Builder builder(MapType type) {
        return new Builder(type);
    }

    public Builder toBuilder() {
        Builder b = new Builder(type).name(name).keySize(keySize).valueSize(valueSize).maxEntries(maxEntries)
                .flags(flags).mapExtra(mapExtra).frozen(frozen);
        inner.ifPresent(b::inner);
        specialFields.forEach(b::specialField);
        b.insnOffsets(insnOffsets);
        return b;
    }

    /** A special field of a map value: where it is and what it is. */
    public record SpecialField(int offset, int size, Kind kind, String btfType) {
        public SpecialField {
            Objects.requireNonNull(kind, "kind");
            btfType = btfType == null ? "" : btfType;
        }

        public SpecialField(int offset, int size, Kind kind) {
            this(offset, size, kind, "");
        }

        /** The kernel's {@code enum btf_field_type} members that can live in a map value. */
        public enum Kind {
            SPIN_LOCK, RES_SPIN_LOCK, TIMER, WORKQUEUE, TASK_WORK, KPTR_UNREF, KPTR_REF, KPTR_PERCPU,
            UPTR, LIST_HEAD, LIST_NODE, RB_ROOT, RB_NODE, REFCOUNT
        }

        public int end() {
            return offset + size;
        }
    }

    /** Builds a shape; name "", sizes 0, no flags, not frozen, no inner map, no special fields by default. */
    public static final class Builder {
        private final MapType type;
        private String name = "";
        private int keySize;
        private int valueSize;
        private int maxEntries;
        private int flags;
        private long mapExtra;
        private boolean frozen;
        private MapShape inner;
        private final List<SpecialField> special = new ArrayList<>();
        private List<Integer> insnOffsets = List.of();

        private Builder(MapType type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        public Builder name(String v) { this.name = v; return this; }
        public Builder keySize(int v) { this.keySize = v; return this; }
        public Builder valueSize(int v) { this.valueSize = v; return this; }
        public Builder maxEntries(int v) { this.maxEntries = v; return this; }
        public Builder flags(int v) { this.flags = v; return this; }
        public Builder mapExtra(long v) { this.mapExtra = v; return this; }
        public Builder frozen(boolean v) { this.frozen = v; return this; }
        public Builder inner(MapShape v) { this.inner = v; return this; }
        public Builder specialField(SpecialField f) { this.special.add(f); return this; }
        public Builder insnOffsets(List<Integer> v) { this.insnOffsets = v; return this; }

        public MapShape build() {
            List<SpecialField> s = new ArrayList<>(special);
            s.sort(java.util.Comparator.comparingInt(SpecialField::offset));
            return new MapShape(name, type, keySize, valueSize, maxEntries, flags, mapExtra, frozen,
                    Optional.ofNullable(inner), s, insnOffsets);
        }
    }
}
