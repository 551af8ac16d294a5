package io.bpf4j.isa.facts;

/**
 * The standard fact keys. Writer: the verifier ({@code io.bpf4j.verifier}), while it walks every
 * path; a fact is recorded only when it holds on every path that reaches the instruction (a verifier
 * that sees conflicting answers drops or weakens the fact). Readers: execution engines (the
 * interpreter and the JIT in {@code jit}) and tools ({@code bpf4j verify}, dumps). Neither side
 * depends on the other: both depend on this package only.
 */
public final class Facts {

    private Facts() {
    }

    /** Load/store/atomic: the memory region the access touches on every path. */
    public static final FactKey<RegionKind> MEMORY_REGION = FactKey.of("memory_region", RegionKind.class);

    /**
     * Load/store/atomic: true when the verifier proved the whole access inside its region on every
     * path (the engine may skip its bounds check); absent or false: check at run time.
     */
    public static final FactKey<Boolean> IN_BOUNDS = FactKey.of("in_bounds", Boolean.class);

    /**
     * Any insn writing a register: true when the destination register holds a pointer after the insn
     * on every path, false when it holds a scalar on every path; absent when paths disagree.
     */
    public static final FactKey<Boolean> DST_IS_POINTER = FactKey.of("dst_is_pointer", Boolean.class);

    /** Any insn writing a register: its value after the insn when it is the same constant on every path. */
    public static final FactKey<Long> KNOWN_CONSTANT = FactKey.of("known_constant", Long.class);

    /** Conditional jump: 1 when always taken, 0 when never taken on every path (dead branch). */
    public static final FactKey<Integer> BRANCH_TAKEN = FactKey.of("branch_taken", Integer.class);

    /** Insn never reached by any path (dead code the kernel would patch out). */
    public static final FactKey<Boolean> DEAD = FactKey.of("dead", Boolean.class);

    /** Ctx load/store: the offset and size of the context field accessed (packed {@code off << 8 | size}). */
    public static final FactKey<Integer> CTX_FIELD = FactKey.of("ctx_field", Integer.class);

    /**
     * {@code callx} and {@code gotox}: the sorted distinct instruction slots control may go to, over every
     * path the verifier explored (for {@code callx} the first slot of each possible callee, for {@code gotox}
     * each possible jump target). An engine may dispatch over exactly these (a {@code tableswitch}).
     */
    public static final FactKey<int[]> INDIRECT_TARGETS = FactKey.of("indirect_targets", int[].class);

    /** Program-wide: one past the highest context byte any load reads (0 when the ctx is not read). */
    public static final FactKey<Integer> MAX_CTX_OFFSET = FactKey.of("max_ctx_offset", Integer.class);

    /** Program-wide: stack depth in bytes of each subprogram, in subprogram order. */
    public static final FactKey<int[]> STACK_DEPTHS = FactKey.of("stack_depths", int[].class);

    /** The standard per-instruction keys, in a stable order (for dumps and tools). */
    public static java.util.List<FactKey<?>> perInstruction() {
        return java.util.List.of(MEMORY_REGION, IN_BOUNDS, DST_IS_POINTER, KNOWN_CONSTANT, BRANCH_TAKEN, DEAD, CTX_FIELD,
                INDIRECT_TARGETS);
    }

    /** The standard program-wide keys (found in {@link ProgramFacts#program()}). */
    public static java.util.List<FactKey<?>> programWide() {
        return java.util.List.of(MAX_CTX_OFFSET, STACK_DEPTHS);
    }
}
