package io.bpf4j.loader;

import io.bpf4j.isa.LittleEndian;
import io.bpf4j.jit.Executable;
import io.bpf4j.maps.ProgArray;
import io.bpf4j.jit.runtime.TraceBuffer;
import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.maps.MapDefinition;
import io.bpf4j.maps.MapException;
import io.bpf4j.maps.MapFactory;
import io.bpf4j.maps.MapFlags;
import io.bpf4j.elf.spec.MapSpec;
import io.bpf4j.elf.spec.MapSpecReader;
import io.bpf4j.relocator.CoreRelocatedObject;
import io.bpf4j.relocator.ObjectSpec;
import io.bpf4j.relocator.ProgramSpec;
import io.bpf4j.relocator.RelocatedProgram;
import io.bpf4j.relocator.Relocator;
import io.bpf4j.relocator.StructOpsKernel;
import io.bpf4j.relocator.RelocatorOptions;
import io.bpf4j.elf.spec.ObjectLimits;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A BPF object, opened as libbpf's {@code bpf_object__open} opens it and loaded as far as bpf4j
 * goes today: {@link #open} parses and classifies everything (programs, maps, externs,
 * relocations) into specs that can still be adjusted; {@link #load} freezes them, relocates
 * every autoloaded program and creates the maps in process with their initial data. The
 * lifecycle is guarded by {@link ObjectState}.
 *
 * <p>The relocation phases (externs resolved, CO-RE applied, each program relocated) are
 * computed at most once for the object as it stands, whether {@link #load}, {@link #coreRelocations}
 * or a program's {@link BpfProgram#relocated()} asks first; changing a spec drops them.
 *
 * <pre>{@code
 * try (BpfObject obj = BpfObject.open(Path.of("prog.bpf.o"))) {
 *     obj.program("xdp_main").orElseThrow().setAutoload(true);
 *     obj.map("counts").orElseThrow().setMaxEntries(1024);
 *     obj.load();
 * }
 * }</pre>
 */
public final class BpfObject implements AutoCloseable {
    private final OpenOptions options;
    private ObjectSpec spec;
    private ObjectState state = ObjectState.OPENED;
    /** The externs-resolved, CO-RE-applied phase of {@link #spec}, or null until asked for. */
    private CoreRelocatedObject core;
    /**
     * The typeless {@code __ksym} names whose addresses are still to be read from the host's
     * kallsyms, or null once read: read when externs are first resolved (as libbpf reads
     * kallsyms at load, not at open), since reading /proc/kallsyms costs more than opening.
     */
    private Set<String> unreadKsyms;
    private StructOpsKernel.Result structOpsKernel;
    /** Programs relocated from {@link #core}, by name. */
    private final Map<String, RelocatedProgram> relocated = new HashMap<>();
    private final Map<String, List<io.bpf4j.maps.BpfMap>> tableMaps = new HashMap<>();
    private final Map<Integer, io.bpf4j.maps.BpfMap> runtime = new HashMap<>();
    private final Map<String, Executable> executables = new HashMap<>();
    private final Map<String, ProgramVerification> verifications = new HashMap<>();
    /** Every test run's trace lines, as the kernel's trace pipe holds them across runs. */
    private final TraceBuffer trace = new TraceBuffer(4096);

    private BpfObject(ObjectSpec spec, OpenOptions options, Set<String> unreadKsyms) {
        this.spec = spec;
        this.options = options;
        this.unreadKsyms = unreadKsyms.isEmpty() ? null : unreadKsyms;
    }

    /** Opens an object file with default options. */
    public static BpfObject open(Path path) {
        return open(path, OpenOptions.defaults());
    }

    /** Opens an object file; the object name defaults to libbpf's (file name cut at 15 characters and the first dot). */
    public static BpfObject open(Path path, OpenOptions options) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("elf: cannot read '" + path + "'", e);
        }
        String name = options.objectName() != null ? options.objectName()
                : MapSpecReader.objectName(path.getFileName().toString());
        return open(bytes, name, options);
    }

    /**
     * Opens an object shipped on the classpath, such as the {@code bpf/<name>.bpf.o} files the
     * Maven plugin's {@code compile} goal writes into the build's output directory:
     * {@code BpfObject.openResource("bpf/xdp_counter.bpf.o")}. The name is looked up with the
     * thread's context class loader, else this class's loader (a leading {@code /} is ignored);
     * the object is named after the resource's file name, as {@link #open(Path)} names a file.
     *
     * @throws io.bpf4j.isa.BpfException naming the resource when no class loader has it
     */
    public static BpfObject openResource(String resource) {
        return openResource(resource, OpenOptions.defaults());
    }

    /** {@link #openResource(String)} with options. */
    public static BpfObject openResource(String resource, OpenOptions options) {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        InputStream in = context == null ? null : context.getResourceAsStream(name);
        if (in == null) {
            in = BpfObject.class.getClassLoader().getResourceAsStream(name);
        }
        if (in == null) {
            throw new io.bpf4j.isa.BpfException("elf: no classpath resource '" + name + "'");
        }
        byte[] bytes;
        try (InputStream stream = in) {
            bytes = stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("elf: cannot read classpath resource '" + name + "'", e);
        }
        String objectName = options.objectName() != null ? options.objectName()
                : MapSpecReader.objectName(name.substring(name.lastIndexOf('/') + 1));
        return open(bytes, objectName, options);
    }

    /**
     * Opens an object from memory. libbpf names such an object after its buffer address; bpf4j
     * takes the name from the options, or uses {@code "obj"}.
     */
    public static BpfObject open(byte[] bytes, OpenOptions options) {
        return open(bytes, options.objectName() != null ? options.objectName() : "obj", options);
    }

    /** Opens an object read from a stream (the stream is read to its end, not closed). */
    public static BpfObject open(InputStream in, OpenOptions options) {
        try {
            return open(in.readAllBytes(), options);
        } catch (IOException e) {
            throw new UncheckedIOException("elf: cannot read the object", e);
        }
    }

    private static BpfObject open(byte[] bytes, String name, OpenOptions options) {
        ElfObject elf = ElfObject.read(bytes);
        RelocatorOptions.Builder ro = RelocatorOptions.builder().objectName(name)
                .limits(ObjectLimits.defaults().withMaxGlobalData(options.maxGlobalData()));
        int kver = options.kernelVersion() != 0 ? options.kernelVersion() : HostFacts.kernelVersion();
        ro.kernelVersion(kver);
        StringBuilder kconfig = new StringBuilder();
        if (options.kconfig() != null) {
            kconfig.append(options.kconfig());
        }
        if (options.readHostKconfig()) {
            String host = HostFacts.kconfig();
            if (host != null) {
                kconfig.append(host);
            }
        }
        ro.kconfig(kconfig.length() == 0 ? null : kconfig.toString());
        if (options.targetBtf() != null) {
            try {
                ro.targetBtf(io.bpf4j.relocator.core.CoreTarget.parseBtf(Files.readAllBytes(options.targetBtf())));
            } catch (IOException e) {
                throw new UncheckedIOException("btf: cannot read target BTF '" + options.targetBtf() + "'", e);
            }
        }
        ObjectSpec spec = Relocator.open(elf, name, ro.build());
        // addresses are looked up only for the typeless ksyms the object declares, so they join
        // the host facts after open has collected its externs, when externs are first resolved
        Set<String> typeless = new java.util.HashSet<>();
        for (io.bpf4j.elf.spec.Extern e : spec.externs()) {
            if (e.typeless()) {
                typeless.add(e.name());
            }
        }
        return new BpfObject(spec, options, typeless);
    }

    /** The current lifecycle state. */
    public ObjectState state() {
        return state;
    }

    /** The object name (prefix of its global-data map names). */
    public String name() {
        return spec.name();
    }

    /** The parsed object as it stands (with every adjustment made so far). */
    ObjectSpec spec() {
        return spec;
    }

    OpenOptions options() {
        return options;
    }

    /** The entry programs, in libbpf's order (subprograms are not listed, as in libbpf). */
    public List<BpfProgram> programs() {
        checkNotClosed();
        List<BpfProgram> out = new ArrayList<>();
        for (ProgramSpec p : spec.programs()) {
            out.add(new BpfProgram(this, p.name()));
        }
        return out;
    }

    /**
     * The entry program named {@code name} (its function's name, libbpf's
     * {@code bpf_object__find_program_by_name}).
     */
    public Optional<BpfProgram> program(String name) {
        checkNotClosed();
        return spec.program(name).map(p -> new BpfProgram(this, name));
    }

    /** The maps, in libbpf's order. */
    public List<BpfMap> maps() {
        checkNotClosed();
        List<BpfMap> out = new ArrayList<>();
        for (int i = 0; i < spec.maps().size(); i++) {
            out.add(new BpfMap(this, i));
        }
        return out;
    }

    /**
     * The map named {@code name}, found as libbpf 1.x's {@code bpf_object__find_map_by_name}
     * finds it: by its declared name, or for a global-data map by its real name (the section,
     * {@code .rodata}, {@code .data.custom}) as well as the kernel name the object name prefixes
     * ({@code calculon.rodata}).
     */
    public Optional<BpfMap> map(String name) {
        checkNotClosed();
        int i = spec.mapIndex(name);
        if (i < 0) {
            for (int k = 0; k < spec.maps().size(); k++) {
                MapSpec m = spec.maps().get(k);
                if (m.kind().isGlobalData() && name.equals(m.sectionName())) {
                    i = k;
                    break;
                }
            }
        }
        return i < 0 ? Optional.empty() : Optional.of(new BpfMap(this, i));
    }

    /**
     * The global variable {@code name} of any global-data map ({@code .bss}, {@code .data},
     * {@code .rodata}, {@code .data.*}, {@code .rodata.*}), as a skeleton reaches it; readable and
     * writable before load (the initial value) and after load (the live map; {@code .rodata} is
     * then read-only). A static variable the compiler kept has its symbol name.
     */
    public Optional<GlobalVariable> variable(String name) {
        for (BpfMap m : maps()) {
            Optional<GlobalVariable> v = m.variable(name);
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    /**
     * What the object's programs printed with {@code bpf_printk}/{@code bpf_trace_printk} in
     * every test run so far, oldest first (the kernel's trace pipe, as {@code bpftool prog
     * tracelog} shows the message part); bounded to the last 4096 lines.
     */
    public List<String> traceLog() {
        return trace.lines();
    }

    /** Removes and returns {@link #traceLog()}'s lines, as reading the trace pipe consumes them. */
    public List<String> drainTraceLog() {
        return trace.drain();
    }

    void appendTrace(List<String> lines) {
        trace.addAll(lines);
    }

    /**
     * What CO-RE does to each program (libbpf's {@code bpf_core_apply_relo} results, which
     * {@code inspect --core} shows), against the target BTF of the options or else the running
     * kernel's; empty when the object has no CO-RE records. Nothing is loaded.
     */
    public synchronized Map<String, List<CoreRelocation>> coreRelocations() {
        checkNotClosed();
        Map<String, List<CoreRelocation>> out = new TreeMap<>();
        coreApplied().programs().forEach((name, r) -> out.put(name, r.results().stream().map(CoreRelocation::of).toList()));
        return out;
    }

    /**
     * Loads the object, in libbpf's order: relocate (externs resolved, CO-RE applied against the
     * target BTF of the open options or else the running kernel's, every autoloaded program
     * relocated), create the maps in process with their initial data ({@code .rodata} and
     * {@code .kconfig} frozen afterwards, as libbpf does) and each program's call and jump
     * tables, prepare each program for its engine, and fill the prog arrays.
     *
     * @throws ObjectStateException when the object is not open
     */
    public synchronized void load() {
        load(LoadOptions.defaults());
    }

    /**
     * {@link #load()} with options: unless they turn verification off, each autoloaded program
     * is verified before it is prepared, in object order, and the first rejection is a
     * {@link ProgramRejectedException} (nothing is created then).
     */
    public synchronized void load(LoadOptions options) {
        if (state != ObjectState.OPENED) {
            throw new ObjectStateException("object '" + spec.name() + "': load is only possible once, after open (state "
                    + state.name().toLowerCase(java.util.Locale.ROOT) + ")", state);
        }
        // struct_ops maps against the target kernel's BTF (libbpf: before relocation), which
        // also decides which struct_ops programs load
        StructOpsKernel.Result structOpsResult = null;
        if (!spec.structOps().isEmpty()) {
            structOpsResult = StructOpsKernel.initKern(spec, HostCoreTarget.structOpsTarget(spec));
            if (structOpsResult.object() != spec) {
                spec = structOpsResult.object();
                core = null;
                relocated.clear();
            }
        }
        // relocate
        CoreRelocatedObject relocatedObject = coreApplied();
        ObjectSpec resolved = relocatedObject.object();
        Map<String, RelocatedProgram> done = new HashMap<>();
        for (ProgramSpec p : resolved.programs()) {
            if (p.autoload()) {
                done.put(p.name(), relocated(p.name()));
            }
        }
        // verify: every program is checked here, before any map is created (a rejection leaves nothing behind)
        Map<String, ProgramVerification> verified = new HashMap<>();
        Map<String, io.bpf4j.isa.facts.ProgramFacts> facts = new HashMap<>();
        for (ProgramSpec p : resolved.programs()) {
            if (done.containsKey(p.name())) {
                ProgramVerifier.Outcome outcome = ProgramVerifier.verifyForLoad(resolved, done.get(p.name()), options,
                        relocatedObject.programs());
                verified.put(p.name(), outcome.verification());
                facts.put(p.name(), outcome.facts());
            }
        }
        // create maps
        Map<Integer, io.bpf4j.maps.BpfMap> created = createMaps(resolved);
        Map<String, List<io.bpf4j.maps.BpfMap>> tables = new HashMap<>();
        for (RelocatedProgram rp : done.values()) {
            tables.put(rp.name(), createTables(rp));
        }
        // prepare
        Map<String, Executable> prepared = new HashMap<>();
        done.forEach((name, rp) -> prepared.put(name, ExecutableBuilder.prepare(rp, visibleMaps(resolved, created, tables.get(name)),
                resolved.maps().size(), options.engine(), facts.get(name))));
        // bind each program's instruction arrays to it, as the kernel does after its JIT
        done.forEach((name, rp) -> bindTables(rp, tables.get(name), prepared.get(name)));
        // fill prog arrays
        fillProgArrays(resolved, created, prepared);
        spec = resolved;
        runtime.putAll(created);
        tableMaps.putAll(tables);
        executables.putAll(prepared);
        verifications.putAll(verified);
        structOpsKernel = structOpsResult;
        state = ObjectState.LOADED;
    }

    /** The object's autocreated maps, by index, with their initial data and map-in-map slots. */
    private static Map<Integer, io.bpf4j.maps.BpfMap> createMaps(ObjectSpec resolved) {
        Map<Integer, io.bpf4j.maps.BpfMap> created = new HashMap<>();
        for (int i = 0; i < resolved.maps().size(); i++) {
            MapSpec m = resolved.maps().get(i);
            // a struct_ops map lives in the kernel's struct_ops subsystem: its value is the
            // loader's view (BpfStructOps), there is nothing for programs to address in process
            if (m.autocreate() && m.kind() != MapSpec.Kind.STRUCT_OPS) {
                created.put(i, create(m));
            }
        }
        for (int i = 0; i < resolved.maps().size(); i++) {
            MapSpec m = resolved.maps().get(i);
            io.bpf4j.maps.BpfMap map = created.get(i);
            if (map == null || m.initialSlots().isEmpty() || m.typeId() == MapType.PROG_ARRAY.id()) {
                continue;
            }
            for (Map.Entry<Integer, String> slot : m.initialSlots().entrySet()) {
                io.bpf4j.maps.BpfMap inner = created.get(resolved.mapIndex(slot.getValue()));
                if (inner != null) {
                    map.update(LittleEndian.u32(slot.getKey()), LittleEndian.u32(inner.id()), MapFlags.BPF_ANY);
                }
            }
        }
        return created;
    }

    /** The object as it stands with its externs resolved and CO-RE applied, computed once. */
    private CoreRelocatedObject coreApplied() {
        if (core == null) {
            if (unreadKsyms != null) {
                spec = spec.withOptions(spec.options().withKallsyms(HostFacts.kallsyms(unreadKsyms)));
                unreadKsyms = null;
            }
            core = HostCoreTarget.relocate(Relocator.resolve(spec, Relocator.needsKernelBtf(spec) ? HostCoreTarget.kernelBtf() : null));
        }
        return core;
    }

    /** The object's maps plus a program's own table maps, by the index its instructions carry. */
    private static Map<Integer, io.bpf4j.maps.BpfMap> visibleMaps(ObjectSpec obj, Map<Integer, io.bpf4j.maps.BpfMap> created,
                                                                  List<io.bpf4j.maps.BpfMap> tables) {
        if (tables.isEmpty()) {
            return created;
        }
        Map<Integer, io.bpf4j.maps.BpfMap> out = new HashMap<>(created);
        for (int k = 0; k < tables.size(); k++) {
            out.put(obj.maps().size() + k, tables.get(k));
        }
        return out;
    }

    /**
     * A program's call and jump tables as frozen instruction arrays holding its target slots
     * (libbpf 1.7's {@code create_jt_map}: create, write every {@code orig_off}, freeze).
     */
    /**
     * Binds the program's instruction arrays to it and fills each entry's {@code xlated_off} (the
     * slot: bpf4j runs the instructions as relocated) and {@code jitted_off} (where the engine
     * that runs it has the instruction: a bytecode offset in the generated method, or the slot
     * for the interpreter), as the kernel fills them after its verifier and JIT.
     */
    private static void bindTables(RelocatedProgram rp, List<io.bpf4j.maps.BpfMap> tables, Executable exe) {
        for (io.bpf4j.maps.BpfMap map : tables) {
            if (!(map instanceof io.bpf4j.maps.InsnArray a)) {
                continue;
            }
            a.bind(rp.instructions().slotCount());
            for (int i = 0; i < a.maxEntries(); i++) {
                int slot = a.origOffset(i);
                a.setXlatedOffset(i, slot);
                a.setJittedOffset(i, exe.position(slot).offset());
            }
        }
    }

    private static List<io.bpf4j.maps.BpfMap> createTables(RelocatedProgram rp) {
        List<io.bpf4j.maps.BpfMap> out = new java.util.ArrayList<>();
        for (io.bpf4j.relocator.tables.TableMap t : rp.indirect().tables()) {
            MapSpec m = t.spec();
            try {
                io.bpf4j.maps.BpfMap map = MapFactory.create(definition(m, null));
                for (int k = 0; k < t.entries().size(); k++) {
                    map.update(LittleEndian.u32(k), t.value(k, java.nio.ByteOrder.LITTLE_ENDIAN), MapFlags.BPF_ANY);
                }
                map.freeze();
                out.add(map);
            } catch (MapException e) {
                throw new MapCreationException(m.name(), "prog '" + rp.name() + "': map '" + m.name() + "': failed to create: "
                        + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The in-process table maps of a loaded program, in {@code indirect().tables()} order; empty before load. */
    synchronized List<io.bpf4j.maps.BpfMap> tableMaps(String program) {
        return tableMaps.getOrDefault(program, List.of());
    }

    /** libbpf's last load step: each prog_array's {@code .values} slot gets its program. */
    private static void fillProgArrays(ObjectSpec obj, Map<Integer, io.bpf4j.maps.BpfMap> maps, Map<String, Executable> programs) {
        for (int i = 0; i < obj.maps().size(); i++) {
            MapSpec m = obj.maps().get(i);
            if (m.typeId() != MapType.PROG_ARRAY.id() || !(maps.get(i) instanceof ProgArray array)) {
                continue;
            }
            for (Map.Entry<Integer, String> slot : m.initialSlots().entrySet()) {
                Executable target = programs.get(slot.getValue());
                if (target == null) {
                    throw new MapCreationException(m.name(), "map '" + m.name() + "': slot " + slot.getKey() + ": program '"
                            + slot.getValue() + "' is not loaded", null);
                }
                array.setProgram(slot.getKey(), target);
            }
        }
    }

    /** How {@link #load} verified a program; empty before load or when it was not loaded. */
    synchronized Optional<ProgramVerification> verification(String name) {
        return Optional.ofNullable(verifications.get(name));
    }

    /** Verifies one program as load would, without loading anything. */
    synchronized ProgramVerification verify(String name, LoadOptions options) {
        return ProgramVerifier.verify(spec, relocated(name), options, coreApplied().programs());
    }

    /** The runnable form of a loaded program. */
    /** The program's executable once loaded, else {@code null}. */
    synchronized Executable loadedExecutable(String name) {
        return executables.get(name);
    }

    synchronized Executable executable(String name) {
        Executable e = executables.get(name);
        if (e == null) {
            throw new ObjectStateException("object '" + spec.name() + "': prog '" + name + "': "
                    + (state == ObjectState.LOADED ? "was not loaded (autoload is off)" : "runs only after load()"), state);
        }
        return e;
    }

    private static io.bpf4j.maps.BpfMap create(MapSpec m) {
        MapType type = m.type();
        if (type == null) {
            throw new MapCreationException(m.name(), "map '" + m.name() + "': failed to create: unknown map type " + m.typeId(), null);
        }
        if (type == MapType.PERF_EVENT_ARRAY && m.maxEntries() == 0) {
            // libbpf sizes a perf event array without max_entries to the possible CPUs at create time
            m = m.withMaxEntries(Runtime.getRuntime().availableProcessors());
        }
        MapDefinition inner = m.innerMap() == null ? null : definition(m.innerMap(), null);
        try {
            io.bpf4j.maps.BpfMap map = MapFactory.create(definition(m, inner));
            if (map instanceof io.bpf4j.maps.Arena arena) {
                // libbpf copies the __arena globals to the start of the arena's user mapping,
                // which allocates the pages they touch
                if (m.initialData() != null && m.initialData().length > 0) {
                    arena.write(0, m.initialData());
                }
            } else if (m.initialData() != null) {
                map.update(LittleEndian.u32(0), m.initialData(), MapFlags.BPF_ANY);
                if (m.readOnlyForPrograms()) {
                    map.freeze();
                }
            }
            return map;
        } catch (MapException e) {
            throw new MapCreationException(m.name(), "map '" + m.name() + "': failed to create: " + e.getMessage(), e);
        }
    }

    private static MapDefinition definition(MapSpec m, MapDefinition inner) {
        return new MapDefinition(m.type(), m.keySize(), m.valueSize(), m.maxEntries(), m.flags(), m.mapExtra(), m.name(),
                inner, MapDefinition.DEFAULT_CPUS, -1);
    }


    /** Closes the object: its maps and programs are dropped; every later call but {@link #state()} fails. */
    @Override
    public synchronized void close() {
        state = ObjectState.CLOSED;
        // the object's map and program ids go as its file descriptors would
        runtime.values().forEach(MapFactory::release);
        tableMaps.values().forEach(maps -> maps.forEach(MapFactory::release));
        executables.values().forEach(MapFactory::unregisterProgram);
        core = null;
        relocated.clear();
        executables.clear();
        runtime.clear();
        tableMaps.clear();
    }

    /** The struct_ops maps, in map order (libbpf: {@code bpf_map__type(m) == BPF_MAP_TYPE_STRUCT_OPS}). */
    public synchronized List<BpfStructOps> structOps() {
        checkNotClosed();
        List<BpfStructOps> out = new java.util.ArrayList<>();
        for (io.bpf4j.elf.spec.StructOpsSpec st : spec.structOps()) {
            out.add(new BpfStructOps(this, st.mapName()));
        }
        return out;
    }

    /** The struct_ops map with this name. */
    public synchronized Optional<BpfStructOps> structOps(String mapName) {
        checkNotClosed();
        return spec.structOps(mapName).map(st -> new BpfStructOps(this, st.mapName()));
    }

    // ---- for BpfStructOps -------------------------------------------------------------------

    synchronized io.bpf4j.elf.spec.StructOpsSpec structOpsSpec(String mapName) {
        checkNotClosed();
        return spec.structOps(mapName).orElseThrow(() -> new IllegalStateException("no struct_ops map '" + mapName + "'"));
    }

    synchronized MapSpec mapSpecOf(String mapName) {
        checkNotClosed();
        return spec.map(mapName).orElseThrow(() -> new IllegalStateException("no map '" + mapName + "'"));
    }

    synchronized void setStructOpsProgram(String mapName, String member, String program) {
        requireOpened("set a struct_ops member");
        io.bpf4j.elf.spec.StructOpsSpec st = structOpsSpec(mapName);
        io.bpf4j.elf.spec.StructOpsSpec.Member m = st.member(member).orElseThrow(() -> new IllegalArgumentException(
                "struct_ops map '" + mapName + "' has no member '" + member + "'"));
        if (!m.functionPointer()) {
            throw new IllegalArgumentException("struct_ops map '" + mapName + "': member '" + member + "' is not a function pointer");
        }
        if (program != null) {
            ProgramSpec p = spec.program(program).orElseThrow(() -> new IllegalArgumentException("no program '" + program + "'"));
            if (p.section().programType() != io.bpf4j.isa.abi.ProgramType.STRUCT_OPS) {
                throw new IllegalArgumentException("struct_ops map '" + mapName + "': program '" + program
                        + "' is not a struct_ops program");
            }
        }
        String old = st.program(m.index()).orElse(null);
        spec = spec.withStructOps(st.withProgram(m.index(), program));
        if (old != null && !old.equals(program)) {
            // libbpf: a program replaced in the shadow variable is not loaded for this map
            spec = spec.withProgram(spec.program(old).orElseThrow().withAutoload(false));
        }
        core = null;
        relocated.clear();
    }

    synchronized void setStructOpsData(String mapName, String member, byte[] value) {
        requireOpened("set a struct_ops member");
        io.bpf4j.elf.spec.StructOpsSpec st = structOpsSpec(mapName);
        io.bpf4j.elf.spec.StructOpsSpec.Member m = st.member(member).orElseThrow(() -> new IllegalArgumentException(
                "struct_ops map '" + mapName + "' has no member '" + member + "'"));
        if (m.functionPointer()) {
            throw new IllegalArgumentException("struct_ops map '" + mapName + "': member '" + member
                    + "' is a function pointer: set a program");
        }
        if (value.length != m.size()) {
            throw new IllegalArgumentException("struct_ops map '" + mapName + "': member '" + member + "' is " + m.size()
                    + " bytes, not " + value.length);
        }
        int i = spec.mapIndex(mapName);
        MapSpec ms = spec.maps().get(i);
        byte[] data = ms.initialData();
        System.arraycopy(value, 0, data, (int) m.offset(), value.length);
        spec = spec.withMap(i, ms.withInitialData(data));
    }

    synchronized Optional<StructOpsKernel.KernelStructOps> structOpsKernel(String mapName) {
        checkNotClosed();
        return structOpsKernel == null ? Optional.empty() : Optional.ofNullable(structOpsKernel.maps().get(mapName));
    }

    synchronized Optional<StructOpsKernel.ProgramAttach> structOpsAttach(String program) {
        checkNotClosed();
        return structOpsKernel == null ? Optional.empty() : Optional.ofNullable(structOpsKernel.programs().get(program));
    }

    private void requireOpened(String what) {
        if (state != ObjectState.OPENED) {
            throw new ObjectStateException("object '" + spec.name() + "': cannot " + what + " after load (state "
                    + state.name().toLowerCase(java.util.Locale.ROOT) + ")", state);
        }
    }

    // ---- for BpfProgram and BpfMap ---------------------------------------------------------

    ProgramSpec programSpec(String name) {
        checkNotClosed();
        return spec.program(name).orElseThrow(() -> new IllegalStateException("no program '" + name + "'"));
    }

    synchronized RelocatedProgram relocated(String name) {
        checkNotClosed();
        RelocatedProgram r = relocated.get(name);
        if (r == null) {
            r = Relocator.relocate(coreApplied(), name);
            relocated.put(name, r);
        }
        return r;
    }

    synchronized void updateProgram(ProgramSpec p) {
        checkOpen("prog '" + p.name() + "'");
        spec = spec.withProgram(p);
        dropPhases();
    }

    synchronized void updateMap(int index, MapSpec m) {
        checkOpen("map '" + m.name() + "'");
        spec = spec.withMap(index, m);
        dropPhases();
    }

    private void dropPhases() {
        core = null;
        relocated.clear();
    }

    Optional<io.bpf4j.maps.BpfMap> runtimeMap(int index) {
        checkNotClosed();
        return Optional.ofNullable(runtime.get(index));
    }

    private void checkOpen(String what) {
        if (state != ObjectState.OPENED) {
            throw new ObjectStateException(what + ": can't change after the object is loaded (state "
                    + state.name().toLowerCase(java.util.Locale.ROOT) + ")", state);
        }
    }

    private void checkNotClosed() {
        if (state == ObjectState.CLOSED) {
            throw new ObjectStateException("object '" + spec.name() + "' is closed", state);
        }
    }

    /** {@code BpfObject[name, state]}. */
    @Override
    public String toString() {
        return "BpfObject[" + spec.name() + ", " + state.name().toLowerCase(java.util.Locale.ROOT) + "]";
    }
}
