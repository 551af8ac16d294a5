package io.bpf4j.verifier;

import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.abi.AttachType;
import io.bpf4j.isa.abi.KernelProfile;
import io.bpf4j.isa.abi.MapShape;
import io.bpf4j.isa.abi.ProgramType;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the verifier judges a program by. Build it with {@link #builder}: the record's
 * components may grow, the builder stays source compatible.
 *
 * @param instructions       the program, {@code ld_imm64} as one instruction of two slots
 * @param programType        the program type (decides context, helpers, return range)
 * @param expectedAttachType the expected attach type, or null
 * @param privileges         the loader's capabilities ({@link Privileges#ROOT} by default)
 * @param maps               index i is the map an {@code ld_imm64} with src PSEUDO_MAP_IDX/PSEUDO_MAP_IDX_VALUE
 *                           (or PSEUDO_MAP_FD/PSEUDO_MAP_VALUE) and imm i names
 * @param funcInfo           BTF func_info, empty without BTF
 * @param lineInfo           BTF line_info, empty without BTF
 * @param profile            the kernel build judged against ({@link KernelProfile#linux618()} by default)
 * @param logLevel           0, 1 or 2, optionally or-ed with 4 (statistics lines)
 * @param limits             the complexity limits
 * @param nrCpuIds           the kernel's {@code nr_cpu_ids}: 6.18 bounds {@code bpf_get_smp_processor_id()}
 *                           by it (default: this host's processor count)
 * @param kfuncs             the prototypes of the kfuncs the program calls, by the BTF id of its calls
 * @param btf                the kernel BTF the program attaches to and walks ({@code PTR_TO_BTF_ID}), or null
 * @param attachTarget       for tracing, LSM and struct_ops programs: what they attach to in {@code btf}, or null
 * @param frozenValues       by map index, the value of a one-entry array that is read-only to programs
 *                           ({@code BPF_F_RDONLY_PROG}) and frozen, as {@code .rodata} is: the kernel
 *                           reads a constant-offset load from it as a known constant
 * @param unboundFdSlots     slots of {@code ld_imm64}s (src PSEUDO_MAP_FD or PSEUDO_MAP_VALUE) whose imm is
 *                           not a map index but a file descriptor number written in the program itself
 *                           (an {@code ld_imm64} no relocation bound to a map: libbpf passes it on as
 *                           written); no map stands behind such an fd
 * @param sleepable          whether the program is loaded sleepable ({@code BPF_F_SLEEPABLE}, sections such as
 *                           {@code uprobe.s}): helpers that might sleep are allowed
 */
public record VerifierInput(List<Instruction> instructions, ProgramType programType, AttachType expectedAttachType,
                            Privileges privileges, List<MapShape> maps, List<FuncInfo> funcInfo,
                            List<LineInfo> lineInfo, KernelProfile profile, int logLevel, VerifierLimits limits,
                            int nrCpuIds, Map<Integer, KfuncSignature> kfuncs,
                            BtfView btf, AttachTarget attachTarget, Map<Integer, byte[]> frozenValues,
                            java.util.Set<Integer> unboundFdSlots, boolean sleepable) {
    public VerifierInput {
        unboundFdSlots = java.util.Set.copyOf(unboundFdSlots);
        kfuncs = Map.copyOf(kfuncs);
        java.util.Map<Integer, byte[]> fv = new java.util.HashMap<>();
        frozenValues.forEach((k, v) -> fv.put(k, v.clone()));
        frozenValues = Map.copyOf(fv);
        instructions = Instructions.of(instructions); // immutable and packed: no copy of a large program
        Objects.requireNonNull(programType, "programType");
        Objects.requireNonNull(privileges, "privileges");
        maps = List.copyOf(maps);
        Objects.requireNonNull(profile, "profile");
        funcInfo = List.copyOf(funcInfo);
        lineInfo = List.copyOf(lineInfo);
        Objects.requireNonNull(limits, "limits");
        if (nrCpuIds < 1) {
            throw new IllegalArgumentException("nrCpuIds " + nrCpuIds);
        }
        if ((logLevel & ~7) != 0) {
            throw new IllegalArgumentException("log level " + logLevel + " has unknown bits");
        }
    }

    public static Builder builder(List<? extends Instruction> instructions, ProgramType programType) {
        return new Builder(instructions, programType);
    }

    /** Builds a {@link VerifierInput}; defaults: root, no BTF, log level 0, the kernel's limits. */
    public static final class Builder {
        private final List<Instruction> instructions;
        private final ProgramType programType;
        private AttachType expectedAttachType;
        private Privileges privileges = Privileges.ROOT;
        private List<MapShape> maps = List.of();
        private KernelProfile profile;
        private List<FuncInfo> funcInfo = List.of();
        private List<LineInfo> lineInfo = List.of();
        private int logLevel;
        private VerifierLimits limits = VerifierLimits.KERNEL;
        private int nrCpuIds = Runtime.getRuntime().availableProcessors();
        private Map<Integer, KfuncSignature> kfuncs = Map.of();
        private BtfView btf;
        private AttachTarget attachTarget;
        private Map<Integer, byte[]> frozenValues = Map.of();
        private java.util.Set<Integer> unboundFdSlots = java.util.Set.of();
        private boolean sleepable;

        private Builder(List<? extends Instruction> instructions, ProgramType programType) {
            this.instructions = List.copyOf(instructions);
            this.programType = programType;
        }

        /** Whether the program is loaded sleepable ({@code BPF_F_SLEEPABLE}). */
        public Builder sleepable(boolean s) {
            this.sleepable = s;
            return this;
        }

        public Builder expectedAttachType(AttachType t) {
            this.expectedAttachType = t;
            return this;
        }

        public Builder privileges(Privileges p) {
            this.privileges = p;
            return this;
        }

        public Builder maps(List<MapShape> m) {
            this.maps = m;
            return this;
        }

        public Builder profile(KernelProfile p) {
            this.profile = p;
            return this;
        }

        public Builder funcInfo(List<FuncInfo> f) {
            this.funcInfo = f;
            return this;
        }

        public Builder lineInfo(List<LineInfo> l) {
            this.lineInfo = l;
            return this;
        }

        public Builder logLevel(int level) {
            this.logLevel = level;
            return this;
        }

        public Builder limits(VerifierLimits l) {
            this.limits = l;
            return this;
        }

        public Builder nrCpuIds(int n) {
            this.nrCpuIds = n;
            return this;
        }

        /**
         * The prototypes of the kernel functions the program calls, by the BTF id its kfunc
         * calls carry (from the kernel BTF the loader resolved them against).
         */
        public Builder kfuncs(Map<Integer, KfuncSignature> k) {
            this.kfuncs = k;
            return this;
        }

        /**
         * The kernel BTF (vmlinux, or a given one) that BTF-typed pointers are walked in and
         * {@link #attachTarget} names types of.
         */
        public Builder btf(BtfView b) {
            this.btf = b;
            return this;
        }

        /** What a tracing, LSM or struct_ops program attaches to (needs {@link #btf}). */
        public Builder attachTarget(AttachTarget t) {
            this.attachTarget = t;
            return this;
        }

        /**
         * The values of frozen read-only one-entry arrays ({@code .rodata}, {@code .kconfig}) by map
         * index: loads from them at constant offsets give known constants, as in the kernel.
         */
        public Builder frozenValues(Map<Integer, byte[]> v) {
            this.frozenValues = v;
            return this;
        }

        /**
         * The {@code ld_imm64} slots whose imm is a file descriptor number written in the program,
         * bound to no map (the kernel answers {@code fd N is not pointing to valid bpf_map}).
         */
        public Builder unboundFdSlots(java.util.Set<Integer> slots) {
            this.unboundFdSlots = slots;
            return this;
        }

        public VerifierInput build() {
            return new VerifierInput(instructions, programType, expectedAttachType, privileges, maps, funcInfo,
                    lineInfo, profile != null ? profile : KernelProfile.linux618(), logLevel, limits, nrCpuIds, kfuncs, btf, attachTarget,
                    frozenValues, unboundFdSlots, sleepable);
        }
    }
}
