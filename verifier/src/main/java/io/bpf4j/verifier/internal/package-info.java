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
 * </ul>
 * Not modelled yet, each a {@code bpf4j: not supported yet: ...} rejection or a documented
 * difference: precision tracking (every scalar counts as precise, so pruning can be weaker than the
 * kernel's and statistics differ; callback iterations widen every changed scalar), stack liveness
 * (all stack slots are compared; its level-2 log lines are absent), global functions, kfuncs,
 * BTF-typed pointers and tracing/LSM/ext/struct_ops programs, iterators, may_goto, async callbacks,
 * speculative paths for loaders without CAP_PERFMON.
 */
package io.bpf4j.verifier.internal;
