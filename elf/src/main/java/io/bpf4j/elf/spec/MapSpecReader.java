package io.bpf4j.elf.spec;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.ElfSection;
import io.bpf4j.elf.ElfSymbol;
import io.bpf4j.elf.SymbolBinding;
import io.bpf4j.elf.SymbolType;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfException;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.elf.btf.VarLinkage;
import io.bpf4j.isa.abi.MapType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads every map an object declares, in libbpf's order ({@code bpf_object__init_maps}):
 * the legacy {@code maps} section (as libbpf 0.x and cilium/ebpf read it), the BTF-defined
 * {@code .maps} in offset order, the global-data maps in section order, then {@code .kconfig}.
 */
public final class MapSpecReader {
    private static final Logger LOG = LoggerFactory.getLogger(MapSpecReader.class);
    /**
     * {@code BPF_F_CALL_TABLE}, repeated because reading an object must
     * not depend on the runtime maps (elf sits below maps).
     */
    private static final long BPF_F_CALL_TABLE = 1;

    /** libbpf's {@code BPF_OBJ_NAME_LEN}: the kernel keeps 15 characters of a name. */
    public static final int OBJ_NAME_LEN = 16;

    private final ElfObject elf;
    private final ObjectSections sections;
    private final Btf btf;
    private final String objectName;
    private final int pageSize;

    private MapSpecReader(ElfObject elf, ObjectSections sections, Btf btf, String objectName, int pageSize) {
        this.elf = elf;
        this.sections = sections;
        this.btf = btf;
        this.objectName = objectName;
        this.pageSize = pageSize;
    }

    /**
     * Reads the maps of {@code elf}.
     *
     * @param objectName the object name libbpf derives (see {@link #objectName(String)}), the prefix of data map names
     * @param externs    the object's externs ({@link Externs#collect}), for the {@code .kconfig} map
     * @param pageSize   the page size ring buffer sizes are rounded to (4096 on x86-64)
     */
    public static List<MapSpec> read(ElfObject elf, ObjectSections sections, Btf btf, String objectName,
                                     List<Extern> externs, int pageSize) {
        return read(elf, sections, btf, objectName, externs, pageSize, ObjectLimits.defaults());
    }

    /**
     * Reads the maps of {@code elf} under {@code limits}.
     *
     * @throws DeclarationException for a declaration libbpf or the kernel refuses, or one past {@code limits}
     */
    public static List<MapSpec> read(ElfObject elf, ObjectSections sections, Btf btf, String objectName,
                                     List<Extern> externs, int pageSize, ObjectLimits limits) {
        MapSpecReader r = new MapSpecReader(elf, sections, btf, objectName, pageSize);
        List<MapSpec> maps = new ArrayList<>();
        r.legacyMaps(maps);
        r.btfMaps(maps);
        r.arenaMap(maps);
        r.dataMaps(maps, limits);
        r.kconfigMap(maps, externs);
        for (StructOpsMaps.Declared d : StructOpsMaps.read(elf, sections, btf)) {
            maps.add(d.map());
        }
        return List.copyOf(maps);
    }

    /**
     * The object name libbpf derives from a file path: the base name cut to 15 characters,
     * then at the first {@code .}.
     */
    public static String objectName(String path) {
        int slash = path.lastIndexOf('/');
        String base = path.substring(slash + 1);
        byte[] bytes = base.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length > OBJ_NAME_LEN - 1) {
            base = new String(bytes, 0, OBJ_NAME_LEN - 1, java.nio.charset.StandardCharsets.UTF_8);
        }
        int dot = base.indexOf('.');
        return dot >= 0 ? base.substring(0, dot) : base;
    }

    /**
     * The name libbpf gives the map of a global-data section ({@code internal_map_name}):
     * up to 15 characters, an object-name prefix unless the section name has a second dot, and
     * every character outside {@code [A-Za-z0-9_.]} replaced by {@code _}.
     */
    public static String internalMapName(String objectName, String sectionName) {
        int sfx = Math.min(Math.max(7, sectionName.length()), OBJ_NAME_LEN - 1);
        int pfx = sectionName.indexOf('.', 1) >= 0 ? 0 : Math.min(OBJ_NAME_LEN - 1 - sfx, objectName.length());
        String name = objectName.substring(0, pfx) + sectionName.substring(0, Math.min(sfx, sectionName.length()));
        StringBuilder sb = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.';
            sb.append(ok ? c : '_');
        }
        return sb.toString();
    }

    // ---- legacy "maps" section -------------------------------------------------------------

    private void legacyMaps(List<MapSpec> maps) {
        int idx = sections.first(SectionKind.LEGACY_MAPS);
        if (idx < 0) {
            return;
        }
        ElfSection sec = elf.section(idx);
        LOG.warn("elf: legacy map definitions in 'maps' section are not supported by libbpf v1.0+; reading them as libbpf 0.x did");
        List<ElfSymbol> syms = new ArrayList<>();
        for (ElfSymbol s : elf.symbols()) {
            if (s.index() != 0 && s.sectionIndex() == idx && s.type() != SymbolType.SECTION) {
                syms.add(s);
            }
        }
        if (syms.isEmpty()) {
            return;
        }
        if (sec.size() % syms.size() != 0) {
            throw new DeclarationException("elf: unable to determine legacy map definition size in section 'maps'", null, "maps");
        }
        int defSize = (int) (sec.size() / syms.size());
        ByteBuffer data = sec.data();
        for (ElfSymbol s : syms) {
            if (s.binding() == SymbolBinding.LOCAL) {
                throw new DeclarationException("map '" + s.name() + "' (legacy): static maps are not supported", s.name(), "maps");
            }
            // a symbol value is u64 (negative here when over 2^63), and a NOBITS or cut-off 'maps'
            // section holds fewer bytes than its declared size
            long held = Math.min(sec.size(), data.limit());
            if (s.value() < 0 || s.value() > held - defSize || s.value() % 4 != 0 && defSize >= 4) {
                throw new DeclarationException("map '" + s.name() + "' (legacy): definition at offset " + s.value()
                        + " is outside section 'maps'", s.name(), "maps");
            }
            int[] f = new int[5];
            int off = (int) s.value();
            for (int i = 0; i < 5 && (i + 1) * 4 <= defSize; i++) {
                f[i] = data.getInt(off + i * 4);
            }
            for (int i = 20; i < defSize; i++) {
                if (data.get(off + i) != 0) {
                    throw new DeclarationException("maps section in " + objectName + ": \"" + s.name()
                            + "\" has unrecognized, non-zero options", s.name(), "maps");
                }
            }
            maps.add(MapSpec.builder(s.name(), MapSpec.Kind.LEGACY).typeId(f[0]).keySize(f[1]).valueSize(f[2])
                    .maxEntries(f[3]).flags(f[4]).section("maps", idx, s.value()).declarationSize(defSize).build());
        }
    }

    // ---- BTF-defined ".maps" ----------------------------------------------------------------

    private void btfMaps(List<MapSpec> maps) {
        int idx = sections.first(SectionKind.MAPS);
        if (idx < 0) {
            return;
        }
        if (btf == null) {
            throw new DeclarationException("BTF is required, but is missing or corrupted.", null, ".maps");
        }
        ElfSection sec = elf.section(idx);
        BtfType.DataSec ds = DataSecs.find(btf, ".maps")
                .orElseThrow(() -> new DeclarationException("DATASEC '.maps' not found.", null, ".maps"));
        List<DataSecVar> vars = DataSecs.vars(elf, btf, ds);
        for (int i = 0; i < vars.size(); i++) {
            DataSecVar v = vars.get(i);
            BtfType vt = btf.type(v.varId());
            String name = vt.name();
            if (name.isEmpty()) {
                throw new DeclarationException("map #" + i + ": empty name.", null, ".maps");
            }
            if (v.offset() + v.size() > sec.size()) {
                throw new DeclarationException("map '" + name + "' BTF data is corrupted.", name, ".maps");
            }
            if (!(vt instanceof BtfType.Var)) {
                throw new DeclarationException("map '" + name + "': unexpected var kind " + kindName(vt) + ".", name, ".maps");
            }
            VarLinkage linkage = ((BtfType.Var) vt).linkage();
            if (linkage != VarLinkage.GLOBAL_ALLOCATED) {
                throw new DeclarationException("map '" + name + "': unsupported map linkage " + linkage.displayName() + ".",
                        name, ".maps");
            }
            BtfType def = btf.resolve(v.typeId());
            if (!(def instanceof BtfType.Struct)) {
                throw new DeclarationException("map '" + name + "': unexpected def kind " + kindName(def) + ".", name, ".maps");
            }
            if (((BtfType.Struct) def).size() > v.size()) {
                throw new DeclarationException("map '" + name + "': invalid def size.", name, ".maps");
            }
            Def d = parseDef(name, (BtfType.Struct) def, false);
            MapSpec inner = null;
            if (d.inner != null) {
                Def id = d.inner;
                inner = MapSpec.builder(name + ".inner", MapSpec.Kind.INNER).typeId(id.type).keySize(id.keySize)
                        .valueSize(id.valueSize).keyTypeId(id.keyTypeId).valueTypeId(id.valueTypeId)
                        .maxEntries(adjustMaxEntries(id.type, id.maxEntries)).flags(id.flags).numaNode(id.numaNode)
                        .mapExtra(id.mapExtra).section(".maps", idx, v.offset()).build();
            }
            maps.add(MapSpec.builder(name, MapSpec.Kind.BTF_DEFINED).typeId(d.type).keySize(d.keySize).valueSize(d.valueSize)
                    .keyTypeId(d.keyTypeId).valueTypeId(d.valueTypeId).maxEntries(adjustMaxEntries(d.type, d.maxEntries))
                    .flags(d.flags).numaNode(d.numaNode).pinning(d.pinning).mapExtra(d.mapExtra).innerMap(inner)
                    .section(".maps", idx, v.offset()).declarationSize(v.size()).build());
        }
    }

    /** The {@code .addr_space.1} section: {@code __arena} globals. */
    public static final String ARENA_SECTION = ".addr_space.1";

    /**
     * libbpf's arena rules (end of {@code bpf_object__init_user_btf_maps}): one ARENA map at most;
     * the {@code __arena} globals of {@code .addr_space.1} become its initial data, placed at the
     * start of the arena, which must be large enough for them (rounded up to a page); globals
     * without an ARENA map are refused.
     */
    private void arenaMap(List<MapSpec> maps) {
        int sec = sections.first(SectionKind.ARENA);
        int arena = -1;
        for (int i = 0; i < maps.size(); i++) {
            MapSpec m = maps.get(i);
            if (m.typeId() != MapType.ARENA.id()) {
                continue;
            }
            if (arena >= 0) {
                throw new DeclarationException("map '" + m.name() + "': only single ARENA map is supported (map '"
                        + maps.get(arena).name() + "' is also ARENA)", m.name(), ".maps");
            }
            arena = i;
            if (sec >= 0) {
                ElfSection s = elf.section(sec);
                long dataSize = s.size();
                long mmapSize = (long) pageSize * Integer.toUnsignedLong(m.maxEntries());
                long rounded = (dataSize + pageSize - 1) / pageSize * pageSize;
                if (rounded > mmapSize) {
                    throw new DeclarationException("elf: sec '" + ARENA_SECTION + "': declared ARENA map size (" + mmapSize
                            + ") is too small to hold global __arena variables of size " + dataSize, m.name(), ARENA_SECTION);
                }
                java.nio.ByteBuffer b = s.data();
                byte[] data = new byte[b.remaining()];
                b.duplicate().get(data);
                maps.set(i, m.withInitialData(data));
            }
        }
        if (sec >= 0 && arena < 0) {
            throw new DeclarationException("elf: sec '" + ARENA_SECTION + "': to use global __arena variables the ARENA map should be "
                    + "explicitly declared in SEC(\".maps\")", null, ARENA_SECTION);
        }
    }

    // ring buffers are a page size times a power of two; libbpf rounds other sizes up
    private int adjustMaxEntries(int type, int maxEntries) {
        if (type != MapType.RINGBUF.id() && type != MapType.USER_RINGBUF.id()) {
            return maxEntries;
        }
        long sz = Integer.toUnsignedLong(maxEntries);
        long mul = sz / pageSize;
        if (sz % pageSize == 0 && mul != 0 && (mul & (mul - 1)) == 0) {
            return maxEntries;
        }
        for (long m = 1; m <= 0xffffffffL / pageSize; m <<= 1) {
            if (m * pageSize > sz) {
                return (int) (m * pageSize);
            }
        }
        return maxEntries;
    }

    /** The fields of one map definition struct, as libbpf's {@code parse_btf_map_def} collects them. */
    private static final class Def {
        int type = -1;
        int keySize;
        int valueSize;
        int keyTypeId;
        int valueTypeId;
        int maxEntries;
        int flags;
        int numaNode;
        long mapExtra;
        MapSpec.Pinning pinning = MapSpec.Pinning.NONE;
        boolean keySizeSet;
        boolean valueSizeSet;
        Def inner;
    }

    private Def parseDef(String name, BtfType.Struct def, boolean isInner) {
        Def d = new Def();
        List<BtfType.Member> members = def.members();
        for (int i = 0; i < members.size(); i++) {
            BtfType.Member m = members.get(i);
            String field = m.name();
            if (field.isEmpty()) {
                throw new DeclarationException("map '" + name + "': invalid field #" + i + ".", name, ".maps");
            }
            switch (field) {
                case "type":
                    d.type = intField(name, m);
                    break;
                case "max_entries":
                    d.maxEntries = intField(name, m);
                    break;
                case "map_flags":
                    d.flags = intField(name, m);
                    break;
                case "numa_node":
                    d.numaNode = intField(name, m);
                    break;
                case "key_size": {
                    int sz = intField(name, m);
                    checkSize(name, "key", d.keySizeSet, d.keySize, sz);
                    d.keySize = sz;
                    d.keySizeSet = true;
                    break;
                }
                case "key": {
                    int[] r = pointee(name, "key", m);
                    checkSize(name, "key", d.keySizeSet, d.keySize, r[1]);
                    d.keySize = r[1];
                    d.keySizeSet = true;
                    d.keyTypeId = r[0];
                    break;
                }
                case "value_size": {
                    int sz = intField(name, m);
                    checkSize(name, "value", d.valueSizeSet, d.valueSize, sz);
                    d.valueSize = sz;
                    d.valueSizeSet = true;
                    break;
                }
                case "value": {
                    int[] r = pointee(name, "value", m);
                    checkSize(name, "value", d.valueSizeSet, d.valueSize, r[1]);
                    d.valueSize = r[1];
                    d.valueSizeSet = true;
                    d.valueTypeId = r[0];
                    break;
                }
                case "values":
                    parseValues(name, d, m, isInner, i == members.size() - 1);
                    break;
                case "pinning": {
                    if (isInner) {
                        throw new DeclarationException("map '" + name + "': inner def can't be pinned.", name, ".maps");
                    }
                    int val = intField(name, m);
                    if (val != 0 && val != 1) {
                        throw new DeclarationException("map '" + name + "': invalid pinning value " + val + ".", name, ".maps");
                    }
                    d.pinning = val == 1 ? MapSpec.Pinning.BY_NAME : MapSpec.Pinning.NONE;
                    break;
                }
                case "map_extra":
                    d.mapExtra = longField(name, m);
                    break;
                default:
                    throw new DeclarationException("map '" + name + "': unknown field '" + field + "'.", name, ".maps");
            }
        }
        if (d.type < 0) {
            throw new DeclarationException("map '" + name + "': map type isn't specified.", name, ".maps");
        }
        return d;
    }

    private static void checkSize(String map, String what, boolean set, int old, int now) {
        if (set && old != now) {
            throw new DeclarationException("map '" + map + "': conflicting " + what + " size " + Integer.toUnsignedString(old)
                    + " != " + Integer.toUnsignedString(now) + ".", map, ".maps");
        }
    }

    private void parseValues(String name, Def d, BtfType.Member m, boolean isInner, boolean last) {
        if (isInner) {
            throw new DeclarationException("map '" + name + "': multi-level inner maps not supported.", name, ".maps");
        }
        if (!last) {
            throw new DeclarationException("map '" + name + "': '" + m.name() + "' member should be last.", name, ".maps");
        }
        // a bpf4j call table (INSN_ARRAY + BPF_F_CALL_TABLE, docs/indirect-calls.md) lists functions as a prog array does
        boolean callTable = d.type == MapType.INSN_ARRAY.id() && (d.mapExtra & BPF_F_CALL_TABLE) != 0;
        boolean progArray = d.type == MapType.PROG_ARRAY.id() || callTable;
        if (d.type != MapType.ARRAY_OF_MAPS.id() && d.type != MapType.HASH_OF_MAPS.id() && !progArray) {
            throw new DeclarationException("map '" + name + "': should be map-in-map or prog-array.", name, ".maps");
        }
        checkSize(name, "value", d.valueSizeSet, d.valueSize, 4);
        d.valueSize = 4;
        d.valueSizeSet = true;
        BtfType t = btf.type(m.type());
        if (!(t instanceof BtfType.Array) || ((BtfType.Array) t).elements() != 0) {
            throw new DeclarationException("map '" + name + "': " + (progArray ? "prog-array" : "map-in-map") + " "
                    + m.name() + " spec is not a zero-sized array.", name, ".maps");
        }
        BtfType elem = btf.resolve(((BtfType.Array) t).elementType());
        if (!(elem instanceof BtfType.Ptr)) {
            throw new DeclarationException("map '" + name + "': " + (progArray ? "prog-array" : "map-in-map") + " "
                    + m.name() + " def is of unexpected kind " + kindName(elem) + ".", name, ".maps");
        }
        BtfType target = btf.resolve(((BtfType.Ptr) elem).type());
        if (progArray) {
            if (!(target instanceof BtfType.FuncProto)) {
                throw new DeclarationException("map '" + name + "': prog-array value def is of unexpected kind "
                        + kindName(target) + ".", name, ".maps");
            }
            return;
        }
        if (!(target instanceof BtfType.Struct)) {
            throw new DeclarationException("map '" + name + "': map-in-map inner def is of unexpected kind "
                    + kindName(target) + ".", name, ".maps");
        }
        d.inner = parseDef(name + ".inner", (BtfType.Struct) target, true);
    }

    private int intField(String map, BtfType.Member m) {
        BtfType t = btf.resolve(m.type());
        if (!(t instanceof BtfType.Ptr)) {
            throw new DeclarationException("map '" + map + "': attr '" + m.name() + "': expected PTR, got " + kindName(t) + ".",
                    map, ".maps");
        }
        BtfType arr = btf.type(((BtfType.Ptr) t).type());
        if (!(arr instanceof BtfType.Array)) {
            throw new DeclarationException("map '" + map + "': attr '" + m.name() + "': expected ARRAY, got "
                    + kindName(arr) + ".", map, ".maps");
        }
        return (int) ((BtfType.Array) arr).elements();
    }

    private long longField(String map, BtfType.Member m) {
        BtfType t = btf.resolve(m.type());
        if (t instanceof BtfType.Enumeration) {
            List<BtfType.EnumValue> values = ((BtfType.Enumeration) t).values();
            if (values.size() != 1) {
                throw new DeclarationException("map '" + map + "': attr '" + m.name() + "': invalid __ulong", map, ".maps");
            }
            return values.get(0).value();
        }
        return Integer.toUnsignedLong(intField(map, m));
    }

    // {type id, size} of the type a PTR member points to
    private int[] pointee(String map, String what, BtfType.Member m) {
        BtfType t = btf.resolve(m.type());
        if (!(t instanceof BtfType.Ptr)) {
            throw new DeclarationException("map '" + map + "': " + what + " spec is not PTR: " + kindName(t) + ".", map, ".maps");
        }
        int id = ((BtfType.Ptr) t).type();
        long size;
        try {
            size = btf.sizeOf(id);
        } catch (BtfException e) {
            size = -22;
        }
        if (size < 0) {
            throw new DeclarationException("map '" + map + "': can't determine " + what + " size for type [" + id + "]: "
                    + size + ".", map, ".maps");
        }
        return new int[] {id, (int) size};
    }

    static String kindName(BtfType t) {
        return t.kind().name().toLowerCase(java.util.Locale.ROOT);
    }

    // ---- global data ----------------------------------------------------------------------

    private void dataMaps(List<MapSpec> maps, ObjectLimits limits) {
        long total = 0;
        for (ElfSection s : elf.sections()) {
            SectionKind k = sections.kind(s.index());
            if (!k.isGlobalData() || s.size() == 0) {
                continue;
            }
            // sh_size is u64 and, for NOBITS, backed by nothing in the file: check it before any cast or allocation
            String mapName = internalMapName(objectName, s.name());
            long size = s.size();
            if (Long.compareUnsigned(size, ObjectLimits.MAX_VALUE_SIZE) > 0) {
                throw new DeclarationException("map '" + mapName + "': size " + Long.toUnsignedString(size) + " of section '"
                        + s.name() + "' exceeds the largest map value (" + ObjectLimits.MAX_VALUE_SIZE
                        + " bytes, INT_MAX; the kernel refuses it with -E2BIG)", mapName, s.name());
            }
            total += size;
            if (total > limits.maxGlobalData()) {
                throw new DeclarationException("map '" + mapName + "': size " + size + " of section '" + s.name()
                        + "' brings the object's global data to " + total + " bytes, over the limit of "
                        + limits.maxGlobalData() + " bytes (ObjectLimits.maxGlobalData)", mapName, s.name());
            }
            MapSpec.Kind kind = k == SectionKind.DATA ? MapSpec.Kind.DATA : k == SectionKind.RODATA ? MapSpec.Kind.RODATA
                    : MapSpec.Kind.BSS;
            int valueTypeId = 0;
            boolean mmapable = false;
            if (btf != null) {
                BtfType.DataSec ds = DataSecs.find(btf, s.name()).orElse(null);
                if (ds != null) {
                    valueTypeId = ds.id();
                    for (DataSecVar v : DataSecs.vars(elf, btf, ds)) {
                        if (v.linkage() != VarLinkage.STATIC) {
                            mmapable = true;
                        }
                    }
                }
            }
            int flags = (kind == MapSpec.Kind.RODATA ? MapSpec.F_RDONLY_PROG : 0) | (mmapable ? MapSpec.F_MMAPABLE : 0);
            // a .bss image is all zeros: MapSpec makes it on demand rather than holding it from open
            byte[] data = kind == MapSpec.Kind.BSS ? null : s.bytes();
            maps.add(MapSpec.builder(mapName, kind).typeId(MapType.ARRAY.id()).keySize(4).valueSize((int) s.size())
                    .valueTypeId(valueTypeId).maxEntries(1).flags(flags).initialData(data).section(s.name(), s.index(), 0)
                    .declarationSize(s.size()).build());
        }
    }

    private void kconfigMap(List<MapSpec> maps, List<Extern> externs) {
        int size = Externs.kconfigSize(externs);
        if (size == 0) {
            return;
        }
        int valueTypeId = btf == null ? 0 : DataSecs.find(btf, ".kconfig").map(BtfType::id).orElse(0);
        int symtab = sections.first(SectionKind.SYMTAB);
        maps.add(MapSpec.builder(internalMapName(objectName, ".kconfig"), MapSpec.Kind.KCONFIG).typeId(MapType.ARRAY.id())
                .keySize(4).valueSize(size).valueTypeId(valueTypeId).maxEntries(1)
                .flags(MapSpec.F_RDONLY_PROG | MapSpec.F_MMAPABLE).initialData(new byte[size]).section(".kconfig", symtab, 0)
                .declarationSize(size).build());
    }
}
