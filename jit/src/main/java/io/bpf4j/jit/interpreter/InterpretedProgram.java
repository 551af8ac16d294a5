package io.bpf4j.jit.interpreter;

import io.bpf4j.isa.Opcodes;
import io.bpf4j.jit.Executable;
import io.bpf4j.jit.ExecutionContext;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.internal.DecodedProgram;
import io.bpf4j.jit.internal.ProgramIds;
import io.bpf4j.jit.runtime.AluOps;
import io.bpf4j.jit.runtime.AtomicOp;
import io.bpf4j.jit.runtime.BudgetExhaustedFault;
import io.bpf4j.jit.runtime.CallDepthFault;
import io.bpf4j.jit.runtime.ControlFlowFault;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.jit.runtime.Helper;
import io.bpf4j.jit.runtime.HelperFault;
import io.bpf4j.jit.runtime.HelperTable;
import io.bpf4j.jit.runtime.IllegalInstructionFault;
import io.bpf4j.jit.runtime.Memory;
import io.bpf4j.jit.runtime.MemoryFault;
import io.bpf4j.jit.runtime.Pointers;

/**
 * A prepared program and the interpreter loop that runs it.
 *
 * <p>The loop dispatches on the pre-decoded operation of the current slot with one
 * {@code switch}; it allocates nothing per instruction. Arithmetic with edge cases goes through
 * {@link AluOps} and memory through {@link Memory}, the same code the compiler will call.
 * BPF-to-BPF calls stay inside one loop with an explicit frame stack; a helper calling back into
 * the program ({@code bpf_loop}) starts a nested loop one frame deeper.
 */
final class InterpretedProgram implements Executable {
    private final int id = ProgramIds.next();
    private final ProgramImage image;
    final DecodedProgram code;
    private final HelperTable helpers;

    InterpretedProgram(ProgramImage image, DecodedProgram code) {
        this.image = image;
        this.code = code;
        this.helpers = image.helpers();
    }

    @Override
    public ProgramImage image() {
        return image;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public String engineName() {
        return "interpreter";
    }

    @Override
    public String name() {
        return image.name();
    }

    @Override
    public long run(ExecutionContext context) {
        context.memory().reset();
        Machine m;
        if (context.engineState() instanceof Machine cached) {
            m = cached;
            m.reset();
        } else {
            m = new Machine(context);
            context.setEngineState(m);
        }
        m.setCurrent(this);
        try {
            return execute(m, 0, 0, context.arg(0), context.arg(1), context.arg(2), context.arg(3), context.arg(4));
        } finally {
            context.recordInstructionsExecuted(m.instructionsExecuted());
        }
    }

    /** Runs function {@code function} in a fresh frame at {@code baseDepth} until it exits; returns r0. */
    long execute(Machine m, int function, int baseDepth, long a1, long a2, long a3, long a4, long a5) {
        final int[] op = code.op();
        final int[] dst = code.dst();
        final int[] src = code.src();
        final int[] off = code.off();
        final int[] target = code.target();
        final long[] imm = code.imm();
        final Memory mem = m.memory();
        final long[] r = m.registers(baseDepth);
        final long[] saved = m.savedRegisters();
        final int[] returnPc = m.returnSlots();
        final int[] returnFunction = m.returnFunctions();
        final long[] mayGoto = m.mayGotoBudgets();
        final long mayGotoBudget = m.context().mayGotoBudget();
        final long staticBase = (long) m.context().staticBase(image) << 32;
        r[1] = a1;
        r[2] = a2;
        r[3] = a3;
        r[4] = a4;
        r[5] = a5;
        r[10] = mem.enterFrame(baseDepth);
        mayGoto[baseDepth] = mayGotoBudget;
        int depth = baseDepth;
        int func = function;
        int pc = code.functionStart(function);
        long budget = m.budget();
        try {
            for (;;) {
                if (--budget < 0) {
                    budget = 0;
                    throw new BudgetExhaustedFault(pc, m.context().instructionBudget());
                }
                switch (op[pc]) {
                // ---- 64-bit arithmetic (ALU64) ----
                case 0x07 -> { r[dst[pc]] += imm[pc]; pc++; }
                case 0x0f -> { r[dst[pc]] += r[src[pc]]; pc++; }
                case 0x17 -> { r[dst[pc]] -= imm[pc]; pc++; }
                case 0x1f -> { r[dst[pc]] -= r[src[pc]]; pc++; }
                case 0x27 -> { r[dst[pc]] *= imm[pc]; pc++; }
                case 0x2f -> { r[dst[pc]] *= r[src[pc]]; pc++; }
                case 0x37 -> { r[dst[pc]] = AluOps.div64(r[dst[pc]], imm[pc]); pc++; }
                case 0x3f -> { r[dst[pc]] = AluOps.div64(r[dst[pc]], r[src[pc]]); pc++; }
                case DecodedProgram.SDIV64_K -> { r[dst[pc]] = AluOps.sdiv64(r[dst[pc]], imm[pc]); pc++; }
                case DecodedProgram.SDIV64_X -> { r[dst[pc]] = AluOps.sdiv64(r[dst[pc]], r[src[pc]]); pc++; }
                case 0x47 -> { r[dst[pc]] |= imm[pc]; pc++; }
                case 0x4f -> { r[dst[pc]] |= r[src[pc]]; pc++; }
                case 0x57 -> { r[dst[pc]] &= imm[pc]; pc++; }
                case 0x5f -> { r[dst[pc]] &= r[src[pc]]; pc++; }
                case 0x67 -> { r[dst[pc]] = AluOps.lsh64(r[dst[pc]], imm[pc]); pc++; }
                case 0x6f -> { r[dst[pc]] = AluOps.lsh64(r[dst[pc]], r[src[pc]]); pc++; }
                case 0x77 -> { r[dst[pc]] = AluOps.rsh64(r[dst[pc]], imm[pc]); pc++; }
                case 0x7f -> { r[dst[pc]] = AluOps.rsh64(r[dst[pc]], r[src[pc]]); pc++; }
                case 0x87 -> { r[dst[pc]] = -r[dst[pc]]; pc++; }
                case 0x97 -> { r[dst[pc]] = AluOps.mod64(r[dst[pc]], imm[pc]); pc++; }
                case 0x9f -> { r[dst[pc]] = AluOps.mod64(r[dst[pc]], r[src[pc]]); pc++; }
                case DecodedProgram.SMOD64_K -> { r[dst[pc]] = AluOps.smod64(r[dst[pc]], imm[pc]); pc++; }
                case DecodedProgram.SMOD64_X -> { r[dst[pc]] = AluOps.smod64(r[dst[pc]], r[src[pc]]); pc++; }
                case 0xa7 -> { r[dst[pc]] ^= imm[pc]; pc++; }
                case 0xaf -> { r[dst[pc]] ^= r[src[pc]]; pc++; }
                case 0xb7 -> { r[dst[pc]] = imm[pc]; pc++; }
                case 0xbf -> { r[dst[pc]] = r[src[pc]]; pc++; }
                case DecodedProgram.MOVSX64_8 -> { r[dst[pc]] = AluOps.signExtend(r[src[pc]], 8); pc++; }
                case DecodedProgram.MOVSX64_16 -> { r[dst[pc]] = AluOps.signExtend(r[src[pc]], 16); pc++; }
                case DecodedProgram.MOVSX64_32 -> { r[dst[pc]] = AluOps.signExtend(r[src[pc]], 32); pc++; }
                case 0xc7 -> { r[dst[pc]] = AluOps.arsh64(r[dst[pc]], imm[pc]); pc++; }
                case 0xcf -> { r[dst[pc]] = AluOps.arsh64(r[dst[pc]], r[src[pc]]); pc++; }
                case 0xd7 -> { r[dst[pc]] = AluOps.byteSwap(r[dst[pc]], (int) imm[pc]); pc++; }
                // ---- 32-bit arithmetic (ALU): results zero-extended ----
                case 0x04 -> { r[dst[pc]] = AluOps.add32(r[dst[pc]], imm[pc]); pc++; }
                case 0x0c -> { r[dst[pc]] = AluOps.add32(r[dst[pc]], r[src[pc]]); pc++; }
                case 0x14 -> { r[dst[pc]] = AluOps.sub32(r[dst[pc]], imm[pc]); pc++; }
                case 0x1c -> { r[dst[pc]] = AluOps.sub32(r[dst[pc]], r[src[pc]]); pc++; }
                case 0x24 -> { r[dst[pc]] = AluOps.mul32(r[dst[pc]], imm[pc]); pc++; }
                case 0x2c -> { r[dst[pc]] = AluOps.mul32(r[dst[pc]], r[src[pc]]); pc++; }
                case 0x34 -> { r[dst[pc]] = AluOps.div32(r[dst[pc]], imm[pc]); pc++; }
                case 0x3c -> { r[dst[pc]] = AluOps.div32(r[dst[pc]], r[src[pc]]); pc++; }
                case DecodedProgram.SDIV32_K -> { r[dst[pc]] = AluOps.sdiv32(r[dst[pc]], imm[pc]); pc++; }
                case DecodedProgram.SDIV32_X -> { r[dst[pc]] = AluOps.sdiv32(r[dst[pc]], r[src[pc]]); pc++; }
                case 0x44 -> { r[dst[pc]] = AluOps.or32(r[dst[pc]], imm[pc]); pc++; }
                case 0x4c -> { r[dst[pc]] = AluOps.or32(r[dst[pc]], r[src[pc]]); pc++; }
                case 0x54 -> { r[dst[pc]] = AluOps.and32(r[dst[pc]], imm[pc]); pc++; }
                case 0x5c -> { r[dst[pc]] = AluOps.and32(r[dst[pc]], r[src[pc]]); pc++; }
                case 0x64 -> { r[dst[pc]] = AluOps.lsh32(r[dst[pc]], imm[pc]); pc++; }
                case 0x6c -> { r[dst[pc]] = AluOps.lsh32(r[dst[pc]], r[src[pc]]); pc++; }
                case 0x74 -> { r[dst[pc]] = AluOps.rsh32(r[dst[pc]], imm[pc]); pc++; }
                case 0x7c -> { r[dst[pc]] = AluOps.rsh32(r[dst[pc]], r[src[pc]]); pc++; }
                case 0x84 -> { r[dst[pc]] = AluOps.neg32(r[dst[pc]]); pc++; }
                case 0x94 -> { r[dst[pc]] = AluOps.mod32(r[dst[pc]], imm[pc]); pc++; }
                case 0x9c -> { r[dst[pc]] = AluOps.mod32(r[dst[pc]], r[src[pc]]); pc++; }
                case DecodedProgram.SMOD32_K -> { r[dst[pc]] = AluOps.smod32(r[dst[pc]], imm[pc]); pc++; }
                case DecodedProgram.SMOD32_X -> { r[dst[pc]] = AluOps.smod32(r[dst[pc]], r[src[pc]]); pc++; }
                case 0xa4 -> { r[dst[pc]] = AluOps.xor32(r[dst[pc]], imm[pc]); pc++; }
                case 0xac -> { r[dst[pc]] = AluOps.xor32(r[dst[pc]], r[src[pc]]); pc++; }
                case 0xb4 -> { r[dst[pc]] = AluOps.mov32(imm[pc]); pc++; }
                case 0xbc -> { r[dst[pc]] = AluOps.mov32(r[src[pc]]); pc++; }
                case DecodedProgram.MOVSX32_8 -> { r[dst[pc]] = AluOps.signExtend32(r[src[pc]], 8); pc++; }
                case DecodedProgram.MOVSX32_16 -> { r[dst[pc]] = AluOps.signExtend32(r[src[pc]], 16); pc++; }
                case 0xc4 -> { r[dst[pc]] = AluOps.arsh32(r[dst[pc]], imm[pc]); pc++; }
                case 0xcc -> { r[dst[pc]] = AluOps.arsh32(r[dst[pc]], r[src[pc]]); pc++; }
                case 0xd4 -> { r[dst[pc]] = AluOps.toLittleEndian(r[dst[pc]], (int) imm[pc]); pc++; }
                case 0xdc -> { r[dst[pc]] = AluOps.byteSwap(r[dst[pc]], (int) imm[pc]); pc++; }
                // ---- loads, stores, atomics ----
                case 0x18 -> { r[dst[pc]] = imm[pc]; pc += 2; }
                case DecodedProgram.LD_STATIC -> { r[dst[pc]] = imm[pc] + staticBase; pc += 2; }
                case DecodedProgram.CAST_KERN -> { r[dst[pc]] = r[src[pc]] & 0xffff_ffffL; pc++; }
                case DecodedProgram.CAST_USER -> {
                    long lo = r[src[pc]] & 0xffff_ffffL;
                    r[dst[pc]] = lo == 0 ? 0 : imm[pc] << 32 | lo;
                    pc++;
                }
                case 0x61 -> { r[dst[pc]] = mem.load32(r[src[pc]] + off[pc], pc); pc++; }
                case 0x69 -> { r[dst[pc]] = mem.load16(r[src[pc]] + off[pc], pc); pc++; }
                case 0x71 -> { r[dst[pc]] = mem.load8(r[src[pc]] + off[pc], pc); pc++; }
                case 0x79 -> { r[dst[pc]] = mem.load64(r[src[pc]] + off[pc], pc); pc++; }
                case 0x81 -> { r[dst[pc]] = (int) mem.load32(r[src[pc]] + off[pc], pc); pc++; }
                case 0x89 -> { r[dst[pc]] = (short) mem.load16(r[src[pc]] + off[pc], pc); pc++; }
                case 0x91 -> { r[dst[pc]] = (byte) mem.load8(r[src[pc]] + off[pc], pc); pc++; }
                case 0x62 -> { mem.store32(r[dst[pc]] + off[pc], imm[pc], pc); pc++; }
                case 0x6a -> { mem.store16(r[dst[pc]] + off[pc], imm[pc], pc); pc++; }
                case 0x72 -> { mem.store8(r[dst[pc]] + off[pc], imm[pc], pc); pc++; }
                case 0x7a -> { mem.store64(r[dst[pc]] + off[pc], imm[pc], pc); pc++; }
                case 0x63 -> { mem.store32(r[dst[pc]] + off[pc], r[src[pc]], pc); pc++; }
                case 0x6b -> { mem.store16(r[dst[pc]] + off[pc], r[src[pc]], pc); pc++; }
                case 0x73 -> { mem.store8(r[dst[pc]] + off[pc], r[src[pc]], pc); pc++; }
                case 0x7b -> { mem.store64(r[dst[pc]] + off[pc], r[src[pc]], pc); pc++; }
                case 0xc3, 0xdb, 0xcb, 0xd3 -> { atomic(mem, r, pc); pc++; }
                case 0x20, 0x28, 0x30, 0x40, 0x48, 0x50 -> {
                    long v = packetLoad(m, r, pc);
                    if (v >= 0) {
                        r[0] = v;
                        pc++;
                    } else {
                        // out of the packet: the kernel's rewrite (gen_ld_abs) sets r0 = 0 and exits the current function
                        r[0] = 0;
                        if (depth == baseDepth) {
                            return 0;
                        }
                        depth--;
                        int s = depth * 5;
                        r[6] = saved[s];
                        r[7] = saved[s + 1];
                        r[8] = saved[s + 2];
                        r[9] = saved[s + 3];
                        r[10] = saved[s + 4];
                        pc = returnPc[depth];
                        func = returnFunction[depth];
                    }
                }
                // ---- jumps ----
                case 0x05 -> pc = target[pc];
                case 0x06 -> pc = target[pc];
                case 0xe5 -> {
                    if (mayGoto[depth] == 0) {
                        pc = target[pc];
                    } else {
                        mayGoto[depth]--;
                        pc++;
                    }
                }
                case 0x0d -> pc = gotoTarget(r[dst[pc]], func, pc);
                case 0x15 -> pc = AluOps.jeq(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0x1d -> pc = AluOps.jeq(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                case 0x16 -> pc = AluOps.jeq32(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0x1e -> pc = AluOps.jeq32(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                case 0x25 -> pc = AluOps.jgt(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0x2d -> pc = AluOps.jgt(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                case 0x26 -> pc = AluOps.jgt32(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0x2e -> pc = AluOps.jgt32(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                case 0x35 -> pc = AluOps.jge(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0x3d -> pc = AluOps.jge(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                case 0x36 -> pc = AluOps.jge32(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0x3e -> pc = AluOps.jge32(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                case 0x45 -> pc = AluOps.jset(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0x4d -> pc = AluOps.jset(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                case 0x46 -> pc = AluOps.jset32(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0x4e -> pc = AluOps.jset32(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                case 0x55 -> pc = AluOps.jne(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0x5d -> pc = AluOps.jne(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                case 0x56 -> pc = AluOps.jne32(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0x5e -> pc = AluOps.jne32(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                case 0x65 -> pc = AluOps.jsgt(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0x6d -> pc = AluOps.jsgt(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                case 0x66 -> pc = AluOps.jsgt32(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0x6e -> pc = AluOps.jsgt32(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                case 0x75 -> pc = AluOps.jsge(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0x7d -> pc = AluOps.jsge(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                case 0x76 -> pc = AluOps.jsge32(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0x7e -> pc = AluOps.jsge32(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                case 0xa5 -> pc = AluOps.jlt(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0xad -> pc = AluOps.jlt(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                case 0xa6 -> pc = AluOps.jlt32(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0xae -> pc = AluOps.jlt32(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                case 0xb5 -> pc = AluOps.jle(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0xbd -> pc = AluOps.jle(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                case 0xb6 -> pc = AluOps.jle32(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0xbe -> pc = AluOps.jle32(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                case 0xc5 -> pc = AluOps.jslt(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0xcd -> pc = AluOps.jslt(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                case 0xc6 -> pc = AluOps.jslt32(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0xce -> pc = AluOps.jslt32(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                case 0xd5 -> pc = AluOps.jsle(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0xdd -> pc = AluOps.jsle(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                case 0xd6 -> pc = AluOps.jsle32(r[dst[pc]], imm[pc]) ? target[pc] : pc + 1;
                case 0xde -> pc = AluOps.jsle32(r[dst[pc]], r[src[pc]]) ? target[pc] : pc + 1;
                // ---- calls ----
                case 0x85 -> {
                    m.setBudget(budget);
                    r[0] = callHelper(m, (int) imm[pc], r, depth, pc);
                    budget = m.budget();
                    pc++;
                }
                case DecodedProgram.TAIL_CALL -> {
                    InterpretedProgram next = m.tailCallTarget(r[2], r[3], pc);
                    if (next == null) {
                        // the kernel's tail call falls through on failure; r0 reads as the helper's documented error
                        r[0] = Errno.ENOENT.negated();
                        pc++;
                        continue;
                    }
                    // the target replaces the running function: it runs in this frame with the same ctx,
                    // and its result is what this function returns
                    m.setBudget(budget);
                    InterpretedProgram caller = m.current();
                    m.setCurrent(next);
                    try {
                        r[0] = next.execute(m, 0, depth, r[1], 0, 0, 0, 0);
                    } finally {
                        m.setCurrent(caller);
                        budget = m.budget();
                    }
                    if (depth == baseDepth) {
                        return r[0];
                    }
                    depth--;
                    int s = depth * 5;
                    r[6] = saved[s];
                    r[7] = saved[s + 1];
                    r[8] = saved[s + 2];
                    r[9] = saved[s + 3];
                    r[10] = saved[s + 4];
                    pc = returnPc[depth];
                    func = returnFunction[depth];
                }
                case DecodedProgram.CALL_LOCAL, 0x8d -> {
                    int callee;
                    if (op[pc] == DecodedProgram.CALL_LOCAL) {
                        callee = target[pc];
                    } else {
                        long t = r[dst[pc]];
                        if (Pointers.isExact(t, Pointers.TAG_INSN) && code.functionAt(Pointers.id(t)) >= 0) {
                            // a call-table entry: the callee's first instruction (bpf4j's INSN_ARRAY call tables)
                            t = Pointers.function(code.functionAt(Pointers.id(t)));
                        }
                        if (!Pointers.isExact(t, Pointers.TAG_FUNC)) {
                            m.setBudget(budget);
                            r[0] = callHelper(m, helperIdOf(t, dst[pc], pc), r, depth, pc);
                            budget = m.budget();
                            pc++;
                            continue;
                        }
                        callee = Pointers.id(t);
                        if (callee >= code.functionCount()) {
                            throw new ControlFlowFault(pc, "callx through r" + dst[pc] + " = " + Pointers.describe(t)
                                    + ": no such function");
                        }
                    }
                    if (depth + 1 >= Memory.MAX_FRAMES) {
                        throw new CallDepthFault(pc, depth + 2);
                    }
                    int s = depth * 5;
                    saved[s] = r[6];
                    saved[s + 1] = r[7];
                    saved[s + 2] = r[8];
                    saved[s + 3] = r[9];
                    saved[s + 4] = r[10];
                    returnPc[depth] = pc + 1;
                    returnFunction[depth] = func;
                    depth++;
                    r[10] = mem.enterFrame(depth);
                    mayGoto[depth] = mayGotoBudget;
                    func = callee;
                    pc = code.functionStart(callee);
                }
                case 0x95 -> {
                    if (depth == baseDepth) {
                        return r[0];
                    }
                    depth--;
                    int s = depth * 5;
                    r[6] = saved[s];
                    r[7] = saved[s + 1];
                    r[8] = saved[s + 2];
                    r[9] = saved[s + 3];
                    r[10] = saved[s + 4];
                    pc = returnPc[depth];
                    func = returnFunction[depth];
                }
                case DecodedProgram.ILLEGAL -> throw new IllegalInstructionFault(pc, codeAt(pc), code.reason(pc));
                default -> throw new IllegalInstructionFault(pc, codeAt(pc), String.format("unknown opcode %#04x", codeAt(pc)));
                }
            }
        } catch (MemoryFault f) {
            throw code.inKernelTerms(f);
        } finally {
            m.setBudget(budget);
        }
    }

    private int codeAt(int pc) {
        int i = image.instructions().indexAtSlot(pc);
        return i >= 0 ? image.instructions().get(i).code() : 0;
    }

    private long callHelper(Machine m, int id, long[] r, int depth, int pc) {
        Helper h = helpers.get(id);
        if (h == null) {
            throw new HelperFault(pc, id, "unknown helper " + helpers.name(id) + " (id " + id + "): not available to this program");
        }
        m.enterHelper(depth, pc);
        return h.call(m, r[1], r[2], r[3], r[4], r[5]);
    }

    /** callx through a register holding no function pointer: a small number is a helper id (PREVAIL's convention). */
    private static int helperIdOf(long value, int reg, int pc) {
        if (value < 0 || value > 0xffff) {
            throw new ControlFlowFault(pc, "callx through r" + reg + " = " + Pointers.describe(value)
                    + ": neither a function pointer nor a helper id");
        }
        return (int) value;
    }

    private int gotoTarget(long value, int func, int pc) {
        int t = Pointers.id(value);
        if (!Pointers.isExact(value, Pointers.TAG_INSN)) {
            throw new ControlFlowFault(pc, "gotox through " + Pointers.describe(value) + ": not an instruction pointer");
        }
        int start = code.functionStart(func);
        int end = code.functionEnd(func);
        if (t < start || t >= end || !code.startsInstruction(t)) {
            throw new ControlFlowFault(pc, "gotox to insn " + t + " outside the function [" + start + ", " + (end - 1) + "]");
        }
        return t;
    }

    private void atomic(Memory mem, long[] r, int pc) {
        int size = Opcodes.sizeBytes(code.op()[pc]);
        int dst = code.dst()[pc];
        int off = code.off()[pc];
        long address = r[dst] + off;
        int s = code.src()[pc];
        int operation = (int) code.imm()[pc];
        switch (operation) {
            case Opcodes.ATOMIC_LOAD_ACQ -> r[dst] = mem.loadAcquire(r[s] + off, size, pc);
            case Opcodes.ATOMIC_STORE_REL -> mem.storeRelease(address, size, r[s], pc);
            case Opcodes.ATOMIC_CMPXCHG -> r[0] = mem.compareExchange(address, size, r[0], r[s], pc);
            case Opcodes.ATOMIC_XCHG -> r[s] = mem.atomicUpdate(address, size, AtomicOp.XCHG, r[s], pc);
            default -> {
                AtomicOp o = switch (operation & ~Opcodes.ATOMIC_FETCH) {
                    case Opcodes.ADD -> AtomicOp.ADD;
                    case Opcodes.OR -> AtomicOp.OR;
                    case Opcodes.AND -> AtomicOp.AND;
                    default -> AtomicOp.XOR;
                };
                long old = mem.atomicUpdate(address, size, o, r[s], pc);
                if ((operation & Opcodes.ATOMIC_FETCH) != 0) {
                    r[s] = old;
                }
            }
        }
    }

    /** LD_ABS/LD_IND: the network-order value, or -1 when the bytes are not in the packet. */
    private static long packetLoad(Machine m, long[] r, int pc) {
        DecodedProgram code = m.current().code;
        int op = code.op()[pc];
        int size = Opcodes.sizeBytes(op);
        long imm = code.imm()[pc];
        long offset = (op & Opcodes.MODE_MASK) == Opcodes.IND ? (int) (r[code.src()[pc]] + imm) : (int) imm;
        long data = m.context().packetData();
        long length = m.context().packetEnd() - data;
        if (data == 0 || offset < 0 || offset > length - size) {
            return -1;
        }
        return AluOps.networkOrder(m.memory().load(data + offset, size, pc), size);
    }
}
