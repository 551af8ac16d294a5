package io.bpf4j.maps;

import io.bpf4j.isa.LittleEndian;
import io.bpf4j.isa.abi.Errno;
import static io.bpf4j.isa.LittleEndian.u32;
import static io.bpf4j.isa.LittleEndian.u64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.isa.abi.MapType;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ArrayMapTest {

    static Errno errnoOf(Runnable r) {
        try {
            r.run();
        } catch (MapException e) {
            return e.errno();
        }
        return null;
    }

    @Test
    void anIndexReadInPlaceGivesTheElementTheCopiedKeyGives() {
        for (MapType t : new MapType[] {MapType.ARRAY, MapType.PERCPU_ARRAY}) {
            // 8 values: windows kept per element; 10 000: made per lookup
            for (int entries : new int[] {8, 10_000}) {
                BpfMap m = MapFactory.create(MapDefinition.of(t, 4, 8, entries).withNumCpus(2));
                byte[] stack = {9, 9, 9, 3, 0, 0, 0, 9};
                ValueRef v = m.lookupRef(stack, 3, 1);
                assertThat(v).as("%s of %d", t, entries).isEqualTo(m.lookupRef(u32(3), 1));
                v.putLongLE(0, 42);
                assertThat(m.lookupRef(u32(3), 1).getLongLE(0)).isEqualTo(42);
                if (entries == 8) {
                    assertThat(m.lookupRef(stack, 3, 1)).as("%s: the same window again", t).isSameAs(v);
                }
                stack[3] = 8;
                assertThat(m.lookupRef(stack, 3, 1)).as("%s of %d: index past the end", t, entries).isEqualTo(entries > 8
                        ? m.lookupRef(u32(8), 1) : null);
                assertThat(m.lookupRef(stack, 5, 1)).as("a key running past the array").isNull();
            }
        }
    }

    @Test
    void programWritesThroughTheValueRefAreSeenByLookups() {
        BpfMap m = MapFactory.create(MapDefinition.of(MapType.ARRAY, 4, 8, 4));
        ValueRef v = m.lookupRef(u32(2));
        v.putLongLE(0, 0x0102030405060708L);
        assertThat(m.lookup(u32(2))).containsExactly(8, 7, 6, 5, 4, 3, 2, 1);
        m.update(u32(2), u64(42), MapFlags.BPF_ANY);
        assertThat(v.getLongLE(0)).as("array updates copy in place").isEqualTo(42);
        assertThat(m.lookupRef(u32(4))).isNull();
        assertThat(m.lookupRef(u32(-1))).isNull();
    }

    @Test
    void elementsAreEightByteAlignedAndDisjoint() {
        BpfMap m = MapFactory.create(MapDefinition.of(MapType.ARRAY, 4, 5, 3));
        ValueRef a = m.lookupRef(u32(0));
        ValueRef b = m.lookupRef(u32(1));
        assertThat(a.length()).isEqualTo(5);
        assertThat(b.offset() - a.offset()).isEqualTo(8);
        assertThat(b.array()).isSameAs(a.array());
    }

    @Test
    void kernelErrorsForArrays() {
        BpfMap m = MapFactory.create(MapDefinition.of(MapType.ARRAY, 4, 8, 2));
        assertThat(errnoOf(() -> m.update(u32(2), u64(1), MapFlags.BPF_ANY))).isEqualTo(Errno.E2BIG);
        assertThat(errnoOf(() -> m.update(u32(0), u64(1), MapFlags.BPF_NOEXIST))).isEqualTo(Errno.EEXIST);
        assertThat(errnoOf(() -> m.update(u32(0), u64(1), 3))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> m.update(u32(0), u64(1), MapFlags.BPF_F_LOCK))).as("no spin lock in the value").isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> m.lookup(u32(2)))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> m.delete(u32(0)))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> m.update(new byte[3], u64(1), 0))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> m.update(u32(0), new byte[7], 0))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> m.lookupAndDelete(u32(0)))).isEqualTo(Errno.ENOTSUPP);
        assertThat(m.keys()).extracting(k -> LittleEndian.getInt(k, 0)).containsExactly(0, 1);
    }

    @Test
    void frozenAndReadOnlyMapsRefuseUserWritesButNotPrograms() {
        BpfMap m = MapFactory.create(MapDefinition.of(MapType.ARRAY, 4, 8, 2));
        m.freeze();
        assertThat(errnoOf(() -> m.update(u32(0), u64(1), 0))).isEqualTo(Errno.EPERM);
        m.update(u32(0), u64(9), 0, 0);
        assertThat(m.lookup(u32(0))).isEqualTo(u64(9));
        BpfMap ro = MapFactory.create(MapDefinition.of(MapType.ARRAY, 4, 8, 2).withFlags(MapFlags.BPF_F_RDONLY));
        assertThat(errnoOf(() -> ro.update(u32(0), u64(1), 0))).isEqualTo(Errno.EPERM);
        BpfMap wo = MapFactory.create(MapDefinition.of(MapType.ARRAY, 4, 8, 2).withFlags(MapFlags.BPF_F_WRONLY));
        assertThat(errnoOf(() -> wo.lookup(u32(0)))).isEqualTo(Errno.EPERM);
    }

    @Test
    void percpuUserViewRoundsEachCpuUpToEightBytes() {
        BpfMap m = MapFactory.create(MapDefinition.of(MapType.PERCPU_ARRAY, 4, 4, 2).withNumCpus(3));
        assertThat(m.definition().userValueSize()).isEqualTo(24);
        m.update(u32(1), u32(7), MapFlags.BPF_ANY, 1);
        m.lookupRef(u32(1), 2).putIntLE(0, 9);
        assertThat(m.lookup(u32(1))).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0);
        assertThat(m.lookupRef(u32(1), 0).getIntLE(0)).isZero();
        assertThat(m.lookupRef(u32(1), 3)).isNull();
        byte[] all = new byte[24];
        all[0] = 1;
        all[8] = 2;
        all[16] = 3;
        m.update(u32(0), all, MapFlags.BPF_ANY);
        assertThat(m.lookupRef(u32(0), 2).getIntLE(0)).isEqualTo(3);
        assertThat(errnoOf(() -> m.update(u32(0), new byte[12], 0))).isEqualTo(Errno.EINVAL);
    }

    @Test
    void lockedUpdatesSkipTheLockWordAndWaitForIt() throws Exception {
        BpfMap m = MapFactory.create(MapDefinition.of(MapType.ARRAY, 4, 16, 1).withSpinLockOffset(8));
        ValueRef v = m.lookupRef(u32(0));
        byte[] value = new byte[16];
        java.util.Arrays.fill(value, (byte) 0x55);
        SpinLocks.lock(v.array(), v.offset() + 8);
        CountDownLatch done = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            m.update(u32(0), value, MapFlags.BPF_F_LOCK);
            done.countDown();
        });
        writer.start();
        assertThat(done.await(200, TimeUnit.MILLISECONDS)).as("the update waits for the program's lock").isFalse();
        SpinLocks.unlock(v.array(), v.offset() + 8);
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        writer.join();
        assertThat(v.getIntLE(8)).as("lock word untouched").isZero();
        assertThat(v.getLongLE(0)).isEqualTo(0x5555555555555555L);
        assertThat(v.getIntLE(12)).isEqualTo(0x55555555);
        byte[] read = m.lookup(u32(0), MapFlags.BPF_F_LOCK);
        assertThat(LittleEndian.getInt(read, 8)).isZero();
        assertThat(LittleEndian.getInt(read, 12)).isEqualTo(0x55555555);
    }
}
