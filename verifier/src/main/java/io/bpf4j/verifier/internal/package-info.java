/**
 * The analyzer behind {@link io.bpf4j.verifier.Verifier}, shaped like ASM's {@code Analyzer}
 * (abstract values apart from frames and the driver) but running the kernel's algorithm:
 * <ul>
 * <li>{@code Driver} runs the passes in {@code bpf_check()}'s order; {@code StructureChecks} does
 *     subprograms, jump ranges, func/line info, opcodes, {@code ld_imm64} and the CFG walk that marks
 *     prune points; {@code Liveness} computes SCCs and live registers.</li>
 * <li>{@code Reg} (sealed: not-init, scalar, pointer kinds), {@code FuncState} (registers and stack
 *     slots of one frame) and {@code VState} (frames, references, locks) are the abstract state; scalar
 *     knowledge lives in {@code scalar.Scalar}.</li>
 * <li>{@code Explorer} is {@code do_check}: one path at a time, depth first, a LIFO of pending branch
 *     states, checkpoints per prune point and pruning by {@code Equivalence} (states_equal, regsafe,
 *     stacksafe, refsafe); no joins at merge points.</li>
 * <li>The per-instruction rules: {@code AluChecks}, {@code JumpChecks}, {@code MemChecks} with
 *     {@code StackAccess}, {@code CallChecks} (helpers, callbacks, static calls, exits).</li>
 * <li>{@code VLog} and {@code StatePrinter} write 6.18's log format; {@code FactsRecorder} keeps what
 *     every path proved per instruction.</li>
 * <li>{@code Precision} is {@code __mark_chain_precision}: backtracking through each state's jump
 *     history marks the scalars later checks relied on as precise in the checkpoints; pruning
 *     compares only precise scalars. Loop visits (SCCs) keep back-edges and propagate again on exit.</li>
 * <li>Global functions are verified on their own against the BTF prototype {@code FuncSignature}
 *     carries; callers only check arguments.</li>
 * </ul>
 * Not modelled yet, each a {@code bpf4j: not supported yet: ...} rejection or a documented
 * difference: stack liveness (all stack slots are compared; its level-2 log lines are absent),
 * constants read from frozen read-only maps, global-function arguments other than scalars, the
 * context and sized memory (dynptr, {@code arg:trusted}, {@code arg:arena}), kfuncs, BTF-typed
 * pointers and tracing/LSM/ext/struct_ops programs, iterators, async callbacks, speculative
 * paths for loaders without CAP_PERFMON.
 */
package io.bpf4j.verifier.internal;
