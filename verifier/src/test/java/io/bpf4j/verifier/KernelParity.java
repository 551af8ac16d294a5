package io.bpf4j.verifier;

import static org.assertj.core.api.Assertions.fail;

import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.isa.abi.AttachType;
import io.bpf4j.isa.abi.MapShape;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.testdata.KernelVerifier;
import io.bpf4j.testdata.KernelVerifier.MapDef;
import io.bpf4j.testdata.UnprivilegedBpf;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

/**
 * Parity kit for hand-assembled programs: the same program goes to bpf4j's {@link Verifier} and
 * to the running kernel ({@link KernelVerifier}) in the same test, and the verdicts and error
 * lines must agree; a mismatch reports both logs. The kernel is the golden, never bpf4j.
 *
 * <pre>{@code
 * KernelParity.assertSameVerdict(ProgramType.SOCKET_FILTER, List.of(Exit.INSTANCE));   // R0 !read_ok both sides
 * KernelParity.of(ProgramType.XDP, insns).maps(array).logLevel(2).assertSame();
 * }</pre>
 *
 * <p>Tests using it skip without a usable kernel (tag them {@code @Tag("kernel")}); with
 * {@code -Dbpf4j.requireKernel=true} they fail instead. A frozen map is given to the kernel
 * read-only to programs ({@code BPF_F_RDONLY_PROG}) and frozen with zeroed contents, as libbpf
 * makes an all-zero {@code .rodata}.
 */
public final class KernelParity {
    private final ProgramType programType;
    private final List<Instruction> instructions;
    private AttachType attachType;
    private List<MapShape> maps = List.of();
    private int logLevel = 2;
    private boolean unprivileged;

    private KernelParity(ProgramType programType, List<? extends Instruction> instructions) {
        this.programType = Objects.requireNonNull(programType);
        this.instructions = List.copyOf(instructions);
    }

    /** Starts a comparison of {@code instructions} as a program of {@code programType}. */
    public static KernelParity of(ProgramType programType, List<? extends Instruction> instructions) {
        return new KernelParity(programType, instructions);
    }

    /** Both sides judge the program; the verdicts and error lines must be equal. */
    public static Comparison assertSameVerdict(ProgramType programType, List<? extends Instruction> instructions,
                                               MapShape... maps) {
        return of(programType, instructions).maps(maps).assertSame();
    }

    public KernelParity expectedAttachType(AttachType t) {
        this.attachType = t;
        return this;
    }

    /** The maps, by the index {@code ld_imm64} carries (PSEUDO_MAP_IDX / MAP_FD / their _VALUE forms). */
    public KernelParity maps(MapShape... shapes) {
        this.maps = List.of(shapes);
        return this;
    }

    /** Log level for both sides (2 by default: the whole walk, for the mismatch report). */
    public KernelParity logLevel(int level) {
        this.logLevel = level;
        return this;
    }

    /**
     * Both sides as a user without CAP_BPF and CAP_PERFMON: the kernel's harness runs as nobody
     * with no capabilities while {@code kernel.unprivileged_bpf_disabled} is 0, bpf4j with
     * {@link Privileges#UNPRIVILEGED}. Skipped (also under requireKernel) where this machine cannot
     * enable unprivileged BPF.
     */
    public KernelParity unprivileged() {
        this.unprivileged = true;
        return this;
    }

    /** Runs both sides and returns their answers without judging them. */
    public Comparison compare() {
        KernelVerifier kernel = KernelVerifier.require();
        KernelVerifier.Program p = KernelVerifier.Program.of(programType.id(),
                        InstructionCodec.encode(instructions, ByteOrder.LITTLE_ENDIAN))
                .withExpectedAttachType(attachType == null ? 0 : attachType.id())
                .withMaps(maps.stream().map(KernelParity::mapDef).toList())
                .withLogLevel(logLevel);
        KernelVerifier.Verdict k;
        if (unprivileged) {
            String why = UnprivilegedBpf.unavailableReason();
            org.junit.jupiter.api.Assumptions.assumeTrue(why == null, why);
            k = UnprivilegedBpf.enabled(() -> kernel.verifyUnprivileged(p));
        } else {
            k = kernel.verify(p);
        }
        Comparison c = new Comparison(k, runBpf4j());
        StatsRecorder.record(k.log(), c.bpf4j().log());
        return c;
    }

    /** Runs both sides and fails, with both logs, unless verdict and error line agree. */
    public Comparison assertSame() {
        Comparison c = compare();
        if (!c.sameVerdict() || !c.sameErrorLine()) {
            fail(c.report());
        }
        return c;
    }

    private Outcome runBpf4j() {
        VerifierInput input = VerifierInput.builder(instructions, programType)
                .expectedAttachType(attachType)
                .maps(maps)
                .logLevel(logLevel)
                .privileges(unprivileged ? Privileges.UNPRIVILEGED : Privileges.ROOT)
                .build();
        try {
            VerifiedProgram v = Verifier.verify(input);
            return new Outcome(true, null, v.log(), null);
        } catch (VerifierException e) {
            String line = e.log() != null && !e.log().isBlank() ? KernelVerifier.errorLine(e.log()) : null;
            return new Outcome(false, line != null ? line : e.kernelMessage(), e.log(), null);
        } catch (RuntimeException | StackOverflowError e) {
            return new Outcome(false, null, "", e);
        }
    }

    /** The kernel's view of a map shape: its numbers, with frozen meaning what .rodata is. */
    public static MapDef mapDef(MapShape m) {
        int flags = m.frozen() ? m.flags() | MapShape.F_RDONLY_PROG : m.flags();
        MapDef inner = m.inner().map(KernelParity::mapDef).orElse(null);
        return new MapDef(m.type().id(), m.keySize(), m.valueSize(), m.maxEntries(), flags, m.mapExtra(), m.frozen(),
                inner, null);
    }

    /** bpf4j's answer: {@code crash} is set when it threw something other than a VerifierException (a bug). */
    public record Outcome(boolean accepted, String errorLine, String log, Throwable crash) {}

    /** Both answers side by side. */
    public record Comparison(KernelVerifier.Verdict kernel, Outcome bpf4j) {
        public boolean sameVerdict() {
            return bpf4j.crash() == null && kernel.accepted() == bpf4j.accepted();
        }

        /** Equal error lines (both null for an accepted program; a kernel rejection with an empty log compares by verdict only). */
        public boolean sameErrorLine() {
            return kernel.accepted() || kernel.errorLine() == null || Objects.equals(kernel.errorLine(), bpf4j.errorLine());
        }

        public String report() {
            StringBuilder sb = new StringBuilder();
            sb.append("kernel: ").append(kernel.summary()).append(" (errno ").append(kernel.errno()).append(")\n");
            sb.append("bpf4j:  ");
            if (bpf4j.crash() != null) {
                sb.append("crashed: ").append(bpf4j.crash());
            } else {
                sb.append(bpf4j.accepted() ? "accepted" : "rejected: " + bpf4j.errorLine());
            }
            sb.append("\n--- kernel log ---\n").append(kernel.log());
            sb.append("--- bpf4j log ---\n").append(bpf4j.log());
            if (bpf4j.crash() != null) {
                for (StackTraceElement e : bpf4j.crash().getStackTrace()) {
                    sb.append("\n\tat ").append(e);
                }
            }
            return sb.toString();
        }
    }
}
