package io.bpf4j.loader;

import io.bpf4j.isa.LittleEndian;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.elf.spec.DataSecVar;
import io.bpf4j.elf.spec.DataSecs;
import io.bpf4j.elf.spec.MapSpec;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.maps.MapException;
import io.bpf4j.maps.MapFlags;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A map of a {@link BpfObject}: its definition, adjustable while the object is open (libbpf's
 * {@code bpf_map__set_*}), and after {@link BpfObject#load()} its entries, read and written as
 * user space does through {@code bpf()} ({@code bpf_map_lookup_elem}, {@code _update_elem},
 * {@code _delete_elem}, {@code _get_next_key}).
 *
 * <p>Keys and values are the map's bytes, little-endian as on x86-64 and arm64; the typed
 * methods ({@link #lookupLong(long)}, {@link #updateLong(long, long)}, ...) encode an integer key
 * in the map's key size and read an integer value of the map's value size. Per-CPU maps hold
 * one value per CPU: {@link #lookupPerCpu(byte[])}.
 *
 * <pre>{@code
 * obj.load();
 * prog.testRun(TestRunInput.ofData(frame));
 * long packets = obj.map("counters").orElseThrow().lookupLong(0).orElse(0);
 * }</pre>
 */
public final class BpfMap {
    /** Update flag: create the entry or replace it ({@code BPF_ANY}). */
    public static final long BPF_ANY = MapFlags.BPF_ANY;
    /** Update flag: create the entry only if the key is absent ({@code BPF_NOEXIST}). */
    public static final long BPF_NOEXIST = MapFlags.BPF_NOEXIST;
    /** Update flag: replace the entry only if the key is present ({@code BPF_EXIST}). */
    public static final long BPF_EXIST = MapFlags.BPF_EXIST;

    private final BpfObject owner;
    private final int index;

    BpfMap(BpfObject owner, int index) {
        this.owner = owner;
        this.index = index;
    }

    MapSpec spec() {
        return owner.spec().maps().get(index);
    }

    /**
     * The map's name as the kernel knows it: a declared map's name, or for a global-data map the
     * object name cut to fit 15 characters plus the section ({@code calculon.rodata}).
     */
    public String name() {
        return spec().name();
    }

    /**
     * The map's real name as libbpf 1.x's {@code bpf_map__name} gives it: a declared map's name,
     * or a global-data map's section name ({@code .rodata}, {@code .data.custom}).
     */
    public String realName() {
        MapSpec s = spec();
        return s.kind().isGlobalData() && s.sectionName() != null ? s.sectionName() : s.name();
    }

    /** The index of the map in the object: what relocated {@code ld_imm64} instructions carry. */
    public int index() {
        return index;
    }

    /** The map type, or {@code null} for a type number bpf4j does not know. */
    public MapType type() {
        return spec().type();
    }

    /** The key size in bytes. */
    public int keySize() {
        return spec().keySize();
    }

    /** The value size in bytes (of one CPU's value for per-CPU maps). */
    public int valueSize() {
        return spec().valueSize();
    }

    /** The maximum number of entries. */
    public int maxEntries() {
        return spec().maxEntries();
    }

    /** The {@code BPF_F_*} map flags. */
    public int flags() {
        return spec().flags();
    }

    /** libbpf's {@code bpf_map__set_max_entries}: only while the object is open. */
    public BpfMap setMaxEntries(int maxEntries) {
        owner.updateMap(index, spec().withMaxEntries(maxEntries));
        return this;
    }

    /** libbpf's {@code bpf_map__set_map_flags}: only while the object is open. */
    public BpfMap setFlags(int flags) {
        owner.updateMap(index, spec().withFlags(flags));
        return this;
    }

    /** libbpf's {@code bpf_map__set_numa_node}: only while the object is open. */
    public BpfMap setNumaNode(int node) {
        owner.updateMap(index, spec().withNumaNode(node));
        return this;
    }

    /** libbpf's {@code bpf_map__set_map_extra}: only while the object is open. */
    public BpfMap setMapExtra(long extra) {
        owner.updateMap(index, spec().withMapExtra(extra));
        return this;
    }

    /** libbpf's {@code bpf_map__set_autocreate}: references to a map not created are poisoned. */
    public BpfMap setAutocreate(boolean autocreate) {
        owner.updateMap(index, spec().withAutocreate(autocreate));
        return this;
    }

    /**
     * libbpf's {@code bpf_map__set_initial_value}: a global-data map's whole image, only while
     * the object is open.
     *
     * @throws VariableException when the map holds no global data or the size differs from its value size
     */
    public BpfMap setInitialValue(byte[] data) {
        MapSpec s = spec();
        if (s.initialData() == null || data.length != s.valueSize()) {
            throw new VariableException(s.name(), "map '" + s.name() + "': initial value of " + data.length
                    + " bytes does not fit a value of " + s.valueSize() + " bytes");
        }
        owner.updateMap(index, s.withInitialData(data));
        return this;
    }

    /**
     * Sets one variable of a global-data map by name before load, as a skeleton's
     * {@code rodata->var = ...}; after load, {@link GlobalVariable#set(byte[])} writes the live map.
     *
     * @throws VariableException when the map has no such variable or the size differs
     */
    public BpfMap setVariable(String variable, byte[] value) {
        variable(variable).orElseThrow(() -> new VariableException(variable, "map '" + name()
                + "': no variable '" + variable + "'")).set(value);
        return this;
    }

    /** The variables of a global-data map, from BTF, with offsets as libbpf fixes them up; empty for other maps. */
    public List<GlobalVariable> variables() {
        List<GlobalVariable> out = new ArrayList<>();
        for (DataSecVar v : dataSecVars()) {
            out.add(new GlobalVariable(this, v.name(), (int) v.offset(), (int) v.size()));
        }
        return out;
    }

    /** The global variable {@code name} of this global-data map. */
    public Optional<GlobalVariable> variable(String name) {
        return variables().stream().filter(v -> v.name().equals(name)).findFirst();
    }

    List<DataSecVar> dataSecVars() {
        MapSpec s = spec();
        Btf btf = owner.spec().btf().orElse(null);
        if (btf == null || !s.kind().isGlobalData() || s.valueTypeId() == 0) {
            return List.of();
        }
        BtfType t = btf.type(s.valueTypeId());
        return t instanceof BtfType.DataSec ? DataSecs.vars(owner.spec().elf(), btf, (BtfType.DataSec) t) : List.of();
    }

    /** Where the map is pinned: {@code <pin root>/<name>} for {@code LIBBPF_PIN_BY_NAME}. */
    public Optional<Path> pinPath() {
        return spec().pinning() == MapSpec.Pinning.BY_NAME ? Optional.of(owner.options().pinRoot().resolve(name()))
                : Optional.empty();
    }

    /** Whether the map exists in process: the object is loaded and the map was created (autocreate). */
    public boolean isCreated() {
        return owner.runtimeMap(index).isPresent();
    }

    /** Whether the live map is frozen: {@code .rodata} and {@code .kconfig} after load, as libbpf freezes them. */
    public boolean isFrozen() {
        return live().isFrozen();
    }

    // ---- entries --------------------------------------------------------------------------

    /**
     * The value under {@code key} ({@code bpf_map_lookup_elem}); for per-CPU maps every CPU's
     * value, each padded to 8 bytes ({@link #lookupPerCpu(byte[])} splits them).
     *
     * @return the value, or empty when the key is absent
     * @throws ObjectStateException   before load, or when the map was not created
     * @throws MapOperationException  for a key of the wrong size, or a map type without lookup
     */
    public Optional<byte[]> lookup(byte[] key) {
        io.bpf4j.maps.BpfMap m = live();
        try {
            return Optional.of(m.lookup(key));
        } catch (MapException e) {
            if (e.errno() == Errno.ENOENT) {
                return Optional.empty();
            }
            throw failed("lookup", e);
        }
    }

    /** {@link #lookup(byte[])} with the key's remaining bytes; the value comes back little-endian. */
    public Optional<ByteBuffer> lookup(ByteBuffer key) {
        return lookup(bytes(key)).map(v -> ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN));
    }

    /**
     * A per-CPU map's values under {@code key}, one per CPU in CPU order, each {@link #valueSize()}
     * bytes (the kernel pads each to 8 bytes in the lookup buffer; the padding is removed).
     */
    public Optional<List<byte[]>> lookupPerCpu(byte[] key) {
        return lookup(key).map(this::splitPerCpu);
    }

    /**
     * Creates or replaces the entry {@code key} ({@code bpf_map_update_elem} with {@link #BPF_ANY}).
     *
     * @throws MapOperationException for the wrong sizes, a full map ({@code E2BIG}), a frozen map ({@code EPERM})
     */
    public void update(byte[] key, byte[] value) {
        update(key, value, BPF_ANY);
    }

    /** {@link #update(byte[], byte[])} with {@link #BPF_ANY}, {@link #BPF_NOEXIST} or {@link #BPF_EXIST}. */
    public void update(byte[] key, byte[] value, long flags) {
        io.bpf4j.maps.BpfMap m = live();
        try {
            m.update(key, value, flags);
        } catch (MapException e) {
            throw failed("update", e);
        }
    }

    /** {@link #update(byte[], byte[])} with the buffers' remaining bytes. */
    public void update(ByteBuffer key, ByteBuffer value) {
        update(bytes(key), bytes(value));
    }

    /**
     * Deletes the entry {@code key} ({@code bpf_map_delete_elem}).
     *
     * @return whether the key was present
     * @throws MapOperationException for a map type without delete (arrays: {@code EINVAL})
     */
    public boolean delete(byte[] key) {
        io.bpf4j.maps.BpfMap m = live();
        try {
            m.delete(key);
            return true;
        } catch (MapException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw failed("delete", e);
        }
    }

    /** Every key, in the map's iteration order ({@code bpf_map_get_next_key} from no key on). */
    public List<byte[]> keys() {
        io.bpf4j.maps.BpfMap m = live();
        try {
            return m.keys();
        } catch (MapException e) {
            throw failed("get_next_key", e);
        }
    }

    /** Every entry, in the map's iteration order; a key deleted while iterating is skipped. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (byte[] k : keys()) {
            lookup(k).ifPresent(v -> out.add(new Entry(k, v)));
        }
        return out;
    }

    /** One key and its value. */
    public record Entry(byte[] key, byte[] value) {
        /** The key as an unsigned little-endian integer (keys of 1, 2, 4 or 8 bytes). */
        public long keyAsLong() {
            return decode(key);
        }

        /** The value as an unsigned little-endian integer (values of 1, 2, 4 or 8 bytes). */
        public long valueAsLong() {
            return decode(value);
        }
    }

    // ---- integer conveniences --------------------------------------------------------------

    /**
     * The value under an integer key, read as an unsigned little-endian integer of the map's value
     * size (1, 2, 4 or 8 bytes; a 4-byte value {@code 0xffffffff} is 4294967295).
     *
     * @throws MapOperationException when the key or value size is not 1, 2, 4 or 8
     */
    public OptionalLong lookupLong(long key) {
        Optional<byte[]> v = lookup(encode(key, keySize(), "key"));
        return v.isEmpty() ? OptionalLong.empty() : OptionalLong.of(decodeSized(v.get(), valueSize()));
    }

    /** A per-CPU map's values under an integer key, one per CPU, each read as {@link #lookupLong(long)} reads one. */
    public Optional<List<Long>> lookupPerCpuLong(long key) {
        return lookupPerCpu(encode(key, keySize(), "key")).map(list -> {
            List<Long> out = new ArrayList<>();
            list.forEach(v -> out.add(decodeSized(v, valueSize())));
            return out;
        });
    }

    /** Creates or replaces the entry of an integer key with an integer value, each in the map's sizes. */
    public void updateLong(long key, long value) {
        update(encode(key, keySize(), "key"), encode(value, valueSize(), "value"));
    }

    /** Deletes the entry of an integer key; whether it was present. */
    public boolean deleteLong(long key) {
        return delete(encode(key, keySize(), "key"));
    }

    /** Every entry as integers, in iteration order (keys and values of 1, 2, 4 or 8 bytes). */
    public Map<Long, Long> toLongMap() {
        Map<Long, Long> out = new LinkedHashMap<>();
        for (Entry e : entries()) {
            out.put(decodeSized(e.key(), keySize()), decodeSized(e.value(), valueSize()));
        }
        return out;
    }

    /** Everything {@code inspect} shows. */
    public MapInfo info() {
        MapSpec s = spec();
        MapType t = s.type();
        return new MapInfo(s.name(), s.kind().name().toLowerCase(java.util.Locale.ROOT),
                t == null ? Integer.toString(s.typeId()) : t.displayName(), s.keySize(), s.valueSize(), s.maxEntries(),
                s.flags(), s.numaNode(), s.mapExtra(), s.keyTypeId(), s.valueTypeId(),
                s.pinning().name().toLowerCase(java.util.Locale.ROOT), pinPath().map(Path::toString).orElse(null),
                s.innerMap() == null ? null : s.innerMap().name(), s.initialSlots(),
                s.initialDataSize(), s.sectionName(), s.autocreate());
    }

    /** The in-process map, once the object is loaded and if the map was created. */
    Optional<io.bpf4j.maps.BpfMap> runtime() {
        return owner.runtimeMap(index);
    }

    io.bpf4j.maps.BpfMap live() {
        return owner.runtimeMap(index).orElseThrow(() -> new ObjectStateException("map '" + name() + "': "
                + (owner.state() == ObjectState.LOADED ? "was not created (autocreate is off)" : "has entries only after load()"),
                owner.state()));
    }

    BpfObject owner() {
        return owner;
    }

    private List<byte[]> splitPerCpu(byte[] all) {
        int size = valueSize();
        int stride = (size + 7) & ~7;
        List<byte[]> out = new ArrayList<>();
        if (stride == 0 || all.length < stride || !isPerCpu()) {
            out.add(all);
            return out;
        }
        for (int off = 0; off + size <= all.length; off += stride) {
            byte[] v = new byte[size];
            System.arraycopy(all, off, v, 0, size);
            out.add(v);
        }
        return out;
    }

    // ---- arenas ---------------------------------------------------------------------------

    /**
     * For an arena ({@code BPF_MAP_TYPE_ARENA}) after load: the user-space address of its first
     * page ({@code map_extra}, or the address bpf4j chose), what arena pointers in user form hold.
     *
     * @throws ObjectStateException   before load
     * @throws MapOperationException  for a map that is not an arena
     */
    public long arenaUserAddress() {
        return arena("arena address").userVmStart();
    }

    /**
     * For an arena after load: {@code length} bytes at byte {@code offset} of the arena, as user
     * space reads them through its mapping (zeros where no page is allocated). The
     * {@code __arena} globals start at offset 0 (libbpf places them there).
     *
     * @throws MapOperationException for a map that is not an arena, or bytes outside it
     */
    public byte[] readArena(long offset, int length) {
        try {
            return arena("read arena").read(offset, length);
        } catch (MapException e) {
            throw failed("read arena", e);
        }
    }

    /**
     * For an arena after load: writes {@code data} at byte {@code offset}, allocating the pages
     * it touches, as a user-space write through the mapping does.
     *
     * @throws MapOperationException for a map that is not an arena, or bytes outside it
     */
    public void writeArena(long offset, byte[] data) {
        try {
            arena("write arena").write(offset, data.clone());
        } catch (MapException e) {
            throw failed("write arena", e);
        }
    }

    private io.bpf4j.maps.Arena arena(String op) {
        io.bpf4j.maps.BpfMap m = live();
        if (!(m instanceof io.bpf4j.maps.Arena a)) {
            throw new MapOperationException(name(), op, 22, "map '" + name() + "': " + op + ": not an arena", null);
        }
        return a;
    }

    private boolean isPerCpu() {
        MapType t = type();
        return t == MapType.PERCPU_ARRAY || t == MapType.PERCPU_HASH || t == MapType.LRU_PERCPU_HASH
                || t == MapType.PERCPU_CGROUP_STORAGE;
    }

    private MapOperationException failed(String op, MapException e) {
        return new MapOperationException(name(), op, e.errno().number(), "map '" + name() + "': " + op + ": " + e.getMessage(), e);
    }

    private byte[] encode(long v, int size, String what) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new MapOperationException(name(), "encode", Errno.EINVAL.number(), "map '" + name() + "': a " + what + " of " + size
                    + " bytes is not an integer (1, 2, 4 or 8 bytes); use the byte[] methods", null);
        }
        return LittleEndian.of(v, size);
    }

    private long decodeSized(byte[] b, int size) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new MapOperationException(name(), "decode", Errno.EINVAL.number(), "map '" + name() + "': a value of " + size
                    + " bytes is not an integer (1, 2, 4 or 8 bytes); use the byte[] methods", null);
        }
        return decode(b);
    }

    static long decode(byte[] b) {
        return LittleEndian.unsigned(b);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** {@code BpfMap[name type]}. */
    @Override
    public String toString() {
        return "BpfMap[" + name() + " " + (type() == null ? spec().typeId() : type().displayName()) + "]";
    }
}
