package io.bpf4j.jit.internal;

import io.bpf4j.isa.Alu;
import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.Atomic;
import io.bpf4j.isa.Call;
import io.bpf4j.isa.CallX;
import io.bpf4j.isa.Endian;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.Jump;
import io.bpf4j.isa.Load;
import io.bpf4j.isa.LoadImm64;
import io.bpf4j.isa.Unknown;
import io.bpf4j.isa.abi.HelperId;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.runtime.HelperTable;
import io.bpf4j.jit.runtime.Pointers;
import io.bpf4j.jit.runtime.MemoryFault;
import java.util.Arrays;

/**
 * A program flattened once for every engine: one entry per slot (so jump arithmetic is the
 * kernel's), operands in parallel primitive arrays, every target, callee and {@code ld_imm64}
 * value resolved once. Anything that cannot run becomes an {@link #ILLEGAL} entry with its
 * reason, which faults only if a run reaches it. The interpreter dispatches on it; a compiler
 * translates it, so both agree on what each slot means and on which slots cannot run.
 *
 * <p>The operation code is the opcode byte, except for forms that share a byte and differ in
 * another field: those get a code placed on an otherwise meaningless byte (see the constants).
 * The arrays are shared, not copied: engines read them and never write them.
 */
public final class DecodedProgram {
    // The operation codes of forms that share an opcode byte with another, placed on opcode bytes
    // of class LD that encode nothing (every real instruction with such a byte decodes as Unknown
    // and becomes ILLEGAL), so all codes stay below 0x100 and the dispatch switch is a dense table.

    /** Faults with {@link #reason}. Also fills the second slot of each {@code ld_imm64} and the slot after the end. */
    public static final int ILLEGAL = 0x00;
    /** {@code call} of a BPF function; {@link #target} is the callee's function index. */
    public static final int CALL_LOCAL = 0x08;
    public static final int SDIV64_K = 0x10, SDIV64_X = 0x38, SMOD64_K = 0x58, SMOD64_X = 0x60;
    public static final int SDIV32_K = 0x68, SDIV32_X = 0x70, SMOD32_K = 0x78, SMOD32_X = 0x80;
    /** {@code ld_imm64} of a direct value: {@link #imm} is the pointer relative to the program's first static region. */
    public static final int LD_STATIC = 0xb0;
    /** {@code call bpf_tail_call}, when the program's helper table has it. */
    public static final int TAIL_CALL = 0xb8;
    /**
     * {@code addr_space_cast(dst, 0, 1)}: an arena pointer from user to program form, its low 32
     * bits (the kernel's verifier makes it a 32-bit move).
     */
    public static final int CAST_KERN = 0xc0;
    /**
     * {@code addr_space_cast(dst, 1, 0)}: an arena pointer from program to user form; {@link #imm}
     * holds the upper 32 bits of the arena's user address (0 stays 0, as in the kernel's JIT).
     */
    public static final int CAST_USER = 0xc8;
    public static final int MOVSX64_8 = 0x88, MOVSX64_16 = 0x90, MOVSX64_32 = 0x98, MOVSX32_8 = 0xa0, MOVSX32_16 = 0xa8;

    private final int length;
    private final int[] op;
    private final int[] dst;
    private final int[] src;
    private final int[] off;
    private final int[] target;
    private final long[] imm;
    private final String[] reason;
    private final boolean[] secondHalf;
    /** First slot of each function; function 0 is the entry at slot 0. */
    private final int[] functionStart;

    private final HelperTable helpers;

    public DecodedProgram(ProgramImage image) {
        Instructions insns = image.instructions();
        this.helpers = image.helpers();
        int n = insns.slotCount();
        this.length = n;
        op = new int[n + 1];
        dst = new int[n + 1];
        src = new int[n + 1];
        off = new int[n + 1];
        target = new int[n + 1];
        imm = new long[n + 1];
        reason = new String[n + 1];
        secondHalf = new boolean[n + 1];
        functionStart = image.functionStarts();
        for (int i = 0; i < insns.size(); i++) {
            Instruction insn = insns.get(i);
            int pc = insns.slotOf(i);
            decode(image, insns, insn, pc);
            if (insn.slots() == 2) {
                illegal(pc + 1, "jump into the middle of ld_imm64 at insn " + pc);
                secondHalf[pc + 1] = true;
            }
        }
        illegal(n, n == 0 ? "the program is empty" : "ran past the last instruction (insn " + (n - 1) + ")");
    }

    /** Slots: the program's length, plus one {@link #ILLEGAL} entry past the end. */
    public int length() {
        return length;
    }

    /** The operation of each slot: the opcode byte or one of this class's constants. */
    /**
     * A stack fault of a load, store or atomic named in the kernel's terms: by the instruction's
     * base register (LDX: src, ST/STX/atomics: dst). A helper's access keeps its own wording.
     * Every engine reports faults through this, so their messages cannot drift apart.
     */
    public MemoryFault inKernelTerms(MemoryFault f) {
        if (!f.outsideStack() || f.pc() < 0 || f.pc() >= op.length) {
            return f;
        }
        int code = op[f.pc()];
        int cls = code & 0x07;
        boolean memoryInsn = code <= 0xff && (cls == 0x01 || cls == 0x02 || cls == 0x03);
        return memoryInsn ? f.withRegister(cls == 0x01 ? src[f.pc()] : dst[f.pc()]) : f;
    }

    public int[] op() {
        return op;
    }

    public int[] dst() {
        return dst;
    }

    public int[] src() {
        return src;
    }

    public int[] off() {
        return off;
    }

    /** A jump's target slot, or a local call's callee function index. */
    public int[] target() {
        return target;
    }

    /** The immediate, or the resolved 64-bit value of an {@code ld_imm64}. */
    public long[] imm() {
        return imm;
    }

    /** Why an {@link #ILLEGAL} slot cannot run. */
    public String reason(int pc) {
        return reason[pc];
    }

    /** How many functions the program has (its function table's length). */
    public int functionCount() {
        return functionStart.length;
    }

    /** The first slot of function {@code f}. */
    public int functionStart(int f) {
        return functionStart[f];
    }

    /** The index of the function starting at {@code slot}, or -1. */
    public int functionAt(int slot) {
        int i = Arrays.binarySearch(functionStart, slot);
        return i >= 0 ? i : -1;
    }

    /** The slot after the last of function {@code f}. */
    public int functionEnd(int f) {
        return f + 1 < functionStart.length ? functionStart[f + 1] : length;
    }

    private void illegal(int pc, String why) {
        op[pc] = ILLEGAL;
        reason[pc] = why;
    }

    private boolean validRegister(int reg) {
        return reg >= 0 && reg <= 10;
    }

    private void decode(ProgramImage image, Instructions insns, Instruction insn, int pc) {
        int code = insn.code();
        op[pc] = code;
        dst[pc] = insn.dstReg();
        src[pc] = insn.srcReg();
        off[pc] = insn.off();
        imm[pc] = insn.imm();
        if (insn instanceof Unknown u) {
            illegal(pc, u.reason());
            return;
        }
        if (!validRegister(insn.dstReg()) || !validRegister(insn.srcReg())) {
            illegal(pc, String.format("invalid register in opcode %#04x: dst r%d, src r%d", code, insn.dstReg(), insn.srcReg()));
            return;
        }
        if (insn instanceof Alu a) {
            decodeAlu(image, a, pc);
        } else if (insn instanceof Endian e) {
            if (e.width() != 16 && e.width() != 32 && e.width() != 64) {
                illegal(pc, "byte swap of " + e.width() + " bits");
            } else if (e.dstReg() == 10) {
                illegal(pc, "frame pointer is read only");
            }
        } else if (insn instanceof Jump j) {
            decodeJump(insns, j, pc);
        } else if (insn instanceof Call c) {
            decodeCall(image, insns, c, pc);
        } else if (insn instanceof CallX x) {
            dst[pc] = x.targetRegister();
            if (!validRegister(dst[pc])) {
                illegal(pc, "callx through invalid register r" + dst[pc]);
            }
        } else if (insn instanceof LoadImm64 l) {
            decodeLoadImm64(image, insns, l, pc);
        } else if (insn instanceof Load && insn.dstReg() == 10) {
            illegal(pc, "frame pointer is read only");
        } else if (insn instanceof Atomic at && writesFramePointer(at)) {
            illegal(pc, "frame pointer is read only");
        }
    }

    /** Fetching atomics write their src register, load-acquire its dst. */
    private static boolean writesFramePointer(Atomic a) {
        return a.op() == Atomic.Op.LOAD_ACQUIRE ? a.dstReg() == 10
                : a.op() != Atomic.Op.CMPXCHG && a.op() != Atomic.Op.STORE_RELEASE && a.fetch() && a.srcReg() == 10;
    }

    private void decodeAlu(ProgramImage image, Alu a, int pc) {
        if (a.dstReg() == 10) {
            illegal(pc, "frame pointer is read only");
            return;
        }
        AluOp o = a.op();
        int offset = a.off();
        if (!a.usesRegister()) {
            src[pc] = 0;
        }
        boolean x = a.usesRegister();
        boolean wide = a.wide();
        if (o == AluOp.DIV || o == AluOp.MOD) {
            if (offset == 1) {
                op[pc] = o == AluOp.DIV
                        ? (wide ? (x ? SDIV64_X : SDIV64_K) : (x ? SDIV32_X : SDIV32_K))
                        : (wide ? (x ? SMOD64_X : SMOD64_K) : (x ? SMOD32_X : SMOD32_K));
            } else if (offset != 0) {
                illegal(pc, "BPF_ALU uses reserved fields: off " + offset);
            }
        } else if (o == AluOp.MOV) {
            if (a.addressSpaceCast()) {
                decodeAddressSpaceCast(image, a, pc);
            } else if (offset != 0 && !x) {
                illegal(pc, "BPF_MOV uses reserved fields: off " + offset);
            } else if (offset == 8) {
                op[pc] = wide ? MOVSX64_8 : MOVSX32_8;
            } else if (offset == 16) {
                op[pc] = wide ? MOVSX64_16 : MOVSX32_16;
            } else if (offset == 32 && wide) {
                op[pc] = MOVSX64_32;
            } else if (offset != 0) {
                illegal(pc, "invalid movsx width: off " + offset);
            }
        } else if (offset != 0) {
            illegal(pc, "BPF_ALU uses reserved fields: off " + offset);
        }
    }

    private void decodeJump(Instructions insns, Jump j, int pc) {
        if (j.isGotox()) {
            return;
        }
        int t = pc + j.target() + 1;
        if (t < 0 || t >= insns.slotCount()) {
            illegal(pc, "jump out of range from insn " + pc + " to " + t);
        } else if (insns.indexAtSlot(t) < 0) {
            illegal(pc, "jump into the middle of ld_imm64 from insn " + pc + " to " + t);
        } else {
            target[pc] = t;
        }
    }

    private void decodeCall(ProgramImage image, Instructions insns, Call c, int pc) {
        switch (c.kind()) {
            case HELPER -> {
                if (c.imm() == HelperId.TAIL_CALL.id() && helpers.contains(c.imm())) {
                    op[pc] = TAIL_CALL;
                }
            }
            case LOCAL -> {
                int t = pc + c.imm() + 1;
                int f = insns.indexAtSlot(t) >= 0 ? functionAt(t) : -1;
                if (f < 0) {
                    illegal(pc, "call to insn " + t + ", which " + notAFunction(insns, t));
                } else {
                    op[pc] = CALL_LOCAL;
                    target[pc] = f;
                }
            }
            case KFUNC -> {
                // an implemented kfunc is called as the helper it is bound to in the image's table
                int id = image.kfuncHelperId(c.imm());
                String name = image.kfuncName(c.imm());
                if (id >= 0) {
                    imm[pc] = id;
                } else if (name != null) {
                    illegal(pc, "kernel function " + name + " (kfunc btf id " + c.imm() + ") is not implemented by bpf4j");
                } else {
                    illegal(pc, "kernel function calls (kfunc btf id " + c.imm() + ") are not available");
                }
            }
            default -> illegal(pc, "call with unknown src_reg " + c.srcReg());
        }
    }

    private static String notAFunction(Instructions insns, int slot) {
        return insns.indexAtSlot(slot) >= 0 ? "starts no function of the program's function table"
                : "is not an instruction of the program";
    }

    private void decodeLoadImm64(ProgramImage image, Instructions insns, LoadImm64 l, int pc) {
        if (l.dstReg() == 10) {
            illegal(pc, "frame pointer is read only");
            return;
        }
        int handle = l.imm();
        switch (l.source()) {
            case CONSTANT -> imm[pc] = l.value();
            case FUNC -> {
                int t = pc + l.imm() + 1;
                int f = insns.indexAtSlot(t) >= 0 ? functionAt(t) : -1;
                if (f < 0) {
                    illegal(pc, "function pointer to insn " + t + ", which " + notAFunction(insns, t));
                } else {
                    imm[pc] = Pointers.function(f);
                }
            }
            case MAP_FD, MAP_IDX -> {
                if (image.map(handle) == null) {
                    illegal(pc, "ld_imm64 names map " + handle + ", which is not bound to the program");
                } else {
                    imm[pc] = Pointers.map(image.map(handle).id());
                }
            }
            case MAP_VALUE, MAP_IDX_VALUE -> {
                int index = image.staticRegionIndex(handle);
                if (image.map(handle) instanceof io.bpf4j.maps.Arena arena) {
                    // the kernel's arena_map_direct_value_addr: the arena's user address plus the offset
                    long off = Integer.toUnsignedLong(l.second().imm());
                    if (off > (long) arena.pageCount() * io.bpf4j.maps.Arena.PAGE_SIZE) {
                        illegal(pc, "ld_imm64 offset " + off + " is past the end of arena '" + arena.name() + "'");
                    } else {
                        imm[pc] = arena.userVmStart() + off;
                    }
                } else if (index < 0) {
                    illegal(pc, "ld_imm64 names the value of map " + handle + ", which has no direct value");
                } else {
                    op[pc] = LD_STATIC;
                    imm[pc] = Pointers.data(index, l.second().imm());
                }
            }
            case BTF_ID -> illegal(pc, "ld_imm64 of a kernel variable (btf id " + handle + ") is not available");
            default -> illegal(pc, "ld_imm64 with unknown src_reg " + l.srcReg());
        }
        if (op[pc] != ILLEGAL && l.second().code() != 0) {
            illegal(pc, "ld_imm64 second slot uses reserved fields");
        }
    }

    /**
     * {@code addr_space_cast}: only between address spaces 1 (arena, user form) and 0 (program
     * form), and only in a program bound to an arena, as the kernel's verifier requires.
     */
    private void decodeAddressSpaceCast(ProgramImage image, Alu a, int pc) {
        io.bpf4j.maps.Arena arena = image.arena();
        long castImm = a.imm() & 0xffff_ffffL;
        if (arena == null) {
            illegal(pc, "addr_space_cast needs a BPF arena map bound to the program");
        } else if (castImm == 1) {
            op[pc] = CAST_KERN;
        } else if (castImm == 1 << 16) {
            op[pc] = CAST_USER;
            imm[pc] = arena.userVmStart() >>> 32;
        } else {
            illegal(pc, "addr_space_cast can only convert between address space 1 and 0, not imm " + castImm);
        }
    }

    /** Whether {@code slot} starts an instruction (not the second half of an {@code ld_imm64}). */
    public boolean startsInstruction(int slot) {
        return slot >= 0 && slot < length && !secondHalf[slot];
    }
}
