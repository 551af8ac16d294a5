package io.bpf4j.verifier.internal.scalar;

/**
 * Both registers of a conditional jump after learning from its outcome. A side whose refined
 * bounds are contradictory cannot happen at run time; its two states are {@code null} and the
 * analyzer treats that edge as dead, as 6.18 does.
 */
public record BranchRefinement(Scalar dstIfTaken, Scalar srcIfTaken, Scalar dstIfNotTaken, Scalar srcIfNotTaken) {
    public boolean takenPossible() {
        return dstIfTaken != null;
    }

    public boolean notTakenPossible() {
        return dstIfNotTaken != null;
    }
}
