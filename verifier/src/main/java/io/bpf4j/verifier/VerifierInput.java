package io.bpf4j.verifier;

import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.abi.AttachType;
import io.bpf4j.isa.abi.ProgramType;
import java.util.List;
import java.util.Objects;

/**
 * Everything the verifier judges a program by. Build it with {@link #builder}; the record's
 * components may grow (maps and the kernel profile join when {@code isa.abi} publishes them), the
 * builder stays source compatible.
 *
 * @param instructions       the program, {@code ld_imm64} as one instruction of two slots
 * @param programType        the program type (decides context, helpers, return range)
 * @param expectedAttachType the expected attach type, or null
 * @param privileges         the loader's capabilities ({@link Privileges#ROOT} by default)
 * @param funcInfo           BTF func_info, empty without BTF
 * @param lineInfo           BTF line_info, empty without BTF
 * @param logLevel           0, 1 or 2, optionally or-ed with 4 (statistics lines)
 * @param limits             the complexity limits
 */
public record VerifierInput(List<Instruction> instructions, ProgramType programType, AttachType expectedAttachType,
                            Privileges privileges, List<FuncInfo> funcInfo, List<LineInfo> lineInfo, int logLevel,
                            VerifierLimits limits) {
    public VerifierInput {
        instructions = List.copyOf(instructions);
        Objects.requireNonNull(programType, "programType");
        Objects.requireNonNull(privileges, "privileges");
        funcInfo = List.copyOf(funcInfo);
        lineInfo = List.copyOf(lineInfo);
        Objects.requireNonNull(limits, "limits");
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
        private List<FuncInfo> funcInfo = List.of();
        private List<LineInfo> lineInfo = List.of();
        private int logLevel;
        private VerifierLimits limits = VerifierLimits.KERNEL;

        private Builder(List<? extends Instruction> instructions, ProgramType programType) {
            this.instructions = List.copyOf(instructions);
            this.programType = programType;
        }

        public Builder expectedAttachType(AttachType t) {
            this.expectedAttachType = t;
            return this;
        }

        public Builder privileges(Privileges p) {
            this.privileges = p;
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

        public VerifierInput build() {
            return new VerifierInput(instructions, programType, expectedAttachType, privileges, funcInfo, lineInfo,
                    logLevel, limits);
        }
    }
}
