package io.bpf4j.verifier;

import io.bpf4j.isa.Alu;
import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.Call;
import io.bpf4j.isa.Exit;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.Jump;
import io.bpf4j.isa.JumpOp;
import io.bpf4j.isa.Load;
import io.bpf4j.isa.LoadImm64;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Register;
import io.bpf4j.isa.Size;
import io.bpf4j.isa.Slot;
import io.bpf4j.isa.Store;

/** Short names for hand-assembling test programs (registers by number, as the kernel's log names them). */
final class Asm {
    private Asm() {}

    static Register r(int n) {
        return Register.of(n);
    }

    static Instruction mov(int dst, int imm) {
        return Alu.imm(AluOp.MOV, true, r(dst), imm);
    }

    static Instruction mov32(int dst, int imm) {
        return Alu.imm(AluOp.MOV, false, r(dst), imm);
    }

    static Instruction movr(int dst, int src) {
        return Alu.reg(AluOp.MOV, true, r(dst), r(src));
    }

    static Instruction alu(AluOp op, int dst, int imm) {
        return Alu.imm(op, true, r(dst), imm);
    }

    static Instruction alur(AluOp op, int dst, int src) {
        return Alu.reg(op, true, r(dst), r(src));
    }

    static Instruction alu32(AluOp op, int dst, int imm) {
        return Alu.imm(op, false, r(dst), imm);
    }

    static Instruction alu32r(AluOp op, int dst, int src) {
        return Alu.reg(op, false, r(dst), r(src));
    }

    static Instruction ldx(Size size, int dst, int src, int off) {
        return Load.of(size, r(dst), r(src), off);
    }

    static Instruction stx(Size size, int dst, int off, int src) {
        return Store.reg(size, r(dst), off, r(src));
    }

    static Instruction st(Size size, int dst, int off, int imm) {
        return Store.imm(size, r(dst), off, imm);
    }

    static Instruction jmp(JumpOp op, int dst, int imm, int off) {
        return Jump.imm(op, false, r(dst), imm, off);
    }

    static Instruction jmpr(JumpOp op, int dst, int src, int off) {
        return Jump.reg(op, false, r(dst), r(src), off);
    }

    static Instruction jmp32(JumpOp op, int dst, int imm, int off) {
        return Jump.imm(op, true, r(dst), imm, off);
    }

    static Instruction ja(int off) {
        return Jump.ja(off);
    }

    static Instruction call(int helper) {
        return Call.helper(helper);
    }

    static Instruction callLocal(int imm) {
        return Call.local(imm);
    }

    static Instruction exit() {
        return Exit.INSTANCE;
    }

    /** {@code ld_imm64} of map index {@code idx} (BPF_PSEUDO_MAP_IDX). */
    static Instruction ldMap(int dst, int idx) {
        return LoadImm64.of(r(dst), Opcodes.PSEUDO_MAP_IDX, idx, 0);
    }

    /** {@code ld_imm64} of the value of map {@code idx} at {@code off} (BPF_PSEUDO_MAP_IDX_VALUE). */
    static Instruction ldMapValue(int dst, int idx, int off) {
        return LoadImm64.of(r(dst), Opcodes.PSEUDO_MAP_IDX_VALUE, idx, off);
    }

    static Instruction ld64(int dst, long v) {
        return LoadImm64.constant(r(dst), v);
    }

    /** Any encoding, decoded as the kernel would see it. */
    static Instruction raw(int code, int dst, int src, int off, int imm) {
        return Instruction.of(Slot.of(code, dst, src, off, imm));
    }
}
