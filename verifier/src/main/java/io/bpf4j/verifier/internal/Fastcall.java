package io.bpf4j.verifier.internal;

import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import io.bpf4j.isa.abi.ArgKind;
import io.bpf4j.isa.abi.HelperId;
import io.bpf4j.isa.abi.HelperProto;
import io.bpf4j.isa.abi.RetKind;
import java.util.Optional;

/**
 * bpf_fastcall spill/fill patterns ({@code mark_fastcall_patterns}, {@code check_fastcall_stack_contract},
 * {@code remove_fastcall_spills_fills}): around a call to a helper the JIT inlines without
 * clobbering the caller-saved registers it does not use, the compiler's spills and fills of those
 * registers are removed after verification, and the stack they used stops counting towards the
 * subprogram's depth. Only the depth is visible to the verdict (the combined stack limit, the
 * {@code stack depth} statistics line).
 */
final class Fastcall {
    private static final int ALL_CALLER_SAVED = 0x3f; // r0-r5
    private static final int STX_MEM_DW = Opcodes.STX | Opcodes.MEM | Opcodes.DW;
    private static final int LDX_MEM_DW = Opcodes.LDX | Opcodes.MEM | Opcodes.DW;

    private final Program prog;
    /** Per insn: a spill, call or fill of a pattern. */
    private final boolean[] pattern;
    /** Per call insn: how many spill/fill pairs go away with it (only for inlined helpers). */
    private final int[] spillsNum;
    /** Per subprogram: the top of its pattern area (0 for none), or Short.MIN_VALUE once disabled. */
    private final int[] stackOff;
    /** Per subprogram: a pattern around a call that is not inlined keeps the stack as it is. */
    private final boolean[] keepStack;

    private Fastcall(Program prog) {
        this.prog = prog;
        this.pattern = new boolean[prog.len];
        this.spillsNum = new int[prog.len];
        this.stackOff = new int[prog.subprogCount];
        this.keepStack = new boolean[prog.subprogCount];
    }

    /** mark_fastcall_patterns over every subprogram, with the helper prototypes of {@code env}. */
    static Fastcall mark(Env env) {
        Fastcall fc = new Fastcall(env.prog);
        Program prog = env.prog;
        for (int s = 0; s < prog.subprogCount; s++) {
            int lowest = 0;
            for (int i = prog.subprogStart[s]; i < prog.subprogStart[s + 1]; i++) {
                Slot x = prog.insns[i].slot();
                if (x.code() == STX_MEM_DW && x.dst() == 10) {
                    lowest = Math.min(lowest, x.off());
                }
            }
            for (int i = prog.subprogStart[s]; i < prog.subprogStart[s + 1]; i++) {
                if (prog.insns[i].code() == Opcodes.CODE_CALL) {
                    fc.markCall(env, s, i, lowest);
                }
            }
        }
        return fc;
    }

    private void markCall(Env env, int sub, int idx, int lowestOff) {
        Slot call = prog.insns[idx].slot();
        if (call.src() != 0) {
            // static calls clobber everything; kfuncs' fastcall contract is not modelled (they are refused as unsupported)
            return;
        }
        Optional<HelperProto> proto = HelperId.ofId(call.imm()) == null ? Optional.empty()
                : env.profile.helper(env.input.programType(), env.input.expectedAttachType(), call.imm());
        if (proto.isEmpty()) {
            return; // refused later
        }
        int clobbered = clobberMask(proto.get());
        // the x86-64 JIT inlines bpf_get_smp_processor_id (verifier_inlines_helper_call)
        boolean inlined = call.imm() == HelperId.GET_SMP_PROCESSOR_ID.id();
        if (clobbered == ALL_CALLER_SAVED) {
            return;
        }
        int expected = ~clobbered & ALL_CALLER_SAVED;
        int i = 1;
        int off = lowestOff;
        for (; i <= 5; i++, off += 8) {
            if (idx - i < 0 || idx + i >= prog.len) {
                break;
            }
            Slot stx = prog.insns[idx - i].slot();
            Slot ldx = prog.insns[idx + i].slot();
            if (stx.code() != STX_MEM_DW || ldx.code() != LDX_MEM_DW || stx.dst() != 10 || ldx.src() != 10
                    || stx.src() != ldx.dst() || (expected & (1 << stx.src())) == 0 || stx.off() != off || ldx.off() != off) {
                break;
            }
            expected &= ~(1 << stx.src());
            pattern[idx - i] = true;
            pattern[idx + i] = true;
        }
        if (i == 1) {
            return;
        }
        if (inlined) {
            spillsNum[idx] = i - 1;
        } else {
            keepStack[sub] = true;
        }
        stackOff[sub] = Math.min(stackOff[sub], off);
    }

    /** helper_fastcall_clobber_mask: R0 unless void, and each register the prototype takes. */
    private static int clobberMask(HelperProto fn) {
        int mask = fn.ret() == RetKind.VOID ? 0 : 1;
        for (int a = 0; a < 5; a++) {
            if (fn.arg(a).kind() != ArgKind.DONTCARE) {
                mask |= 1 << (a + 1);
            }
        }
        return mask;
    }

    /**
     * check_fastcall_stack_contract: a stack access below the pattern area's top by an insn that
     * is not part of a pattern disables the rewrite for the subprogram owning the stack.
     */
    void contract(int sub, int insn, int off) {
        if (stackOff[sub] <= off || pattern[insn]) {
            return;
        }
        stackOff[sub] = Short.MIN_VALUE;
        for (int i = prog.subprogStart[sub]; i < prog.subprogStart[sub + 1]; i++) {
            spillsNum[i] = 0;
            pattern[i] = false;
        }
    }

    /** remove_fastcall_spills_fills: the depth of each subprogram whose spills and fills go away. */
    void removeSpillsFills(int[] stackDepth) {
        for (int s = 0; s < prog.subprogCount; s++) {
            boolean modified = false;
            for (int i = prog.subprogStart[s]; i < prog.subprogStart[s + 1]; i++) {
                modified |= spillsNum[i] > 0;
            }
            if (modified && !keepStack[s]) {
                stackDepth[s] = -stackOff[s];
            }
        }
    }
}
