package io.bpf4j.jit.helpers;

import static io.bpf4j.jit.TestPrograms.asm;
import static io.bpf4j.jit.TestPrograms.patch;
import static io.bpf4j.jit.TestPrograms.pseudoLoad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Register;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.jit.Executable;
import io.bpf4j.jit.ExecutionContext;
import io.bpf4j.jit.interpreter.Interpreter;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.TestMaps;
import io.bpf4j.jit.runtime.MemoryFault;
import io.bpf4j.jit.runtime.RegionKind;
import io.bpf4j.jit.testrun.TestRun;
import io.bpf4j.jit.testrun.TestRunInput;
import io.bpf4j.maps.BpfMap;
import io.bpf4j.maps.MapDefinition;
import io.bpf4j.maps.MapFactory;
import io.bpf4j.maps.MapOfMaps;
import io.bpf4j.maps.ProgArray;
import io.bpf4j.maps.RingBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Map, ring buffer, tail call and packet helpers on in-process maps, without the kernel. */
class MapAndRuntimeHelpersTest {
    private static Instructions mapLoad(Instructions insns, int index, Register dst, int handle) {
        return patch(insns, index, pseudoLoad(dst, Opcodes.PSEUDO_MAP_FD, handle, 0));
    }

    private static Executable prepare(Instructions insns, ProgramType type, Object... handlesAndMaps) {
        ProgramImage.Builder b = ProgramImage.builder(insns).helpers(StandardHelpers.forProgramType(type));
        for (int i = 0; i < handlesAndMaps.length; i += 2) {
            b.map((Integer) handlesAndMaps[i], (BpfMap) handlesAndMaps[i + 1]);
        }
        return Interpreter.INSTANCE.prepare(b.build());
    }

    @Test
    void queuePushPopPeekAndBloomFilter() {
        BpfMap queue = MapFactory.create(MapDefinition.of(MapType.QUEUE, 0, 8, 2));
        BpfMap bloom = MapFactory.create(MapDefinition.of(MapType.BLOOM_FILTER, 0, 8, 16));
        // push 42, push 43, push 44 (-E2BIG), peek, pop; bloom: push 42, peek 42 (0), peek 7 (-ENOENT)
        Instructions insns = asm(
                "stdw [%r10-8], 42", "lddw %r1, 0", "mov %r2, %r10", "add %r2, -8", "mov %r3, 0", "call 87",
                "stdw [%r10-8], 43", "lddw %r1, 0", "mov %r2, %r10", "add %r2, -8", "mov %r3, 0", "call 87",
                "mov %r6, %r0",
                "stdw [%r10-8], 44", "lddw %r1, 0", "mov %r2, %r10", "add %r2, -8", "mov %r3, 0", "call 87",
                "mov %r7, %r0",
                "lddw %r1, 0", "mov %r2, %r10", "add %r2, -16", "call 89",
                "lddw %r1, 0", "mov %r2, %r10", "add %r2, -24", "call 88",
                "ldxdw %r8, [%r10-16]", "ldxdw %r9, [%r10-24]",
                "mov %r0, %r7", "lsh %r0, 8", "add %r0, %r8", "lsh %r0, 8", "add %r0, %r9",
                "exit");
        for (int i : new int[] {1, 7, 14, 20, 24}) {
            insns = mapLoad(insns, i, Register.R1, 1);
        }
        Executable exe = prepare(insns, ProgramType.XDP, 1, queue);
        long r = exe.run(exe.newContext());
        assertThat(r & 0xff).isEqualTo(42);
        assertThat(r >> 8 & 0xff).isEqualTo(42);
        assertThat(r >> 16).isEqualTo(-7);
        assertThat(queue.pop()).containsExactly(TestMaps.u64(43));

        Instructions b = asm(
                "stdw [%r10-8], 42", "lddw %r1, 0", "mov %r2, %r10", "add %r2, -8", "mov %r3, 0", "call 87",
                "lddw %r1, 0", "mov %r2, %r10", "add %r2, -8", "call 89", "mov %r6, %r0",
                "stdw [%r10-8], 7", "lddw %r1, 0", "mov %r2, %r10", "add %r2, -8", "call 89",
                "lsh %r6, 8", "sub %r6, %r0", "mov %r0, %r6", "exit");
        for (int i : new int[] {1, 6, 12}) {
            b = mapLoad(b, i, Register.R1, 1);
        }
        Executable be = prepare(b, ProgramType.XDP, 1, bloom);
        assertThat(be.run(be.newContext())).isEqualTo(2); // 0 << 8 - (-ENOENT)
    }

    @Test
    void tailCallsStopAfterThirtyThreeAndAnEmptySlotFallsThrough() {
        BpfMap progs = TestMaps.create(MapType.PROG_ARRAY, "jmp", 4, 4, 2);
        BpfMap data = TestMaps.array(".data", 8, 1);
        // *counter += 1; tail_call(ctx, jmp, slot from r6); return *counter
        Instructions insns = patch(mapLoad(asm(
                "lddw %r6, 0", "mov %r7, 1", "lock add [%r6+0], %r7",
                "lddw %r2, 0", "ldxdw %r3, [%r6+0]", "and %r3, 0", "call 12",
                "ldxdw %r0, [%r6+0]", "exit"), 3, Register.R2, 1), 0, pseudoLoad(Register.R6, Opcodes.PSEUDO_MAP_VALUE, 2, 0));
        Executable self = prepare(insns, ProgramType.XDP, 1, progs, 2, data);
        ((ProgArray) progs).setProgram(0, self);
        ExecutionContext ctx = self.newContext();
        assertThat(self.run(ctx)).isEqualTo(34);
        ((ProgArray) progs).setProgram(0, null);
        assertThat(self.run(ctx)).isEqualTo(35);
    }

    @Test
    void ringBufferRecordsReachTheJavaConsumerAndDieOnSubmit() {
        RingBuffer rb = (RingBuffer) MapFactory.create(MapDefinition.of(MapType.RINGBUF, 0, 0, 4096).withName("events"));
        // r0 = reserve(rb, 8, 0); *r0 = 99; submit(r0); then a store through the old pointer
        Instructions insns = mapLoad(asm(
                "lddw %r1, 0", "mov %r2, 8", "mov %r3, 0", "call 131",
                "jeq %r0, 0, +6",
                "mov %r6, %r0", "stdw [%r6+0], 99", "mov %r1, %r6", "mov %r2, 0", "call 132",
                "stdw [%r6+0], 1",
                "exit"), 0, Register.R1, 1);
        Executable exe = prepare(insns, ProgramType.XDP, 1, rb);
        MemoryFault f = catchThrowableOfType(MemoryFault.class, () -> exe.run(exe.newContext()));
        assertThat(f.regionKind()).isEqualTo(RegionKind.RINGBUF_RECORD);
        List<byte[]> records = rb.drain();
        assertThat(records).hasSize(1);
        assertThat(records.get(0)).containsExactly(TestMaps.u64(99));
    }

    @Test
    void mapInMapLookupGivesTheInnerMapAndPerCpuValuesFollowTheCpu() {
        MapDefinition innerDef = MapDefinition.of(MapType.ARRAY, 4, 8, 1).withName("inner");
        BpfMap inner = MapFactory.create(innerDef);
        inner.update(TestMaps.u32(0), TestMaps.u64(77), 0);
        BpfMap outer = MapFactory.create(MapDefinition.of(MapType.ARRAY_OF_MAPS, 4, 4, 1).withInnerMap(innerDef).withName("outer"));
        ((MapOfMaps) outer).setInnerMap(TestMaps.u32(0), inner, 0);
        Instructions insns = mapLoad(asm(
                "stw [%r10-4], 0", "lddw %r1, 0", "mov %r2, %r10", "add %r2, -4", "call 1",
                "jeq %r0, 0, +5",
                "mov %r1, %r0", "mov %r2, %r10", "add %r2, -4", "call 1",
                "ldxdw %r0, [%r0+0]",
                "exit"), 1, Register.R1, 1);
        Executable exe = prepare(insns, ProgramType.XDP, 1, outer);
        assertThat(exe.run(exe.newContext())).isEqualTo(77);

        BpfMap percpu = MapFactory.create(MapDefinition.of(MapType.PERCPU_ARRAY, 4, 8, 1).withNumCpus(4));
        // *lookup(percpu, 0) = 5; r0 = lookup_percpu_elem(percpu, 0, 9) (NULL: no CPU 9)
        Instructions p = mapLoad(mapLoad(asm(
                "stw [%r10-4], 0", "lddw %r1, 0", "mov %r2, %r10", "add %r2, -4", "call 1",
                "stdw [%r0+0], 5",
                "lddw %r1, 0", "mov %r2, %r10", "add %r2, -4", "mov %r3, 9", "call 195",
                "exit"), 1, Register.R1, 1), 6, Register.R1, 1);
        Executable pe = prepare(p, ProgramType.XDP, 1, percpu);
        ExecutionContext c = pe.newContext().setCpu(2);
        assertThat(pe.run(c)).isZero();
        byte[] all = percpu.lookup(TestMaps.u32(0));
        assertThat(TestMaps.u64(all, 16)).isEqualTo(5);
        assertThat(TestMaps.u64(all, 0)).isZero();
    }

    @Test
    void forEachVisitsUntilTheCallbackStops() {
        BpfMap arr = TestMaps.array("a", 8, 5);
        for (int i = 0; i < 5; i++) {
            arr.update(TestMaps.u32(i), TestMaps.u64(10 + i), 0);
        }
        // r0 = for_each(arr, cb, ctx = fp-8, 0) << 16 | *ctx; cb: *ctx += *value; return key == 2
        Instructions insns = patch(mapLoad(asm(
                "stdw [%r10-8], 0",
                "lddw %r1, 0",
                "lddw %r2, 0",
                "mov %r3, %r10", "add %r3, -8",
                "mov %r4, 0",
                "call 164",
                "lsh %r0, 16",
                "ldxdw %r1, [%r10-8]",
                "add %r0, %r1",
                "exit",
                "ldxdw %r5, [%r4+0]", "ldxdw %r6, [%r3+0]", "add %r5, %r6", "stxdw [%r4+0], %r5",
                "ldxw %r2, [%r2+0]", "mov %r0, 0", "jne %r2, 2, +1", "mov %r0, 1", "exit"), 1, Register.R1, 1),
                2, pseudoLoad(Register.R2, Opcodes.PSEUDO_FUNC, 9, 0));
        // the second lddw is at slot 3 and the callback at slot 13: imm = 13 - 3 - 1
        Executable exe = prepare(insns, ProgramType.XDP, 1, arr);
        assertThat(exe.run(exe.newContext())).isEqualTo(3L << 16 | (10 + 11 + 12));
    }

    @Test
    void xdpAdjustHeadStopsAtTheFrameInTheHeadroom() {
        // r0 = adjust_head(ctx, r2 from the packet's first byte, negated)
        Instructions insns = asm("mov %r6, %r1", "ldxw %r2, [%r1+0]", "ldxb %r2, [%r2+0]", "neg %r2", "mov %r1, %r6", "call 44", "exit");
        Executable exe = prepare(insns, ProgramType.XDP);
        byte[] frame = new byte[64];
        frame[0] = (byte) 216;
        assertThat(TestRun.of(exe, ProgramType.XDP).run(TestRunInput.ofData(frame)).retval()).isZero();
        frame[0] = (byte) 217;
        assertThat(TestRun.of(exe, ProgramType.XDP).run(TestRunInput.ofData(frame)).retval()).isEqualTo(-22 & 0xffff_ffffL);
    }

    @Test
    void spinLockTakesTheWordBpfFLockUses() {
        BpfMap map = MapFactory.create(MapDefinition.of(MapType.ARRAY, 4, 16, 1).withSpinLockOffset(0));
        // v = lookup(map, 0); lock(v); read the lock word; v->count += 1; unlock(v); return word << 8 | count
        Instructions insns = mapLoad(asm(
                "stw [%r10-4], 0", "lddw %r1, 0", "mov %r2, %r10", "add %r2, -4", "call 1",
                "jeq %r0, 0, +11",
                "mov %r6, %r0", "mov %r1, %r6", "call 93",
                "ldxw %r7, [%r6+0]",
                "ldxdw %r8, [%r6+8]", "add %r8, 1", "stxdw [%r6+8], %r8",
                "mov %r1, %r6", "call 94",
                "lsh %r7, 8", "add %r7, %r8", "mov %r0, %r7",
                "exit"), 1, Register.R1, 1);
        Executable exe = prepare(insns, ProgramType.XDP, 1, map);
        assertThat(exe.run(exe.newContext())).isEqualTo(1 << 8 | 1);
        assertThat(map.lookup(TestMaps.u32(0))[0]).isZero();
        // an unlock without the lock faults
        Instructions bad = mapLoad(asm(
                "stw [%r10-4], 0", "lddw %r1, 0", "mov %r2, %r10", "add %r2, -4", "call 1",
                "jeq %r0, 0, +2", "mov %r1, %r0", "call 94", "exit"), 1, Register.R1, 1);
        Executable b = prepare(bad, ProgramType.XDP, 1, map);
        assertThat(catchThrowableOfType(io.bpf4j.jit.runtime.HelperFault.class, () -> b.run(b.newContext())))
                .hasMessageContaining("bpf_spin_unlock of a lock this run does not hold");
    }

    /** Runs {@code helper(ctx, delta)} as an XDP program on a 64-byte frame. */
    private static io.bpf4j.jit.testrun.TestRunResult xdpCall(int helper, int delta) {
        Instructions insns = asm("mov %r2, " + delta, "call " + helper, "exit");
        return TestRun.of(prepare(insns, ProgramType.XDP), ProgramType.XDP).run(TestRunInput.ofData(new byte[64]));
    }

    @Test
    void xdpAdjustTailAndMetaBoundsAreTheTestRunPage() {
        // data_end may grow to the page end less skb_shared_info: 256 + 3520 - (256 + 64) bytes of tailroom
        assertThat(xdpCall(65, 3456).retval()).isZero();
        assertThat(xdpCall(65, 3456).dataOut()).hasSize(64 + 3456);
        assertThat(xdpCall(65, 3457).retval()).isEqualTo(-22 & 0xffff_ffffL);
        // and shrink down to an Ethernet header
        assertThat(xdpCall(65, -50).dataOut()).hasSize(14);
        assertThat(xdpCall(65, -51).retval()).isEqualTo(-22 & 0xffff_ffffL);
        // metadata: multiples of 4, down to the xdp_frame at the page start; data_out starts at data_meta
        assertThat(xdpCall(54, -216).dataOut()).hasSize(64 + 216);
        assertThat(xdpCall(54, -220).retval()).isEqualTo(-22 & 0xffff_ffffL);
        assertThat(xdpCall(54, -6).retval()).isEqualTo(-13 & 0xffff_ffffL);
        assertThat(xdpCall(54, 4).retval()).isEqualTo(-22 & 0xffff_ffffL);
    }

    @Test
    void skbLoadAndStoreBytesStopAtTheEnd() {
        // r0 = store(skb, 58, fp-8, 4, 0) << 8 | -store(skb, 59, fp-8, 4, 0) << 4 | -load(skb, 61, fp-8, 4)
        Instructions insns = asm(
                "mov %r6, %r1", "stw [%r10-8], -1",
                "mov %r1, %r6", "mov %r2, 58", "mov %r3, %r10", "add %r3, -8", "mov %r4, 4", "mov %r5, 0", "call 9", "mov %r7, %r0",
                "mov %r1, %r6", "mov %r2, 59", "mov %r3, %r10", "add %r3, -8", "mov %r4, 4", "mov %r5, 0", "call 9", "neg %r0",
                "lsh %r7, 8", "lsh %r0, 4", "or %r7, %r0",
                "mov %r1, %r6", "mov %r2, 61", "mov %r3, %r10", "add %r3, -8", "mov %r4, 4", "call 26", "neg %r0", "or %r7, %r0",
                "ldxw %r0, [%r10-8]", "lsh %r0, 32", "or %r0, %r7", "exit");
        byte[] frame = new byte[62];
        frame[12] = 0x08;
        frame[13] = 0x06;
        io.bpf4j.jit.testrun.TestRunResult r = TestRun.of(prepare(insns, ProgramType.SCHED_CLS), ProgramType.SCHED_CLS)
                .run(TestRunInput.ofData(frame));
        // the failed load zeroes its buffer
        assertThat(r.retval()).isEqualTo(14 << 4 | 14);
        assertThat(r.dataOut()[58]).isEqualTo((byte) 0xff);
        assertThat(r.dataOut()[61]).isEqualTo((byte) 0xff);
    }

    @Test
    void checksumsMatchTheKernelsArithmetic() {
        byte[] ip = {0x45, 0, 0, 0x1c, 0, 0, 0, 0, 0x40, 0x11, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
        int sum = Checksums.fold(Checksums.partial(ip, 0, 20, 0));
        ip[10] = (byte) sum;
        ip[11] = (byte) (sum >>> 8);
        // a valid header sums to 0xffff, so csum_diff(0, 0, ip, 20, seed) folds to the seed
        assertThat(Checksums.from32to16(Checksums.partial(ip, 0, 20, 0x1234))).isEqualTo(0x1234);
        // old 10.0.0.2 -> new with 0x01020304 xored: csum_diff = fold16(~old + new) = 0x0406 (kernel: 0x0406)
        assertThat(Checksums.from32to16(Checksums.add32(~0x0200000aL & 0xffff_ffffL, 0x0302030eL))).isEqualTo(0x0406);
        // csum_replace2 and csum_replace4 keep the header valid after a change (ttl 64 -> 63; daddr -> 10.0.0.9)
        int field = (ip[10] & 0xff) | (ip[11] & 0xff) << 8;
        field = Checksums.replace2(field, 0x1140, 0x113f);
        ip[8] = 0x3f;
        field = Checksums.replace4(field, 0x0200000aL, 0x0900000aL);
        ip[19] = 9;
        ip[10] = (byte) field;
        ip[11] = (byte) (field >>> 8);
        assertThat(Checksums.fold(Checksums.partial(ip, 0, 20, 0))).isZero();
    }
}
