package io.bpf4j.jit.compiler;

import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.isa.Instructions;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Random BPF programs for the differential fuzzer: mostly well-formed instructions of every
 * class the engines run (ALU and ALU32 of every operation, sign-extending moves and divisions,
 * byte swaps, loads, stores and atomics through the frame, a copy of it and an input region,
 * forward and backward jumps, {@code may_goto}, {@code ld_imm64}, helper and bpf-to-bpf calls),
 * with edge-case immediates and offsets, and now and then a random slot, an out-of-range jump or
 * a write to r10, so that faults and the decoder's refusals are compared as well. Choices come
 * from a {@link Choices}: a seeded random source in the normal build, Jazzer's data when fuzzing.
 */
final class RandomPrograms {
    /** Where the generator's decisions come from. */
    interface Choices {
        /** A number in {@code [0, bound)}. */
        int pick(int bound);

        /** Any 64-bit value. */
        long any();
    }

    private static final int[] ALU_OPS = {0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0, 0xd0};
    private static final int[] JMP_OPS = {0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0};
    private static final long[] EDGES = {0, 1, -1, 2, 7, 8, 16, 31, 32, 63, 64, 0x7f, 0x80, 0xff, 0xffff, 0x7fff_ffffL,
            Integer.MIN_VALUE, 0xffff_ffffL, Long.MIN_VALUE, Long.MAX_VALUE};
    /** Helpers with results the same in every context seeded alike: prandom, smp_processor_id, pid_tgid; and ids no program has. */
    private static final int[] HELPERS = {7, 8, 14, 7, 8, 14, 7, 9999};

    private final Choices c;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int slots;

    private RandomPrograms(Choices c) {
        this.c = c;
    }

    /** A program of up to {@code maxBody} random instructions per function, as little-endian slots. */
    static Instructions generate(Choices c, int maxBody) {
        RandomPrograms g = new RandomPrograms(c);
        g.emitProgram(maxBody);
        byte[] bytes = g.out.toByteArray();
        return InstructionCodec.decode(bytes, ByteOrder.LITTLE_ENDIAN);
    }

    private void emitProgram(int maxBody) {
        // r6: the input region (r1 at entry); r7: 64 bytes into the frame
        slot(0xbf, 6, 1, 0, 0);
        slot(0xbf, 7, 10, 0, 0);
        slot(0x07, 7, 0, 0, -64);
        boolean callee = c.pick(4) == 0;
        int body = 1 + c.pick(maxBody);
        int bodyStart = slots;
        // an estimate of the main function's end (ld_imm64 takes two slots) for jump targets
        int mainEnd = slots + body + 1;
        java.util.List<Integer> calls = new java.util.ArrayList<>();
        for (int i = 0; i < body; i++) {
            if (callee && c.pick(10) == 0) {
                calls.add(slots);
                slot(0x85, 0, 1, 0, 0); // call local, patched below
            } else {
                instruction(bodyStart, mainEnd);
            }
        }
        slot(0xb7, 0, 0, 0, (int) c.any());
        slot(0x95, 0, 0, 0, 0);
        if (callee) {
            int start = slots;
            int n = 1 + c.pick(Math.max(1, maxBody / 2));
            int end = start + n + 1;
            for (int i = 0; i < n; i++) {
                instruction(start, end);
            }
            slot(0x95, 0, 0, 0, 0);
            byte[] bytes = out.toByteArray();
            for (int at : calls) {
                // imm counts from the next slot
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(at * 8 + 4, start - (at + 1));
            }
            out.reset();
            out.writeBytes(bytes);
        }
    }

    /** One instruction at slot {@code slots}; jumps stay in [{@code from}, {@code to}] mostly. */
    private void instruction(int from, int to) {
        int kind = c.pick(100);
        if (kind < 30) {
            alu();
        } else if (kind < 42) {
            load();
        } else if (kind < 54) {
            store();
        } else if (kind < 58) {
            atomic();
        } else if (kind < 74) {
            jump(from, to);
        } else if (kind < 78) {
            slot(0xe5, 0, 0, jumpOffset(from, to), 0); // may_goto
        } else if (kind < 82) {
            long v = value();
            slot(0x18, dst(), 0, 0, (int) v);
            slot(0x00, 0, 0, 0, (int) (v >>> 32));
        } else if (kind < 86) {
            slot(0x85, 0, 0, 0, HELPERS[c.pick(HELPERS.length)]);
            if (c.pick(4) != 0) {
                slot(0xbf, 1, 6, 0, 0); // r1 = r6 again: the call clobbered it
            }
        } else if (kind < 90) {
            slot(0xb7, dst(), 0, 0, (int) value());
        } else if (kind < 93) {
            slot(0xbf, dst(), pointerReg(), 0, 0);
        } else if (kind < 94) {
            slot(0x95, 0, 0, 0, 0);
        } else if (kind < 95 && c.pick(4) == 0) {
            slot(0xb7, 10, 0, 0, 1); // a write to r10: the decoder refuses it
        } else if (kind < 96 && c.pick(4) == 0) {
            // a random slot: anything the decoder makes of it
            long raw = c.any();
            slot((int) raw & 0xff, (int) (raw >>> 8) & 0xf, (int) (raw >>> 12) & 0xf, (short) (raw >>> 16), (int) (raw >>> 32));
        } else {
            // division and modulo by a register that may be zero, signed and unsigned
            int op = c.pick(2) == 0 ? 0x30 : 0x90;
            slot((c.pick(2) == 0 ? 0x07 : 0x04) | op | 0x08, dst(), reg(), c.pick(2), 0);
        }
    }

    private void alu() {
        int cls = c.pick(2) == 0 ? 0x07 : 0x04;
        int op = ALU_OPS[c.pick(ALU_OPS.length)];
        boolean x = c.pick(2) == 0;
        int off = 0;
        int imm = (int) value();
        if (op == 0x30 || op == 0x90) {
            off = c.pick(3) == 0 ? 1 : 0; // sdiv, smod
        } else if (op == 0xb0 && x) {
            off = new int[] {0, 0, 8, 16, 32}[c.pick(5)]; // movsx
        } else if (op == 0xd0) {
            imm = new int[] {16, 32, 64}[c.pick(3)];
            x = c.pick(2) == 0; // to_le / to_be; bswap in ALU64 (cls 0x07, K)
        }
        slot(cls | op | (x ? 0x08 : 0x00), dst(), reg(), off, imm);
    }

    private static final int[] SIZE_BYTES = {4, 2, 1, 8};

    private void load() {
        int size = c.pick(4);
        boolean sx = size != 3 && c.pick(4) == 0;
        int base = pointerReg();
        slot(0x01 | size << 3 | (sx ? 0x80 : 0x60), dst(), base, memOffset(base, SIZE_BYTES[size]), 0);
        if (c.pick(3) == 0) {
            // again through the same base, at an edge of its region: compiled code has it cached now
            slot(0x01 | size << 3 | 0x60, dst(), base, edgeOffset(base, SIZE_BYTES[size]), 0);
        }
    }

    private int edgeOffset(int base, int size) {
        int end = switch (base) {
            case 1, 6, 7 -> 64;
            case 10 -> 0;
            default -> 64;
        };
        return switch (c.pick(4)) {
            case 0 -> end - size + 1;
            case 1 -> end - size;
            case 2 -> end - 1;
            default -> base == 10 ? -513 : base == 7 ? -449 : -1;
        };
    }

    private void store() {
        int size = c.pick(4);
        boolean x = c.pick(2) == 0;
        int base = pointerReg();
        slot((x ? 0x03 : 0x02) | size << 3 | 0x60, base, reg(), memOffset(base, SIZE_BYTES[size]), (int) value());
        if (c.pick(3) == 0) {
            slot((x ? 0x03 : 0x02) | size << 3 | 0x60, base, reg(), edgeOffset(base, SIZE_BYTES[size]), (int) value());
        }
    }

    private void atomic() {
        int size = c.pick(2) == 0 ? 0x00 : 0x18; // W or DW
        int[] ops = {0x00, 0x40, 0x50, 0xa0, 0x01, 0x41, 0x51, 0xa1, 0xe1, 0xf1};
        int base = pointerReg();
        int off = base == 1 || base == 6 ? 8 * c.pick(8) : -8 * (1 + c.pick(8));
        if (c.pick(8) == 0) {
            off += 4; // misaligned for DW
        }
        slot(0xc3 | size, base, dst(), off, ops[c.pick(ops.length)]);
    }

    private void jump(int from, int to) {
        int off = jumpOffset(from, to);
        if (c.pick(4) == 0) {
            slot(0x05, 0, 0, off, 0);
            return;
        }
        int cls = c.pick(2) == 0 ? 0x05 : 0x06;
        int op = JMP_OPS[c.pick(JMP_OPS.length)];
        boolean x = c.pick(2) == 0;
        slot(cls | op | (x ? 0x08 : 0x00), reg(), reg(), off, (int) value());
    }

    /** A jump offset to a slot in [from, to], or now and then anywhere (the decoder refuses what leaves the program). */
    private int jumpOffset(int from, int to) {
        if (c.pick(60) == 0) {
            return (short) c.any();
        }
        int target = from + c.pick(Math.max(1, to - from + 1));
        return target - (slots + 1);
    }

    /** An offset that keeps a {@code size}-byte access through {@code base} in its region mostly, and at or past its edges now and then. */
    private int memOffset(int base, int size) {
        if (c.pick(16) == 0) {
            return (short) c.any();
        }
        int edge = c.pick(8) == 0 ? c.pick(3) - 1 : 0; // one byte either side of an edge
        return switch (base) {
            case 1, 6 -> c.pick(3) == 0 ? 64 - size + edge : c.pick(64 - size + 1) + edge;
            case 7 -> c.pick(3) == 0 ? 64 - size + edge : -448 + c.pick(448 + 64 - size + 1) + edge;
            case 10 -> c.pick(3) == 0 ? -512 + edge : -8 * (1 + c.pick(16)) + (c.pick(4) == 0 ? c.pick(8) : 0) + edge;
            default -> c.pick(72) - 4;
        };
    }

    private static final int[] SCRATCH = {0, 2, 3, 4, 5, 8, 9};

    /** Source registers: any, r10 included. */
    private int reg() {
        return c.pick(11);
    }

    /** Destination registers: rarely one holding a pointer (r1, r6, r7), so that accesses keep finding memory. */
    private int dst() {
        return c.pick(50) == 0 ? c.pick(10) : SCRATCH[c.pick(SCRATCH.length)];
    }

    /** The registers that usually hold pointers: r1 and r6 (input), r7 and r10 (frame), or any. */
    private int pointerReg() {
        return switch (c.pick(6)) {
            case 0 -> 1;
            case 1 -> 6;
            case 2 -> 7;
            case 3, 4 -> 10;
            default -> c.pick(10);
        };
    }

    private long value() {
        return c.pick(3) == 0 ? c.any() : EDGES[c.pick(EDGES.length)];
    }

    private void slot(int opcode, int dst, int src, int off, int imm) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) opcode);
        b.put((byte) ((src & 0xf) << 4 | (dst & 0xf)));
        b.putShort((short) off);
        b.putInt(imm);
        out.writeBytes(b.array());
        slots++;
    }
}
