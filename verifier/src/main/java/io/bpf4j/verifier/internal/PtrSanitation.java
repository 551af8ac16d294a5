package io.bpf4j.verifier.internal;

import io.bpf4j.isa.AluOp;
import io.bpf4j.verifier.internal.scalar.Scalar;

/**
 * Pointer arithmetic for loaders without bypass_spec_v1 ({@code sanitize_ptr_alu},
 * {@code sanitize_val_alu}, {@code sanitize_check_bounds}): the kernel masks the offset of a
 * register-based {@code ptr += reg} at run time so that even a mispredicted bounds check keeps
 * the pointer inside its object. Every path through the insn must agree on the mask (its
 * direction and limit, kept per insn in {@link Env#aluState} and {@link Env#aluLimit}), the
 * result must stay in bounds, and the offset truncated to zero is explored as a speculative
 * path. The masking rewrite itself changes no verdict and is not recorded.
 */
final class PtrSanitation {
    // alu_state bits (bpf_verifier.h)
    private static final int SANITIZE_SRC = 1;
    private static final int SANITIZE_DST = 2;
    private static final int NEG_VALUE = 4;
    private static final int NON_POINTER = 8;
    private static final int IMMEDIATE = 16;
    private static final int MAX_BPF_STACK = 512;
    private static final String PROHIBITED = "pointer arithmetic with it prohibited for !root";

    /** The reasons sanitize_err names. */
    private enum Reason { BOUNDS, TYPE, PATHS, LIMIT }

    /** bpf_sanitize_info: what the first half decided, for the commit after the operation. */
    record Info(boolean maskToLeft, int aluState, int aluLimit) {}

    private final Env env;
    private final Explorer ex;

    PtrSanitation(Env env, Explorer ex) {
        this.env = env;
        this.ex = ex;
    }

    private static boolean needed(AluOp op) {
        return op == AluOp.ADD || op == AluOp.SUB;
    }

    /** can_skip_alu_sanitation: privileged, an immediate operand, or a barrier already placed. */
    private boolean canSkip(boolean x) {
        return env.priv.bypassSpecV1() || !x || env.nospec[env.insnIdx];
    }

    /** sanitize_val_alu: a scalar add/sub where another path did pointer arithmetic cannot be masked. */
    void scalar(AluOp op, boolean x, int dst) {
        if (!needed(op) || canSkip(x)) {
            return;
        }
        Reason r = update(NON_POINTER, 0);
        if (r != null) {
            throw error(r, op, dst, -1);
        }
    }

    /**
     * The first half of sanitize_ptr_alu, before the operation: null when nothing is to commit.
     * {@code offIsDst}: the scalar operand is the destination ({@code scalar += ptr}).
     */
    Info before(AluOp op, boolean x, int dst, int src, Reg.Ptr ptr, Scalar off, boolean offIsDst) {
        if (!needed(op) || canSkip(x)) {
            return null;
        }
        boolean offIsImm = off.varOff().isConst();
        boolean offIsNeg = off.smin() < 0;
        Info info = null;
        if (!env.cur.speculative) {
            if (!offIsImm && off.smin() < 0 != off.smax() < 0) {
                throw error(Reason.BOUNDS, op, dst, src);
            }
            boolean maskToLeft = op == AluOp.ADD && offIsNeg || op == AluOp.SUB && !offIsNeg;
            long limit = limit(ptr, maskToLeft);
            if (limit < 0) {
                throw error(limit == -1 ? Reason.TYPE : Reason.LIMIT, op, dst, src);
            }
            int state = (offIsNeg ? NEG_VALUE : 0) | (offIsImm ? IMMEDIATE : 0) | (offIsDst ? SANITIZE_DST : SANITIZE_SRC);
            info = new Info(maskToLeft, state, (int) limit);
            if (!offIsImm) {
                env.exploreAluLimits = true;
            }
        }
        if (!offIsImm) {
            // the offset masked to zero under misprediction: the pointer as it was, one insn on
            VState spec = ex.push(env.insnIdx + 1, env.insnIdx, true);
            spec.regs()[dst] = ptr;
        }
        return info;
    }

    /** sanitize_check_bounds: the result must stay inside its stack frame or map value. */
    void checkBounds(int dst, Reg.Ptr res, MemChecks mem) {
        if (env.priv.bypassSpecV1()) {
            return;
        }
        if (res.type() == Reg.PtrType.STACK) {
            long off = res.off() + res.var().varOff().value();
            if (!res.var().varOff().isConst()) {
                throw env.reject("R" + dst + " variable stack access prohibited for !root, var_off="
                        + StatePrinter.tnum(res.var().varOff()) + " off=" + (int) off);
            }
            if ((int) off >= 0 || (int) off < -MAX_BPF_STACK) {
                throw env.reject("R" + dst + " stack pointer arithmetic goes out of range, prohibited for !root; off="
                        + (int) off);
            }
        } else if (res.type() == Reg.PtrType.MAP_VALUE && res.map() != null) {
            try {
                mem.memRegion(dst, res, res.off(), 1, res.map().valueSize(), false);
            } catch (Reject r) {
                throw env.reject("R" + dst + " pointer arithmetic of map value goes out of range, prohibited for !root");
            }
        }
    }

    /** The second half, after the operation: the mask narrowed to the pointer's observed move. */
    void commit(Info info, AluOp op, int dst, Reg.Ptr res) {
        if (info == null) {
            return;
        }
        long after = limit(res, info.maskToLeft());
        if (after < 0) {
            throw error(after == -1 ? Reason.TYPE : Reason.LIMIT, op, dst, -1);
        }
        Reason r = update(info.aluState(), Math.abs(info.aluLimit() - (int) after));
        if (r != null) {
            throw error(r, op, dst, -1);
        }
    }

    /** retrieve_ptr_limit: how far the mask lets the pointer move (u32), -1 for another type, -2 beyond it. */
    private static long limit(Reg.Ptr ptr, boolean maskToLeft) {
        long max;
        long limit;
        switch (ptr.type()) {
            case STACK -> {
                max = MAX_BPF_STACK + (maskToLeft ? 1 : 0);
                limit = -(ptr.var().varOff().value() + ptr.off()) & 0xffffffffL;
            }
            case MAP_VALUE -> {
                if (ptr.map() == null) {
                    return -1;
                }
                max = ptr.map().valueSize() & 0xffffffffL;
                limit = ((maskToLeft ? ptr.var().smin() : ptr.var().umax()) + ptr.off()) & 0xffffffffL;
            }
            default -> {
                return -1;
            }
        }
        return limit >= max ? -2 : limit;
    }

    /** update_alu_sanitation_state: every path through the insn must need the same mask. */
    private Reason update(int state, int limit) {
        int i = env.insnIdx;
        if (env.aluState[i] != 0 && (env.aluState[i] != state || env.aluLimit[i] != limit)) {
            return Reason.PATHS;
        }
        env.aluState[i] = state;
        env.aluLimit[i] = limit;
        return null;
    }

    /** sanitize_err. */
    private Reject error(Reason r, AluOp op, int dst, int src) {
        String verb = op == AluOp.ADD ? "add" : "sub";
        return env.reject(switch (r) {
            // the kernel compares its copy of the offset register with the destination: never equal, so
            // these name the source and the destination whichever of them holds the pointer
            case BOUNDS -> "R" + src + " has unknown scalar with mixed signed bounds, " + PROHIBITED;
            case TYPE -> "R" + dst + " has pointer with unsupported alu operation, " + PROHIBITED;
            case PATHS -> "R" + dst + " tried to " + verb + " from different maps, paths or scalars, " + PROHIBITED;
            case LIMIT -> "R" + dst + " tried to " + verb + " beyond pointer bounds, " + PROHIBITED;
        });
    }
}
