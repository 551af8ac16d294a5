package io.bpf4j.loader;

import io.bpf4j.isa.Instructions;
import io.bpf4j.jit.Executable;
import io.bpf4j.jit.testrun.TestRun;
import io.bpf4j.jit.testrun.TestRunInput;
import io.bpf4j.jit.testrun.TestRunResult;
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
import java.util.Optional;

/**
 * An entry program of a {@link BpfObject}. Before load its relocated form is computed on
 * demand (relocation does not depend on what can still be changed); a relocation libbpf would
 * refuse throws {@link io.bpf4j.relocator.RelocationException} when asked for.
 */
public final class BpfProgram {
    private final BpfObject owner;
    private final String name;

    BpfProgram(BpfObject owner, String name) {
        this.owner = owner;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The parsed, unrelocated program. */
    public ProgramSpec spec() {
        return owner.programSpec(name);
    }

    /** The section name without a leading {@code ?}. */
    public String sectionName() {
        return spec().section().name();
    }

    public ProgramType type() {
        return spec().section().programType();
    }

    /** The expected attach type number from the section table (0 also means none, as in libbpf). */
    public int expectedAttachTypeId() {
        return spec().section().expectedAttachTypeId();
    }

    public Optional<AttachType> expectedAttachType() {
        return spec().section().expectedAttachType();
    }

    /** The attach target written in the section name ({@code do_nanosleep} of {@code fentry/do_nanosleep}). */
    public Optional<String> attachTarget() {
        return spec().section().attachTarget();
    }

    public boolean sleepable() {
        return spec().section().sleepable();
    }

    public String license() {
        return owner.spec().license();
    }

    public int kernelVersion() {
        return owner.spec().kernelVersion();
    }

    public boolean autoload() {
        return spec().autoload();
    }

    /** libbpf's {@code bpf_program__set_autoload}: only while the object is open. */
    public BpfProgram setAutoload(boolean autoload) {
        owner.updateProgram(spec().withAutoload(autoload));
        return this;
    }

    /** The program with subprograms appended and every relocation applied. */
    public RelocatedProgram relocated() {
        return owner.relocated(name);
    }

    public Instructions instructions() {
        return relocated().instructions();
    }

    public List<FunctionEntry> functions() {
        return relocated().functions();
    }

    /**
     * What the program reaches indirectly: function pointers ({@code BPF_PSEUDO_FUNC} loads),
     * call tables and jump tables with their instruction-array maps and target slots.
     */
    public IndirectTargets indirectTargets() {
        return relocated().indirect();
    }

    /**
     * The in-process instruction arrays made at load for {@link #indirectTargets()}'s tables
     * (frozen, entries written, not yet bound to a program); empty before load.
     */
    public List<io.bpf4j.maps.BpfMap> tableMaps() {
        return owner.tableMaps(name);
    }

    /** The program's tables as {@code inspect} lists them. */
    public List<TableInfo> tables() {
        IndirectTargets it = indirectTargets();
        List<TableInfo> out = new ArrayList<>();
        for (TableMap t : it.tables()) {
            List<Integer> loads = new ArrayList<>();
            for (TableReference r : it.references()) {
                if (r.table() == t.index()) {
                    loads.add(r.slot());
                }
            }
            List<TableInfo.Target> targets = new ArrayList<>();
            for (TableEntry e : t.entries()) {
                targets.add(new TableInfo.Target(e.index(), e.targetSlot(), e.function()));
            }
            MapType type = t.spec().type();
            out.add(new TableInfo(name, t.name(), t.kind().name().toLowerCase(java.util.Locale.ROOT), t.table(),
                    type == null ? Integer.toString(t.spec().typeId()) : type.displayName(), t.spec().maxEntries(),
                    t.spec().mapExtra(), loads, targets));
        }
        return out;
    }

    public List<FuncInfoRecord> funcInfo() {
        return relocated().funcInfo();
    }

    public List<LineInfoRecord> lineInfo() {
        return relocated().lineInfo();
    }

    /**
     * bpf4j's verifier on this program as {@link BpfObject#load(LoadOptions)} would run it
     * (verification is done even when the options turn it off for load), without loading.
     */
    public ProgramVerification verify(LoadOptions options) {
        return owner.verify(name, LoadOptions.builder().verify(true).logLevel(options.logLevel())
                .kernelProfile(options.profile()).build());
    }

    /** How {@link BpfObject#load} verified this program; empty before load or when it was not loaded. */
    public Optional<ProgramVerification> verification() {
        return owner.verification(name);
    }

    /**
     * Runs the loaded program as {@code BPF_PROG_TEST_RUN} does for its type (XDP, TC, socket
     * filter, syscall, raw tracepoint, kprobe): retval, data_out, ctx_out and duration.
     *
     * @throws ObjectStateException before {@link BpfObject#load()} or when the program was not loaded
     * @throws io.bpf4j.jit.testrun.TestRunException for input the kernel would refuse
     */
    public TestRunResult testRun(TestRunInput input) {
        return TestRun.of(owner.executable(name), type()).run(input);
    }

    /**
     * {@link #testRun(TestRunInput)} that stops a long repeat loop once {@code timeLimit} has
     * passed (ETIMEDOUT); an interrupt of the calling thread stops it too (EINTR). One run is
     * bounded by the instruction budget.
     *
     * @throws io.bpf4j.jit.testrun.TestRunException when the limit is reached or the thread is interrupted
     */
    public TestRunResult testRun(TestRunInput input, java.time.Duration timeLimit) {
        return TestRun.of(owner.executable(name), type()).withTimeLimit(timeLimit).run(input);
    }

    /** The runnable program, once the object is loaded (what a prog_array slot holds). */
    public Executable executable() {
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

    @Override
    public String toString() {
        return "BpfProgram[" + name + " " + sectionName() + "]";
    }
}
