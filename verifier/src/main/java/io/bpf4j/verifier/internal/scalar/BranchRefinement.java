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

    /**
     * False when the refinement of the taken edge contradicted itself: no value takes it at run
     * time. The oracle kernel (6.18.44) nevertheless explores it (with the reset bounds) after
     * logging the {@link #violations()}, so an analyzer matching its log and statistics must not
     * prune on this.
     *
     * @deprecated 6.18 does not treat such an edge as dead; print {@link #violations()} and
     *     continue on both edges.
     */
    @Deprecated
    public boolean takenPossible() {
        return violations.stream().noneMatch(v -> v.context().startsWith("true"));
    }

    /**
     * False when the refinement of the fall-through edge contradicted itself (see
     * {@link #takenPossible()}).
     *
     * @deprecated 6.18 does not treat such an edge as dead.
     */
    @Deprecated
    public boolean notTakenPossible() {
        return violations.stream().noneMatch(v -> v.context().startsWith("false"));
    }

    /**
     * One failed sanity check: {@code context} is the kernel's name for the register
     * ({@code true_reg1}, {@code alu}, ...), {@code state} the contradictory state before the reset.
     */
    public record Violation(String context, String reason, Scalar state) {
        /**
         * The log text after {@code "verifier bug: "}, without the trailing newline; the oracle
         * kernel prints {@code "verifier bug: " + message() + "\n"} (no {@code (1)} suffix). An ALU
         * result is checked the same way with context {@code "alu"}: see
         * {@link Scalar#aluUnchecked} and {@link Scalar#invariantViolation()}.
         */
        public String message() {
            return "REG INVARIANTS VIOLATION (" + context + "): " + reason + " " + state.invariantDetail();
        }
    }
}
