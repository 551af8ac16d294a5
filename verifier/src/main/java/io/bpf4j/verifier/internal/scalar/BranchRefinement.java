package io.bpf4j.verifier.internal.scalar;

import java.util.List;

/**
 * Both registers of a conditional jump after learning from each outcome (reg_set_min_max).
 *
 * <p>When a refinement produces contradictory bounds the outcome cannot happen at run time, but
 * 6.18 does not prune it: reg_bounds_sanity_check logs a {@code verifier bug: REG INVARIANTS
 * VIOLATION (...)} line per offending register, resets that register's bounds to unbounded
 * (keeping its tnum) and verification continues on both edges. The states here are already
 * reset; {@link #violations()} lists what the log prints, in the kernel's order (true_reg1,
 * true_reg2, false_reg1, false_reg2).
 */
public record BranchRefinement(Scalar dstIfTaken, Scalar srcIfTaken, Scalar dstIfNotTaken, Scalar srcIfNotTaken,
        List<Violation> violations) {

    public BranchRefinement {
        violations = List.copyOf(violations);
    }

    public BranchRefinement(Scalar dstIfTaken, Scalar srcIfTaken, Scalar dstIfNotTaken, Scalar srcIfNotTaken) {
        this(dstIfTaken, srcIfTaken, dstIfNotTaken, srcIfNotTaken, List.of());
    }

    /** False when the refinement of the taken edge contradicted itself (the edge is dead at run time). */
    public boolean takenPossible() {
        return violations.stream().noneMatch(v -> v.context().startsWith("true"));
    }

    /** False when the refinement of the fall-through edge contradicted itself. */
    public boolean notTakenPossible() {
        return violations.stream().noneMatch(v -> v.context().startsWith("false"));
    }

    /**
     * One failed sanity check: {@code context} is the kernel's name for the register
     * ({@code true_reg1}, {@code alu}, ...), {@code state} the contradictory state before the reset.
     */
    public record Violation(String context, String reason, Scalar state) {
        /** The log text after {@code "verifier bug: "}, without the trailing newline. */
        public String message() {
            return "REG INVARIANTS VIOLATION (" + context + "): " + reason + " " + state.invariantDetail();
        }
    }
}
