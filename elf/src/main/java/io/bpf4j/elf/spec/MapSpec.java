package io.bpf4j.elf.spec;

import io.bpf4j.isa.abi.MapType;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A map as an object declares it, after libbpf's open-time rules: parsed, immutable, with no
 * kernel or runtime state. {@code withX} methods return changed copies (what libbpf's
 * open-phase setters do).
 *
 * @param name           the name libbpf gives the map ({@code hsh}, {@code myobj.data},
 *                       {@code .rodata.str1.1}, {@code outer.inner})
 * @param kind           where the declaration came from
 * @param typeId         the kernel's {@code enum bpf_map_type} number (see {@link #type()})
 * @param keySize        key size in bytes
 * @param valueSize      value size in bytes
 * @param keyTypeId      BTF type id of the key (0 when none)
 * @param valueTypeId    BTF type id of the value (0 when none)
 * @param maxEntries     {@code max_entries}
 * @param flags          {@code map_flags}
 * @param numaNode       {@code numa_node}
 * @param pinning        the {@code pinning} attribute
 * @param mapExtra       {@code map_extra}
 * @param innerMap       the inner map definition of a map-in-map ({@code <name>.inner}), else null
 * @param initialSlots   {@code .values} initialisation of a prog array or map-in-map: slot index
 *                       to the name of the program or map put there
 * @param initialData    the initial value image of a global-data map (section bytes, in the
 *                       object's byte order); null for other maps, and null for a {@code .bss}
 *                       map still all zeros, whose image {@link #initialData()} makes on demand
 * @param sectionName    the ELF section the declaration lives in ({@code .maps}, {@code .data.custom},
 *                       {@code .kconfig} for the kconfig map), libbpf's {@code real_name} for data maps
 * @param sectionIndex   that section's index (for {@code .kconfig}: the symbol table's, as libbpf)
 * @param sectionOffset  the declaration's offset in its section (0 for data maps)
 * @param declarationSize the size of the declaring variable ({@code .maps}) or of the data image
 * @param autocreate     whether the map is created at load
 */
public record MapSpec(String name, Kind kind, int typeId, int keySize, int valueSize, int keyTypeId, int valueTypeId,
                      int maxEntries, int flags, int numaNode, Pinning pinning, long mapExtra, MapSpec innerMap,
                      Map<Integer, String> initialSlots, byte[] initialData, String sectionName, int sectionIndex,
                      long sectionOffset, long declarationSize, boolean autocreate) {

    /** {@code BPF_F_NO_PREALLOC}. */
    public static final int F_NO_PREALLOC = 0x1;
    /** {@code BPF_F_RDONLY_PROG}: programs may not write (.rodata, .kconfig). */
    public static final int F_RDONLY_PROG = 0x80;
    /** {@code BPF_F_MMAPABLE}: user space may map the value (global data with global variables). */
    public static final int F_MMAPABLE = 0x400;

    /** Where a map declaration came from. */
    public enum Kind {
        /** A variable in {@code SEC(".maps")}. */
        BTF_DEFINED,
        /** A {@code struct bpf_map_def} in the legacy {@code maps} section (libbpf 0.x). */
        LEGACY,
        /** {@code .data} or {@code .data.*}. */
        DATA,
        /** {@code .rodata} or {@code .rodata.*}. */
        RODATA,
        /** {@code .bss} or {@code .bss.*}. */
        BSS,
        /** The {@code .kconfig} externs. */
        KCONFIG,
        /** The inner map definition of a map-in-map. */
        INNER,
        /**
         * An instruction array the loader makes for one program's call or jump table
         * ({@code io.bpf4j.relocator.tables.TableMap}); not among the object's maps.
         */
        TABLE,
        /**
         * A variable in {@code .struct_ops}, {@code .struct_ops.link} or their {@code ?} forms
         * ({@link StructOpsSpec} says what it declares); the initial data is the variable's bytes
         * in the object's struct layout.
         */
        STRUCT_OPS;

        /** Whether programs address the map's value as global variables (RELO_DATA). */
        public boolean isGlobalData() {
            return this == DATA || this == RODATA || this == BSS || this == KCONFIG;
        }
    }

    /** The {@code pinning} attribute of a BTF-defined map. */
    public enum Pinning {
        NONE, BY_NAME
    }

    public MapSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(pinning, "pinning");
        initialSlots = Collections.unmodifiableMap(new TreeMap<>(initialSlots));
        initialData = initialData == null ? null : initialData.clone();
    }

    /** The map type, or null when this build does not know {@link #typeId()}. */
    public MapType type() {
        return MapType.ofId(typeId);
    }

    /**
     * A copy of the initial value image, or null for maps that have none; for a {@code .bss}
     * map not given an image, {@link #valueSize()} zeros (made now: a large {@code .bss} costs
     * nothing until something asks for its image).
     */
    @Override
    public byte[] initialData() {
        if (initialData == null) {
            return kind == Kind.BSS ? new byte[valueSize] : null;
        }
        return initialData.clone();
    }

    /** {@return the length of {@link #initialData()}, without copying it (0 when there is none)} */
    public int initialDataSize() {
        if (initialData == null) {
            return kind == Kind.BSS ? valueSize : 0;
        }
        return initialData.length;
    }

    /** Whether programs may only read the value ({@link #F_RDONLY_PROG}). */
    public boolean readOnlyForPrograms() {
        return (flags & F_RDONLY_PROG) != 0;
    }

    public MapSpec withMaxEntries(int newMaxEntries) {
        return toBuilder().maxEntries(newMaxEntries).build();
    }

    public MapSpec withFlags(int newFlags) {
        return toBuilder().flags(newFlags).build();
    }

    public MapSpec withValueSize(int newValueSize) {
        return toBuilder().valueSize(newValueSize).build();
    }

    public MapSpec withInitialData(byte[] newData) {
        return toBuilder().initialData(newData).build();
    }

    public MapSpec withInitialSlots(Map<Integer, String> newSlots) {
        return toBuilder().initialSlots(newSlots).build();
    }

    public MapSpec withAutocreate(boolean newAutocreate) {
        return toBuilder().autocreate(newAutocreate).build();
    }

    public MapSpec withNumaNode(int newNumaNode) {
        return toBuilder().numaNode(newNumaNode).build();
    }

    public MapSpec withMapExtra(long newMapExtra) {
        return toBuilder().mapExtra(newMapExtra).build();
    }

    /**
     * A builder for a map called {@code name} declared as {@code kind}: every other component
     * starts at zero, null, empty, {@link Pinning#NONE}, and autocreate on.
     */
    public static Builder builder(String name, Kind kind) {
        return new Builder(name, kind);
    }

    /** A builder holding this map's components. */
    public Builder toBuilder() {
        return new Builder(name, kind).typeId(typeId).keySize(keySize).valueSize(valueSize).keyTypeId(keyTypeId)
                .valueTypeId(valueTypeId).maxEntries(maxEntries).flags(flags).numaNode(numaNode).pinning(pinning)
                .mapExtra(mapExtra).innerMap(innerMap).initialSlots(initialSlots).initialData(initialData)
                .section(sectionName, sectionIndex, sectionOffset).declarationSize(declarationSize).autocreate(autocreate);
    }

    /** Builds a {@link MapSpec} one named component at a time. */
    public static final class Builder {
        private final String name;
        private final Kind kind;
        private int typeId;
        private int keySize;
        private int valueSize;
        private int keyTypeId;
        private int valueTypeId;
        private int maxEntries;
        private int flags;
        private int numaNode;
        private Pinning pinning = Pinning.NONE;
        private long mapExtra;
        private MapSpec innerMap;
        private Map<Integer, String> initialSlots = Map.of();
        private byte[] initialData;
        private String sectionName;
        private int sectionIndex;
        private long sectionOffset;
        private long declarationSize;
        private boolean autocreate = true;

        private Builder(String name, Kind kind) {
            this.name = name;
            this.kind = kind;
        }

        /** The kernel's map type number. */
        public Builder typeId(int v) {
            typeId = v;
            return this;
        }

        /** Key size in bytes. */
        public Builder keySize(int v) {
            keySize = v;
            return this;
        }

        /** Value size in bytes. */
        public Builder valueSize(int v) {
            valueSize = v;
            return this;
        }

        /** BTF type id of the key. */
        public Builder keyTypeId(int v) {
            keyTypeId = v;
            return this;
        }

        /** BTF type id of the value. */
        public Builder valueTypeId(int v) {
            valueTypeId = v;
            return this;
        }

        /** {@code max_entries}. */
        public Builder maxEntries(int v) {
            maxEntries = v;
            return this;
        }

        /** {@code map_flags}. */
        public Builder flags(int v) {
            flags = v;
            return this;
        }

        /** {@code numa_node}. */
        public Builder numaNode(int v) {
            numaNode = v;
            return this;
        }

        /** The {@code pinning} attribute. */
        public Builder pinning(Pinning v) {
            pinning = v;
            return this;
        }

        /** {@code map_extra}. */
        public Builder mapExtra(long v) {
            mapExtra = v;
            return this;
        }

        /** The inner map of a map-in-map, or null. */
        public Builder innerMap(MapSpec v) {
            innerMap = v;
            return this;
        }

        /** {@code .values} initialisation: slot index to program or map name. */
        public Builder initialSlots(Map<Integer, String> v) {
            initialSlots = v;
            return this;
        }

        /** The initial value image of a global-data map, or null. */
        public Builder initialData(byte[] v) {
            initialData = v;
            return this;
        }

        /** The ELF section of the declaration, its index and the declaration's offset in it. */
        public Builder section(String name, int index, long offset) {
            sectionName = name;
            sectionIndex = index;
            sectionOffset = offset;
            return this;
        }

        /** The size of the declaring variable or of the data image. */
        public Builder declarationSize(long v) {
            declarationSize = v;
            return this;
        }

        /** Whether the map is created at load. */
        public Builder autocreate(boolean v) {
            autocreate = v;
            return this;
        }

        /** The map spec. */
        public MapSpec build() {
            return new MapSpec(name, kind, typeId, keySize, valueSize, keyTypeId, valueTypeId, maxEntries, flags, numaNode,
                    pinning, mapExtra, innerMap, initialSlots, initialData, sectionName, sectionIndex, sectionOffset,
                    declarationSize, autocreate);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MapSpec)) {
            return false;
        }
        MapSpec m = (MapSpec) o;
        return name.equals(m.name) && kind == m.kind && typeId == m.typeId && keySize == m.keySize
                && valueSize == m.valueSize && keyTypeId == m.keyTypeId && valueTypeId == m.valueTypeId
                && maxEntries == m.maxEntries && flags == m.flags && numaNode == m.numaNode && pinning == m.pinning
                && mapExtra == m.mapExtra && Objects.equals(innerMap, m.innerMap) && initialSlots.equals(m.initialSlots)
                && sameImage(this, m) && Objects.equals(sectionName, m.sectionName)
                && sectionIndex == m.sectionIndex && sectionOffset == m.sectionOffset
                && declarationSize == m.declarationSize && autocreate == m.autocreate;
    }

    // a .bss image not made yet equals the zeros it stands for
    private static boolean sameImage(MapSpec a, MapSpec b) {
        if (a.initialData == null || b.initialData == null) {
            byte[] given = a.initialData == null ? b.initialData : a.initialData;
            MapSpec lazy = a.initialData == null ? a : b;
            return given == null || lazy.kind == Kind.BSS && given.length == lazy.valueSize && allZero(given);
        }
        return Arrays.equals(a.initialData, b.initialData);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, kind, typeId, keySize, valueSize, maxEntries, flags, initialDataSize());
    }

    @Override
    public String toString() {
        MapType t = type();
        return "MapSpec[" + name + " " + (t == null ? "type " + typeId : t.displayName()) + " key " + keySize + " value "
                + valueSize + " max " + maxEntries + " flags 0x" + Integer.toHexString(flags) + "]";
    }
}
