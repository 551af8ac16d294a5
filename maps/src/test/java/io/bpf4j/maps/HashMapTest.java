package io.bpf4j.maps;

import io.bpf4j.isa.LittleEndian;
import io.bpf4j.isa.abi.Errno;
import static io.bpf4j.maps.ArrayMapTest.errnoOf;
import static io.bpf4j.isa.LittleEndian.u32;
import static io.bpf4j.isa.LittleEndian.u64;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.abi.MapType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HashMapTest {

    @Test
    void updateReplacesTheElementSoOldPointersKeepOldBytes() {
        BpfMap m = MapFactory.create(MapDefinition.of(MapType.HASH, 4, 8, 4));
        m.update(u32(1), u64(10), MapFlags.BPF_ANY);
        ValueRef before = m.lookupRef(u32(1));
        before.putLongLE(0, 11);
        assertThat(m.lookup(u32(1))).isEqualTo(u64(11));
        m.update(u32(1), u64(20), MapFlags.BPF_EXIST);
        assertThat(before.getLongLE(0)).isEqualTo(11);
        assertThat(m.lookupRef(u32(1)).getLongLE(0)).isEqualTo(20);
        assertThat(m.lookupRef(u32(2))).isNull();
    }

    @Test
    void aKeyReadInPlaceFindsTheElementTheCopiedKeyFinds() {
        for (MapType t : new MapType[] {MapType.HASH, MapType.LRU_HASH, MapType.PERCPU_HASH}) {
            BpfMap m = MapFactory.create(MapDefinition.of(t, 12, 8, 16).withNumCpus(2));
            byte[] key = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
            m.update(key, u64(7), MapFlags.BPF_ANY, 1);
            // the key at offset 5 of a larger array (a program's stack), with bytes around it that are not the key's
            byte[] stack = new byte[32];
            java.util.Arrays.fill(stack, (byte) 0x5a);
            System.arraycopy(key, 0, stack, 5, key.length);
            ValueRef inPlace = m.lookupRef(stack, 5, 1);
            assertThat(inPlace).as("%s", t).isEqualTo(m.lookupRef(key, 1));
            assertThat(inPlace.getLongLE(0)).as("%s", t).isEqualTo(7);
            assertThat(m.lookupRef(stack, 5, 1)).as("%s: the same window again, not a new one", t).isSameAs(inPlace);
            assertThat(m.lookupRef(stack, 4, 1)).as("%s: another key", t).isNull();
            assertThat(m.lookupRef(stack, 21, 1)).as("%s: a key running past the array", t).isNull();
        }
    }

    @Test
    void fullHashRefusesNewKeysButReplacesExistingOnes() {
        BpfMap m = MapFactory.create(MapDefinition.of(MapType.HASH, 4, 8, 1000));
        for (int i = 0; i < 1000; i++) {
            m.update(u32(i), u64(i), MapFlags.BPF_NOEXIST);
        }
        assertThat(errnoOf(() -> m.update(u32(1000), u64(0), MapFlags.BPF_ANY))).isEqualTo(Errno.E2BIG);
        assertThat(errnoOf(() -> m.update(u32(5), u64(0), MapFlags.BPF_ANY))).isNull();
        assertThat(errnoOf(() -> m.update(u32(5), u64(0), MapFlags.BPF_NOEXIST))).isEqualTo(Errno.EEXIST);
        assertThat(errnoOf(() -> m.update(u32(5000), u64(0), MapFlags.BPF_EXIST))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> m.update(u32(1), u64(0), 8))).isEqualTo(Errno.EINVAL);
        List<byte[]> keys = m.keys();
        Set<Integer> distinct = new HashSet<>();
        keys.forEach(k -> distinct.add(LittleEndian.getInt(k, 0)));
        assertThat(keys).hasSize(1000);
        assertThat(distinct).hasSize(1000);
    }

    @Test
    void getNextKeyFromAMissingKeyStartsOverAndLookupAndDeleteRemoves() {
        BpfMap m = MapFactory.create(MapDefinition.of(MapType.HASH, 4, 4, 8));
        for (int i = 0; i < 5; i++) {
            m.update(u32(i), u32(i * 10), 0);
        }
        byte[] first = m.getNextKey(null);
        assertThat(m.getNextKey(u32(99))).isEqualTo(first);
        assertThat(m.lookupAndDelete(u32(3))).isEqualTo(u32(30));
        assertThat(errnoOf(() -> m.lookup(u32(3)))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> m.lookupAndDelete(u32(3)))).isEqualTo(Errno.ENOENT);
        assertThat(m.keys()).hasSize(4);
        // the order is deterministic: two maps with the same history iterate alike
        BpfMap twin = MapFactory.create(MapDefinition.of(MapType.HASH, 4, 4, 8));
        for (int i = 0; i < 5; i++) {
            twin.update(u32(i), u32(i * 10), 0);
        }
        twin.delete(u32(3));
        assertThat(twin.keys()).containsExactlyElementsOf(m.keys());
    }

    @Test
    void percpuHashProgramUpdatesTouchOneCpu() {
        BpfMap m = MapFactory.create(MapDefinition.of(MapType.PERCPU_HASH, 4, 4, 4).withNumCpus(2));
        m.update(u32(1), u32(5), MapFlags.BPF_ANY, 1);
        assertThat(m.lookup(u32(1))).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0);
        ValueRef cpu0 = m.lookupRef(u32(1), 0);
        m.update(u32(1), u32(6), MapFlags.BPF_EXIST, 0);
        assertThat(cpu0.getIntLE(0)).as("per-CPU updates copy in place").isEqualTo(6);
        assertThat(m.lookupRef(u32(1), 1).getIntLE(0)).isEqualTo(5);
    }

    @Test
    void concurrentInsertsNeverOvershootMaxEntries() throws Exception {
        BpfMap m = MapFactory.create(MapDefinition.of(MapType.HASH, 4, 8, 1000));
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger full = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int base = t * 1000;
            fs.add(pool.submit(() -> {
                for (int i = 0; i < 1000; i++) {
                    try {
                        m.update(u32(base + i), u64(i), MapFlags.BPF_NOEXIST);
                        ok.incrementAndGet();
                    } catch (MapException e) {
                        assertThat(e.errno()).isEqualTo(Errno.E2BIG);
                        full.incrementAndGet();
                    }
                }
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ok.get()).isEqualTo(1000);
        assertThat(full.get()).isEqualTo(3000);
        assertThat(m.keys()).hasSize(1000);
    }

    @Test
    void concurrentUpdatesAndDeletesKeepTheMapConsistent() throws Exception {
        BpfMap m = MapFactory.create(MapDefinition.of(MapType.HASH, 4, 8, 64));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int seed = t;
            fs.add(pool.submit(() -> {
                java.util.Random r = new java.util.Random(seed);
                for (int i = 0; i < 20000; i++) {
                    int k = r.nextInt(32);
                    try {
                        if (r.nextBoolean()) {
                            m.update(u32(k), u64(k), MapFlags.BPF_ANY);
                        } else {
                            m.delete(u32(k));
                        }
                    } catch (MapException e) {
                        assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    }
                    ValueRef v = m.lookupRef(u32(k));
                    if (v != null) {
                        assertThat(v.getLongLE(0)).isEqualTo(k);
                    }
                }
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        for (byte[] k : m.keys()) {
            assertThat(m.lookup(k)).isEqualTo(u64(LittleEndian.getInt(k, 0)));
        }
        // every slot freed by deletes is reusable: the map can be refilled to exactly max_entries
        for (int k = 0; k < 64; k++) {
            m.update(u32(k), u64(k), MapFlags.BPF_ANY);
        }
        assertThat(errnoOf(() -> m.update(u32(64), u64(0), 0))).isEqualTo(Errno.E2BIG);
    }

    @Test
    void programsStillWriteAndDeleteInAFrozenMap() {
        BpfMap m = MapFactory.create(MapDefinition.of(MapType.HASH, 4, 8, 4));
        m.update(u32(1), u64(1), 0);
        m.freeze();
        assertThat(errnoOf(() -> m.delete(u32(1)))).isEqualTo(Errno.EPERM);
        assertThat(errnoOf(() -> m.update(u32(2), u64(2), 0))).isEqualTo(Errno.EPERM);
        m.update(u32(2), u64(2), MapFlags.BPF_NOEXIST, 0);
        m.programDelete(u32(1));
        assertThat(errnoOf(() -> m.programDelete(u32(1)))).isEqualTo(Errno.ENOENT);
        assertThat(m.keys()).containsExactly(u32(2));
    }
}
