package io.bpf4j.jit.compiler;

import io.bpf4j.jit.internal.DecodedProgram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * How a function too large for one method is cut into chunk methods, each a run of consecutive
 * slots whose bytecode stays under a size. Control moves between chunks through the function's
 * driver method: a chunk returns the slot to go on at (leaving its registers, budget and
 * may_goto budget in {@code CompiledState.xfer}), and the driver enters the chunk holding that
 * slot. A chunk is entered only at its first slot (falling through from the previous chunk) and
 * at the targets of jumps from other chunks, its {@link #entries} (a {@code gotox}'s known targets
 * among them); in a function with a {@code gotox} whose targets are unknown, at any slot.
 */
final class FunctionChunks {
    /** The first slot of each chunk, ascending; the first is the function's first slot. */
    private final int[] starts;
    private final int last;
    private final boolean anySlotEntry;
    private final List<int[]> entries;

    private FunctionChunks(DecodedProgram code, int[] starts, int last, IndirectTargets indirect) {
        this.starts = starts;
        this.last = last;
        int[] op = code.op();
        this.anySlotEntry = indirect.anyUnknownGotox(code, starts[0], last);
        List<TreeSet<Integer>> in = new ArrayList<>();
        for (int start : starts) {
            TreeSet<Integer> s = new TreeSet<>();
            s.add(start);
            in.add(s);
        }
        for (int pc = starts[0]; pc <= last; pc++) {
            if (BasicBlocks.emitted(code, pc) && BasicBlocks.jumps(op[pc])) {
                int t = code.target()[pc];
                if (t >= starts[0] && t <= last && chunkOf(t) != chunkOf(pc)) {
                    in.get(chunkOf(t)).add(t);
                }
            } else if (BasicBlocks.emitted(code, pc) && op[pc] == 0x0d && indirect.at(pc) != null) {
                for (int t : indirect.at(pc)) {
                    if (chunkOf(t) != chunkOf(pc)) {
                        in.get(chunkOf(t)).add(t);
                    }
                }
            }
        }
        this.entries = in.stream().map(s -> s.stream().mapToInt(Integer::intValue).toArray()).toList();
    }

    /**
     * Cuts function slots {@code [start, last]} greedily into chunks whose estimated bytecode
     * stays under {@code target} bytes.
     *
     * @param slotBytes per slot from {@code start}, the bytes its code took in the function's
     *                  single method (0 for a slot not emitted); a {@code gotox}'s switch over the
     *                  whole function is re-estimated for the chunk
     * @param indirect  the known targets of the function's {@code gotox} instructions
     */
    static FunctionChunks plan(DecodedProgram code, int start, int last, int[] slotBytes, int target, IndirectTargets indirect) {
        int[] op = code.op();
        boolean gotox = indirect.anyUnknownGotox(code, start, last);
        List<Integer> starts = new ArrayList<>();
        starts.add(start);
        // the chunk's entry code, driver-facing leave code and exception handler
        final int fixed = 400;
        long size = 0;
        int slots = 0, gotoxes = 0;
        for (int pc = start; pc <= last; pc++) {
            if (!BasicBlocks.emitted(code, pc)) {
                continue;
            }
            boolean isGotox = op[pc] == 0x0d && indirect.at(pc) == null;
            // a slot's own code, a budget stub or a leave stub for it, and an entry in the entry switch
            long own = (isGotox ? 40 : slotBytes[pc - start]) + 12;
            long estimate = fixed + size + own + (gotox ? 4L * (slots + 1) * (1 + gotoxes + (isGotox ? 1 : 0)) : 0);
            if (slots > 0 && estimate > target) {
                starts.add(pc);
                size = 0;
                slots = 0;
                gotoxes = 0;
            }
            size += own;
            slots++;
            gotoxes += isGotox ? 1 : 0;
        }
        return new FunctionChunks(code, starts.stream().mapToInt(Integer::intValue).toArray(), last, indirect);
    }

    int count() {
        return starts.length;
    }

    int from(int chunk) {
        return starts[chunk];
    }

    /** The chunk's last slot, inclusive. */
    int to(int chunk) {
        return chunk + 1 < starts.length ? starts[chunk + 1] - 1 : last;
    }

    int chunkOf(int pc) {
        int i = Arrays.binarySearch(starts, pc);
        return i >= 0 ? i : -i - 2;
    }

    /** The slots the chunk is entered at, ascending (unless {@link #anySlotEntry}). */
    int[] entries(int chunk) {
        return entries.get(chunk);
    }

    /** Whether any slot may be an entry (a {@code gotox} with unknown targets jumps anywhere in its function). */
    boolean anySlotEntry() {
        return anySlotEntry;
    }

    /** Whether {@code pc} starts a chunk (a basic block must start there too). */
    boolean startsChunk(int pc) {
        return Arrays.binarySearch(starts, pc) >= 0;
    }
}
