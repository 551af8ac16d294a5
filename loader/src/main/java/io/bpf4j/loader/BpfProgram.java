package io.bpf4j.loader;

import io.bpf4j.isa.abi.Errno;
import io.bpf4j.isa.Instructions;
import io.bpf4j.jit.runtime.BudgetExhaustedFault;
import io.bpf4j.jit.runtime.CallDepthFault;
import io.bpf4j.jit.runtime.ControlFlowFault;
import io.bpf4j.jit.runtime.ExecutionFault;
import io.bpf4j.jit.runtime.HelperFault;
import io.bpf4j.jit.runtime.IllegalInstructionFault;
import io.bpf4j.jit.runtime.MemoryFault;
import io.bpf4j.jit.runtime.TraceBuffer;
import io.bpf4j.jit.testrun.TestRun;
import io.bpf4j.jit.testrun.TestRunException;
import io.bpf4j.isa.abi.AttachType;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.relocator.FuncInfoRecord;
import io.bpf4j.relocator.FunctionEntry;
import io.bpf4j.relocator.LineInfoRecord;
import io.bpf4j.relocator.MapReference;
import io.bpf4j.relocator.ProgramSpec;
import io.bpf4j.relocator.RelocatedProgram;
import io.bpf4j.relocator.tables.IndirectTargets;
import io.bpf4j.relocator.tables.TableEntry;
import io.bpf4j.relocator.tables.TableMap;
import io.bpf4j.relocator.tables.TableReference;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An entry program of a {@link BpfObject}. Before load its relocated form is computed on
 * demand (relocation does not depend on what can still be changed); a relocation libbpf would
 * refuse throws a {@link io.bpf4j.isa.BpfException} naming the program and the relocation when
 * asked for (by {@link #instructions()}, {@link #disassemble()}, {@link #info()} or load).
 *
 * <pre>{@code
 * BpfProgram prog = obj.program("xdp_main").orElseThrow();
 * prog.disassemble().forEach(System.out::println);     // as bpftool prog dump xlated
 * obj.load();
 * TestRunResult r = prog.testRun(TestRunInput.ofData(frame));
 * }</pre>
 */
public final class BpfProgram {
    static {
        io.bpf4j.loader.internal.LoaderInternals.install(BpfProgram::executable);
    }

    private final BpfObject owner;
    private final String name;

    BpfProgram(BpfObject owner, String name) {
        this.owner = owner;
        this.name = name;
    }

    /** The program's name: its function's symbol name (libbpf's {@code bpf_program__name}). */
    public String name() {
        return name;
    }

    /** The parsed, unrelocated program. */
    ProgramSpec spec() {
        return owner.programSpec(name);
    }

    /** The section name without a leading {@code ?}. */
    public String sectionName() {
        return spec().section().name();
    }

    /** The program type the section name gives (libbpf's {@code bpf_program__type}). */
    public ProgramType type() {
        return spec().section().programType();
    }

    /** The expected attach type number from the section table (0 also means none, as in libbpf). */
    public int expectedAttachTypeId() {
        return spec().section().expectedAttachTypeId();
    }

    /** The expected attach type from the section table, when it names one bpf4j knows. */
    public Optional<AttachType> expectedAttachType() {
        return spec().section().expectedAttachType();
    }

    /** The attach target written in the section name ({@code do_nanosleep} of {@code fentry/do_nanosleep}). */
    public Optional<String> attachTarget() {
        return spec().section().attachTarget();
    }

    /** Whether the section name makes the program sleepable ({@code fentry.s/...}, {@code lsm.s/...}). */
    public boolean sleepable() {
        return spec().section().sleepable();
    }

    /** The object's license string (its {@code license} section). */
    public String license() {
        return owner.spec().license();
    }

    /** The kernel version the object declares (its {@code version} section), or what the open options gave. */
    public int kernelVersion() {
        return owner.spec().kernelVersion();
    }

    /** Whether {@link BpfObject#load} loads this program (libbpf's {@code bpf_program__autoload}). */
    public boolean autoload() {
        return spec().autoload();
    }

    /** libbpf's {@code bpf_program__set_autoload}: only while the object is open. */
    public BpfProgram setAutoload(boolean autoload) {
        owner.updateProgram(spec().withAutoload(autoload));
        return this;
    }

    /** The program with subprograms appended and every relocation applied. */
    RelocatedProgram relocated() {
        return owner.relocated(name);
    }

    /** The instructions after relocation: subprograms appended, maps, calls and externs resolved, CO-RE applied. */
    public Instructions instructions() {
        return relocated().instructions();
    }

    /**
     * The program after relocation as {@code bpftool prog dump xlated} prints a loaded one, one
     * line per instruction plus function signatures and source lines, with maps by name
     * ({@code map[counts]}) and calls with their callee ({@code call pc+2#helper}).
     */
    public List<String> disassemble() {
        return disassemble(false);
    }

    /** {@link #disassemble()}, with each instruction's raw bytes beneath it when {@code opcodes} (bpftool's {@code opcodes} keyword). */
    public List<String> disassemble(boolean opcodes) {
        return dumper().lines(opcodes);
    }

    /** Each instruction after relocation with its fields and what it references (what {@code bpf4j -j dump} prints). */
    public List<XlatedInstruction> xlatedInstructions() {
        return dumper().instructions();
    }

    private XlatedDump dumper() {
        // table loads carry the object's map count plus the index of the program's own table map
        List<io.bpf4j.elf.spec.MapSpec> maps = new ArrayList<>(owner.spec().maps());
        RelocatedProgram r = relocated();
        r.indirect().tables().forEach(t -> maps.add(t.spec()));
        return new XlatedDump(r, maps, owner.spec().btf().orElse(null));
    }

    List<FunctionEntry> functions() {
        return relocated().functions();
    }

    /**
     * What the program reaches indirectly: function pointers ({@code BPF_PSEUDO_FUNC} loads),
     * call tables and jump tables with their instruction-array maps and target slots.
     */
    IndirectTargets indirectTargets() {
        return relocated().indirect();
    }

    /**
     * The in-process instruction arrays made at load for {@link #indirectTargets()}'s tables
     * (frozen, bound to this program, every entry's offsets filled), in table order; empty before load.
     */
    List<io.bpf4j.maps.BpfMap> tableMaps() {
        return owner.tableMaps(name);
    }

    /**
     * The program's tables as {@code inspect} lists them; once the program is loaded, with each
     * entry's {@code xlated_off} and {@code jitted_off} from its bound instruction array and the
     * engine they are positions of.
     */
    public List<TableInfo> tables() {
        IndirectTargets it = indirectTargets();
        List<TableInfo> out = new ArrayList<>();
        io.bpf4j.jit.Executable exe = owner.loadedExecutable(name);
        List<io.bpf4j.maps.BpfMap> maps = exe == null ? List.of() : tableMaps();
        for (int k = 0; k < it.tables().size(); k++) {
            TableMap t = it.tables().get(k);
            // made at load in the same order (BpfObject.createTables)
            io.bpf4j.maps.InsnArray bound = k < maps.size() && maps.get(k) instanceof io.bpf4j.maps.InsnArray a ? a : null;
            List<Integer> loads = new ArrayList<>();
            for (TableReference r : it.references()) {
                if (r.table() == t.index()) {
                    loads.add(r.slot());
                }
            }
            List<TableInfo.Target> targets = new ArrayList<>();
            for (TableEntry e : t.entries()) {
                if (bound == null) {
                    targets.add(new TableInfo.Target(e.index(), e.targetSlot(), e.function()));
                } else {
                    targets.add(new TableInfo.Target(e.index(), e.targetSlot(), e.function(), bound.xlatedOffset(e.index()),
                            bound.jittedOffset(e.index()), exe.position(e.targetSlot()).method()));
                }
            }
            MapType type = t.spec().type();
            out.add(new TableInfo(name, t.name(), t.kind().name().toLowerCase(java.util.Locale.ROOT), t.table(),
                    type == null ? Integer.toString(t.spec().typeId()) : type.displayName(), t.spec().maxEntries(),
                    t.spec().mapExtra(), loads, targets, bound == null ? null : exe.engineName()));
        }
        return out;
    }

    List<FuncInfoRecord> funcInfo() {
        return relocated().funcInfo();
    }

    List<LineInfoRecord> lineInfo() {
        return relocated().lineInfo();
    }

    /**
     * bpf4j's verifier on this program as {@link BpfObject#load(LoadOptions)} would run it
     * (verification is done even when the options turn it off for load), without loading.
     */
    public ProgramVerification verify(LoadOptions options) {
        return owner.verify(name, options.toBuilder().verify(true).build());
    }

    /** How {@link BpfObject#load} verified this program; empty before load or when it was not loaded. */
    public Optional<ProgramVerification> verification() {
        return owner.verification(name);
    }

    /**
     * Runs the loaded program as {@code BPF_PROG_TEST_RUN} does for its type (XDP, TC, socket
     * filter, syscall, raw tracepoint, kprobe): retval, data_out, ctx_out, duration, and the
     * lines the program printed with {@code bpf_printk} (also kept in the object's
     * {@link BpfObject#traceLog()}).
     *
     * @param input the packet and context ({@link TestRunInput#empty()} for neither)
     * @throws NullPointerException     when {@code input} is null
     * @throws ObjectStateException     before {@link BpfObject#load()} or when the program was not loaded
     * @throws TestRunRefusedException  for input the kernel would refuse (with its errno), such as a
     *                                  syscall or raw tracepoint context shorter than the verified
     *                                  program reads
     * @throws ProgramFaultException    when the program does what the runtime does not allow
     *                                  (an access outside its memory, an endless loop)
     */
    public TestRunResult testRun(TestRunInput input) {
        Objects.requireNonNull(input, "input: use TestRunInput.empty() for a run without data or context");
        io.bpf4j.jit.Executable exe = owner.executable(name);
        checkContextSize(input);
        return testRun(name, type(), exe, input, null, owner::appendTrace);
    }

    /**
     * The kernel refuses a syscall or raw tracepoint test run whose ctx_in is shorter than the
     * verifier's max_ctx_offset (EINVAL), before the program runs.
     */
    private void checkContextSize(TestRunInput input) {
        ProgramType t = type();
        if (t != ProgramType.SYSCALL && t != ProgramType.RAW_TRACEPOINT) {
            return;
        }
        int needed = verification().map(ProgramVerification::maxContextOffset).orElse(-1);
        int given = input.context() == null ? 0 : input.context().length;
        if (needed > 0 && given < needed) {
            throw new TestRunRefusedException(name, Errno.EINVAL.number(), "prog '" + name + "': test run: ctx_in of " + given
                    + " bytes: the program reads " + needed + " bytes of its context", null);
        }
    }

    /** A test run of any executable, with faults and refusals as the loader's exception types. */
    static TestRunResult testRun(String name, ProgramType type, io.bpf4j.jit.Executable exe, TestRunInput input,
                                 java.time.Duration timeLimit, java.util.function.Consumer<List<String>> traceSink) {
        TraceBuffer trace = new TraceBuffer();
        io.bpf4j.jit.testrun.TestRunResult r;
        try {
            TestRun run = TestRun.of(exe, type).withContextSetup(c -> c.setTrace(trace));
            r = (timeLimit == null ? run : run.withTimeLimit(timeLimit)).run(input.toRuntime());
        } catch (TestRunException e) {
            throw new TestRunRefusedException(name, e.errno(), e.getMessage(), e);
        } catch (ExecutionFault e) {
            throw new ProgramFaultException(name, faultKind(e), e.pc(), "prog '" + name + "': " + e.getMessage(), e);
        } finally {
            traceSink.accept(trace.lines());
        }
        return new TestRunResult(r.retval(), r.dataOut(), r.ctxOut(), r.durationNs(), trace.lines());
    }

    static ProgramFaultException.Kind faultKind(ExecutionFault e) {
        if (e instanceof MemoryFault) {
            return ProgramFaultException.Kind.MEMORY;
        } else if (e instanceof BudgetExhaustedFault) {
            return ProgramFaultException.Kind.BUDGET;
        } else if (e instanceof CallDepthFault) {
            return ProgramFaultException.Kind.CALL_DEPTH;
        } else if (e instanceof ControlFlowFault) {
            return ProgramFaultException.Kind.CONTROL_FLOW;
        } else if (e instanceof HelperFault) {
            return ProgramFaultException.Kind.HELPER;
        } else if (e instanceof IllegalInstructionFault) {
            return ProgramFaultException.Kind.ILLEGAL_INSTRUCTION;
        }
        return ProgramFaultException.Kind.OTHER;
    }

    /**
     * {@link #testRun(TestRunInput)} that stops a long repeat loop once {@code timeLimit} has
     * passed (ETIMEDOUT); an interrupt of the calling thread stops it too (EINTR). One run is
     * bounded by the instruction budget.
     *
     * @throws TestRunRefusedException when the limit is reached (ETIMEDOUT) or the thread is interrupted (EINTR)
     */
    public TestRunResult testRun(TestRunInput input, java.time.Duration timeLimit) {
        Objects.requireNonNull(input, "input: use TestRunInput.empty() for a run without data or context");
        Objects.requireNonNull(timeLimit, "timeLimit");
        io.bpf4j.jit.Executable exe = owner.executable(name);
        checkContextSize(input);
        return testRun(name, type(), exe, input, timeLimit, owner::appendTrace);
    }

    /**
     * Which engine runs this program once the object is loaded: {@code compiled}, or
     * {@code interpreter} (chosen in {@link LoadOptions}, or the compiler's fallback).
     *
     * @throws ObjectStateException before {@link BpfObject#load()} or when the program was not loaded
     */
    public String engineName() {
        return owner.executable(name).engineName();
    }

    /** The runnable program, once the object is loaded (what a prog_array slot holds). */
    io.bpf4j.jit.Executable executable() {
        return owner.executable(name);
    }

    /** Everything {@code inspect} shows. */
    public ProgramInfo info() {
        ProgramSpec s = spec();
        RelocatedProgram r = relocated();
        List<String> maps = new ArrayList<>();
        for (MapReference ref : r.mapReferences()) {
            if (!maps.contains(ref.mapName())) {
                maps.add(ref.mapName());
            }
        }
        return new ProgramInfo(name, s.section().name(), s.section().programType().displayName(),
                attachTypeName(s),
                s.section().attachTarget().orElse(null), s.section().sleepable(), s.autoload(), owner.spec().license(),
                owner.spec().kernelVersion(), r.instructions().slotCount(), s.slotCount(), r.subprograms(), maps);
    }

    // libbpf stores 0 both for "none" and for BPF_CGROUP_INET_INGRESS; only cgroup_skb means the latter
    private static String attachTypeName(ProgramSpec s) {
        int id = s.section().expectedAttachTypeId();
        if (s.section().definition().isEmpty() || id == 0 && s.section().programType() != ProgramType.CGROUP_SKB) {
            return null;
        }
        return s.section().expectedAttachType().map(AttachType::displayName).orElse(Integer.toString(id));
    }

    /** {@code BpfProgram[name section]}. */
    @Override
    public String toString() {
        return "BpfProgram[" + name + " " + sectionName() + "]";
    }
}
