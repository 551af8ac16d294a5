package io.bpf4j.jit.runtime;

import io.bpf4j.maps.ValueRef;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** The pointer encoding and the checked regions. */
class MemoryTest {

    @Test
    void smallArithmeticStaysInTheRegion() {
        long p = Pointers.data(5, 0);
        assertThat(Pointers.id(p - 1)).isEqualTo(5);
        assertThat(Pointers.offset(p - 1)).isEqualTo(-1);
        assertThat(Pointers.id(p + 0x7fff_ffffL)).isEqualTo(5);
        assertThat(Pointers.tag(p)).isEqualTo(Pointers.TAG_DATA);
        // scalars of every small magnitude, positive or negative, carry no valid tag
        for (long v : new long[] {0, 1, -1, 4096, Integer.MIN_VALUE, Integer.MAX_VALUE, 0xffff_ffffL}) {
            assertThat(Pointers.tag(v)).isNotIn(Pointers.TAG_DATA, Pointers.TAG_FUNC, Pointers.TAG_INSN, Pointers.TAG_MAP);
        }
    }

    @Test
    void everyWayOfWritingTheStackIsZeroedOnTheNextEntry() {
        Memory m = new Memory();
        long fp = m.enterFrame(2);
        m.store8(fp - 1, 0xff, 0);
        m.write(fp - 512, new byte[] {1, 2, 3}, 0);
        m.atomicUpdate(fp - 256, 8, AtomicOp.ADD, 5, 0);
        m.storeRelease(fp - 128, 4, 9, 0);
        m.enterFrame(2);
        assertThat(m.read(fp - 512, 512, 0)).containsOnly(0);
        // a frame written only near its top is zeroed there; the rest stayed zero
        m.store64(fp - 8, -1, 0);
        m.enterFrame(2);
        assertThat(m.read(fp - 512, 512, 0)).containsOnly(0);
    }

    @Test
    void aValueLookedUpAgainIsTheSameRegionPastTheScannedFew() {
        Memory m = new Memory();
        byte[] storage = new byte[8 * 40];
        long[] first = new long[40];
        for (int i = 0; i < 40; i++) {
            first[i] = m.pointerTo(new ValueRef(storage, 8 * i, 8), RegionKind.MAP_VALUE, "v", true);
        }
        for (int i = 0; i < 40; i++) {
            assertThat(m.pointerTo(new ValueRef(storage, 8 * i, 8), RegionKind.MAP_VALUE, "v", true)).isEqualTo(first[i]);
        }
        assertThat(java.util.Arrays.stream(first).distinct().count()).isEqualTo(40);
        m.revoke(first[3]);
        assertThat(m.pointerTo(new ValueRef(storage, 24, 8), RegionKind.MAP_VALUE, "v", true)).isNotEqualTo(first[3]);
        m.reset();
        long small = m.pointerTo(new ValueRef(storage, 0, 8), RegionKind.MAP_VALUE, "v", true);
        m.revoke(small);
        assertThat(m.pointerTo(new ValueRef(storage, 0, 8), RegionKind.MAP_VALUE, "v", true)).isNotEqualTo(small);
    }

    @Test
    void stackFramesAreSeparateRegionsZeroedOnEntry() {
        Memory m = new Memory();
        long fp0 = m.enterFrame(0);
        long fp1 = m.enterFrame(1);
        m.store64(fp0 - 8, 1, 0);
        m.store64(fp1 - 8, 2, 0);
        assertThat(m.load64(fp0 - 8, 0)).isEqualTo(1);
        m.enterFrame(1);
        assertThat(m.load64(fp1 - 8, 0)).isZero();
        MemoryFault f = catchThrowableOfType(MemoryFault.class, () -> m.load8(fp0, 3));
        assertThat(f.pc()).isEqualTo(3);
        assertThat(f.regionName()).isEqualTo("stack#0");
    }

    @Test
    void littleEndianAccessAndSignedLoads() {
        Memory m = new Memory();
        byte[] bytes = {(byte) 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, (byte) 0x91};
        long p = m.addFixed(Region.of(RegionKind.INPUT, "mem", bytes, true));
        assertThat(m.load64(p, 0)).isEqualTo(0x9122_3344_5566_7788L);
        assertThat(m.load32(p + 4, 0)).isEqualTo(0x9122_3344L);
        assertThat(m.load16(p, 0)).isEqualTo(0x7788);
        assertThat(AluOps.signExtendLoaded(m.load8(p, 0), 1)).isEqualTo(-120);
        m.store16(p, 0xabcd, 0);
        assertThat(bytes[0]).isEqualTo((byte) 0xcd);
        assertThat(bytes[1]).isEqualTo((byte) 0xab);
    }

    @Test
    void oneValueIsOneRegionForTheRunAndGoneAfterReset() {
        Memory m = new Memory();
        byte[] backing = new byte[32];
        long a = m.pointerTo(new ValueRef(backing, 8, 8), RegionKind.MAP_VALUE, "v", true);
        long b = m.pointerTo(new ValueRef(backing, 8, 8), RegionKind.MAP_VALUE, "v", true);
        long c = m.pointerTo(new ValueRef(backing, 16, 8), RegionKind.MAP_VALUE, "v", true);
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        m.store64(a, -1, 0);
        assertThat(backing[7]).isZero();
        assertThat(backing[8]).isEqualTo((byte) -1);
        assertThat(backing[16]).isZero();
        m.reset();
        assertThat(catchThrowableOfType(MemoryFault.class, () -> m.load8(a, 9))).hasMessageContaining("no such region in this run");
    }

    @Test
    void atomicsReturnTheOldValue() {
        Memory m = new Memory();
        long fp = m.enterFrame(0);
        m.store64(fp - 8, 40, 0);
        assertThat(m.atomicUpdate(fp - 8, 8, AtomicOp.ADD, 2, 0)).isEqualTo(40);
        assertThat(m.load64(fp - 8, 0)).isEqualTo(42);
        assertThat(m.compareExchange(fp - 8, 8, 41, 7, 0)).isEqualTo(42);
        assertThat(m.load64(fp - 8, 0)).isEqualTo(42);
        assertThat(m.compareExchange(fp - 8, 8, 42, 7, 0)).isEqualTo(42);
        assertThat(m.load64(fp - 8, 0)).isEqualTo(7);
        m.store32(fp - 4, -1, 0);
        assertThat(m.atomicUpdate(fp - 4, 4, AtomicOp.XCHG, 5, 0)).isEqualTo(0xffff_ffffL);
    }

    @Test
    void atomicAddIsAtomicAcrossRunsOnTwoThreads() throws InterruptedException {
        byte[] shared = new byte[16];
        Runnable adder = () -> {
            Memory m = new Memory();
            long p = m.pointerTo(new ValueRef(shared, 8, 8), RegionKind.MAP_VALUE, "v", true);
            for (int i = 0; i < 100_000; i++) {
                m.atomicUpdate(p, 8, AtomicOp.ADD, 1, 0);
            }
        };
        Thread a = new Thread(adder);
        Thread b = new Thread(adder);
        a.start();
        b.start();
        a.join();
        b.join();
        Memory m = new Memory();
        assertThat(m.load64(m.pointerTo(new ValueRef(shared, 8, 8), RegionKind.MAP_VALUE, "v", true), 0)).isEqualTo(200_000);
    }
}
