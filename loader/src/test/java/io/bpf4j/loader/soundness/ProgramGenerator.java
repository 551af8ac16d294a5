package io.bpf4j.loader.soundness;

import io.bpf4j.testdata.CraftedElf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Random XDP programs for the verifier's soundness check (issue 15): straight-line blocks that
 * touch every region a verified program may reach (packet with constant and variable offsets
 * behind bounds checks, stack, a map value behind a null check, the context), with ALU on the
 * scalars that index them and forward branches between blocks. Each kind of block sometimes
 * leaves out or gets wrong the check that makes it safe, so the verifier has both verdicts to
 * give: a program it accepts must then never fault when it runs.
 *
 * <p>Choices come from an {@link IntUnaryOperator} ({@code bound -> value in [0, bound)}), so a
 * seeded {@link java.util.Random} and Jazzer's data provider drive the same generator.
 */
final class ProgramGenerator {
    /** The legacy map every program may use: an array of 4 entries of 16-byte values. */
    static final int MAP_TYPE_ARRAY = 2;
    static final int KEY_SIZE = 4;
    static final int VALUE_SIZE = 16;
    static final int MAX_ENTRIES = 4;

    private static final int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6, R7 = 7, R8 = 8, R9 = 9, R10 = 10;
    private static final int[] SIZES = {1, 2, 4, 8};
    private static final int[] LDX = {0x71, 0x69, 0x61, 0x79};
    private static final int[] STX = {0x73, 0x6b, 0x63, 0x7b};
    private static final int[] ST = {0x72, 0x6a, 0x62, 0x7a};
    /** ALU64 with an immediate: add, sub, mul, div, or, and, lsh, rsh, mod, xor, arsh; and the 32-bit add, and, mov. */
    private static final int[] ALU_IMM = {0x07, 0x17, 0x27, 0x37, 0x47, 0x57, 0x67, 0x77, 0x97, 0xa7, 0xc7, 0x04, 0x54, 0xb4};
    /** Conditional jumps with an immediate: jeq, jgt, jge, jset, jne, jsgt, jsge, jlt, jle, jslt, jsle. */
    private static final int[] JMP_IMM = {0x15, 0x25, 0x35, 0x45, 0x55, 0x65, 0x75, 0xa5, 0xb5, 0xc5, 0xd5};

    /** A generated program: its instruction bytes and the byte offsets of the {@code ld_imm64}s of the map. */
    record Program(byte[] code, List<Integer> mapLoads) {
        int insns() {
            return code.length / 8;
        }

        /** An object with the program in section {@code xdp} and the map in a legacy {@code maps} section. */
        byte[] object() {
            CraftedElf w = new CraftedElf();
            int text = w.add("xdp", CraftedElf.PROGBITS, CraftedElf.ALLOC | CraftedElf.EXEC, code, 0, 0, 0);
            byte[] def = CraftedElf.le(20).putInt(MAP_TYPE_ARRAY).putInt(KEY_SIZE).putInt(VALUE_SIZE).putInt(MAX_ENTRIES)
                    .putInt(0).array();
            int maps = w.add("maps", CraftedElf.PROGBITS, CraftedElf.ALLOC | CraftedElf.WRITE, def, 0, 0, 0);
            int strtab = w.add(".strtab", CraftedElf.STRTAB, 0, CraftedElf.strings("prog", "values"), 0, 0, 0);
            // STB_GLOBAL | STT_FUNC for the program, STB_GLOBAL | STT_OBJECT for the map
            int symtab = w.add(".symtab", CraftedElf.SYMTAB, 0, CraftedElf.concat(CraftedElf.symbol(0, 0, 0, 0, 0),
                    CraftedElf.symbol(1, 0x12, text, 0, code.length), CraftedElf.symbol(6, 0x11, maps, 0, 20)), strtab, 1, 24);
            if (!mapLoads.isEmpty()) {
                byte[][] rels = new byte[mapLoads.size()][];
                for (int i = 0; i < rels.length; i++) {
                    rels[i] = CraftedElf.rel(mapLoads.get(i), 2, 1); // R_BPF_64_64 against 'values'
                }
                w.add(".relxdp", CraftedElf.REL, 0, CraftedElf.concat(rels), symtab, text, 16);
            }
            w.add("license", CraftedElf.PROGBITS, CraftedElf.ALLOC, CraftedElf.strings("GPL"), 0, 0, 0);
            return w.bytes();
        }

        /** The instructions as the kernel takes them: the map's {@code ld_imm64}s carry BPF_PSEUDO_MAP_FD and map index 0. */
        byte[] kernelInstructions() {
            byte[] out = code.clone();
            for (int at : mapLoads) {
                out[at + 1] = (byte) ((out[at + 1] & 0x0f) | 1 << 4);
            }
            return out;
        }
    }

    private final IntUnaryOperator choose;
    private final List<long[]> insns = new ArrayList<>();
    private final List<Integer> mapLoads = new ArrayList<>();

    private ProgramGenerator(IntUnaryOperator choose) {
        this.choose = choose;
    }

    /** A new program from the choices {@code choose} makes. */
    static Program generate(IntUnaryOperator choose) {
        return new ProgramGenerator(choose).program();
    }

    private int pick(int bound) {
        return Math.floorMod(choose.applyAsInt(bound), bound);
    }

    /** True with probability 1/n: how often a block gets its safety check wrong. */
    private boolean oneIn(int n) {
        return pick(n) == 0;
    }

    private Program program() {
        emit(0xbf, R6, R1, 0, 0);                 // r6 = ctx
        loadPacketPointers();
        emit(0xb7, R7, 0, 0, pick(256));          // r7: the scalar the blocks index with
        emit(0x61, R8, R6, 12, 0);                // r8 = ctx->ingress_ifindex, another scalar
        for (int blocks = 1 + pick(6); blocks > 0; blocks--) {
            block();
        }
        if (!oneIn(40)) {
            emit(0xbf, R0, R7, 0, 0);
            emit(0x57, R0, 0, 0, 3);              // an XDP action, 0..3
        }
        emit(0x95, 0, 0, 0, 0);
        ByteBuffer b = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long[] i : insns) {
            b.put((byte) i[0]).put((byte) (i[1] | i[2] << 4)).putShort((short) i[3]).putInt((int) i[4]);
        }
        return new Program(b.array(), List.copyOf(mapLoads));
    }

    private void loadPacketPointers() {
        emit(0x61, R2, R6, 0, 0);                 // r2 = ctx->data
        emit(0x61, R3, R6, 4, 0);                 // r3 = ctx->data_end
    }

    private void block() {
        switch (pick(7)) {
            case 0 -> packetConstant();
            case 1 -> packetVariable();
            case 2 -> stack();
            case 3 -> mapValue();
            case 4, 5 -> alu();
            default -> branchOver();
        }
    }

    /** if (data + k > data_end) skip; then loads at constant offsets, sometimes past k. */
    private void packetConstant() {
        int k = 1 + pick(64);
        emit(0xbf, R4, R2, 0, 0);
        emit(0x07, R4, 0, 0, k);
        int check = oneIn(12) ? -1 : emitJump(0x2d, R4, R3);   // if r4 > r3 goto end
        for (int n = 1 + pick(3); n > 0; n--) {
            int size = pick(4);
            int off = oneIn(10) ? k - SIZES[size] + 1 + pick(4) : pick(Math.max(1, k - SIZES[size] + 1));
            if (SIZES[size] > k && !oneIn(4)) {
                size = 0;
                off = pick(k);
            }
            emit(LDX[size], R5, R2, off, 0);
            emit(0x0f, R7, R5, 0, 0);              // r7 += r5
            if (oneIn(6)) {
                emit(ST[size], R2, 0, off, pick(256)); // a store into the packet
            }
        }
        land(check);
    }

    /** A byte at data + (r7 & mask) behind a check of that pointer plus s; sometimes the mask is missing. */
    private void packetVariable() {
        int[] masks = {0x7, 0xf, 0x3f, 0xff};
        int s = 1 + pick(8);
        emit(0xbf, R5, R7, 0, 0);
        if (!oneIn(10)) {
            emit(0x57, R5, 0, 0, masks[pick(masks.length)]);
        }
        emit(0xbf, R4, R2, 0, 0);
        emit(0x0f, R4, R5, 0, 0);                 // r4 = data + var
        emit(0xbf, R9, R4, 0, 0);
        emit(0x07, R9, 0, 0, s);
        int check = oneIn(12) ? -1 : emitJump(0x2d, R9, R3);   // if r9 > r3 goto end
        int off = oneIn(8) ? s : pick(s);
        emit(0x71, R5, R4, off, 0);
        emit(0xaf, R7, R5, 0, 0);                 // r7 ^= r5
        land(check);
    }

    /** Stores and loads on the stack, sometimes outside the 512-byte frame or misaligned. */
    private void stack() {
        int size = pick(4);
        int slot = 1 + pick(8);
        int off = oneIn(15) ? -(512 + 8 * (1 + pick(2))) : -8 * slot;
        if (oneIn(10)) {
            off += 1 + pick(3);
        }
        if (pick(2) == 0) {
            emit(STX[size], R10, R7, off, 0);
        } else {
            emit(ST[size], R10, 0, off, pick(1000));
        }
        int back = oneIn(6) ? -8 * (1 + pick(8)) : off;     // sometimes a slot never written
        emit(LDX[size], R5, R10, back, 0);
        emit(0x0f, R7, R5, 0, 0);
        if (oneIn(8)) {
            emit(0x7b, R10, R2, -8 * (1 + pick(8)), 0); // spill the packet pointer, fill it back
            emit(0x79, R2, R10, -8 * (1 + pick(8)), 0);
        }
    }

    /** lookup(&values, &key) behind a null check, then value accesses at constant and variable offsets. */
    private void mapValue() {
        emit(0xbf, R5, R7, 0, 0);
        emit(0x57, R5, 0, 0, MAX_ENTRIES - 1 + (oneIn(5) ? 4 : 0));
        emit(0x63, R10, R5, -4, 0);               // key = r7 & 3 (or a key past the end: lookup gives NULL)
        mapLoads.add(insns.size() * 8);
        emit(0x18, R1, 0, 0, 0);
        emit(0, 0, 0, 0, 0);
        emit(0xbf, R2, R10, 0, 0);
        emit(0x07, R2, 0, 0, -4);
        emit(0x85, 0, 0, 0, 1);                   // bpf_map_lookup_elem
        int check = oneIn(10) ? -1 : emitJumpImm(0x15, R0, 0); // if r0 == 0 goto end
        int size = pick(4);
        int off = oneIn(10) ? VALUE_SIZE - SIZES[size] + 1 + pick(8) : SIZES[size] * pick(VALUE_SIZE / SIZES[size]);
        if (pick(2) == 0) {
            emit(LDX[size], R5, R0, off, 0);
            emit(0x0f, R7, R5, 0, 0);
        } else {
            emit(STX[size], R0, R7, off, 0);
        }
        if (pick(3) == 0) {
            refinedIndex();
        } else if (pick(2) == 0) {
            emit(0xbf, R5, R8, 0, 0);
            if (!oneIn(8)) {
                emit(0x57, R5, 0, 0, 7);
            }
            emit(0x0f, R0, R5, 0, 0);
            emit(0x71, R5, R0, pick(VALUE_SIZE - 7 + (oneIn(8) ? 4 : 0)), 0);
            emit(0x0f, R7, R5, 0, 0);
        }
        land(check);
        if (!oneIn(15)) {
            loadPacketPointers();                 // the call scratched r1-r5
        }
    }

    /**
     * r0 += r5 where r5's range comes only from comparisons (unsigned or signed, 64- or 32-bit):
     * the refinement of bounds by branches, where an off-by-one or a missing lower bound is unsafe.
     */
    private void refinedIndex() {
        emit(0xbf, R5, pick(2) == 0 ? R7 : R8, 0, 0);
        int limit = VALUE_SIZE - (oneIn(6) ? 0 : 1);
        int[] upper = {0x25, 0x35, 0x26, 0x36, 0x65, 0x66};   // r5 >(=) limit (64/32-bit, unsigned/signed): skip
        int op = upper[pick(upper.length)];
        int skip = emitJumpImm(op, R5, (op & 0x10) != 0 ? limit + 1 : limit);
        int low = -1;
        if ((op == 0x65 || op == 0x66) && !oneIn(5)) {
            low = emitJumpImm(0xc5, R5, 0);                 // signed: also r5 s< 0: skip
        }
        emit(0xbf, R4, R0, 0, 0);
        emit(0x0f, R4, R5, 0, 0);
        emit(0x71, R5, R4, 0, 0);
        emit(0x0f, R7, R5, 0, 0);
        land(skip);
        land(low);
    }

    private void alu() {
        for (int n = 1 + pick(4); n > 0; n--) {
            int op = ALU_IMM[pick(ALU_IMM.length)];
            int imm = switch (op) {
                case 0x67, 0x77, 0xc7 -> pick(64);
                default -> pick(3) == 0 ? pick(16) : pick(Integer.MAX_VALUE) - (1 << 30);
            };
            emit(op, pick(2) == 0 ? R7 : R8, 0, 0, imm);
        }
        if (pick(3) == 0) {
            emit(0x0f, R7, R8, 0, 0);
        }
    }

    /** if (r7 op imm) jump over the next block. */
    private void branchOver() {
        int jump = emitJumpImm(JMP_IMM[pick(JMP_IMM.length)], pick(2) == 0 ? R7 : R8, pick(4) == 0 ? pick(16) : pick(4096));
        block();
        land(jump);
    }

    private int emitJump(int code, int dst, int src) {
        emit(code, dst, src, 0, 0);
        return insns.size() - 1;
    }

    private int emitJumpImm(int code, int dst, int imm) {
        emit(code, dst, 0, 0, imm);
        return insns.size() - 1;
    }

    /** Points the jump emitted at {@code at} (if any) at the next instruction. */
    private void land(int at) {
        if (at >= 0) {
            insns.get(at)[3] = insns.size() - at - 1;
        }
    }

    private void emit(int code, int dst, int src, int off, int imm) {
        insns.add(new long[] {code, dst, src, off, imm});
    }
}
