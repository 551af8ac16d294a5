package io.bpf4j.maps;

import io.bpf4j.isa.abi.Errno;
import static io.bpf4j.maps.ArrayMapTest.errnoOf;
import static io.bpf4j.isa.LittleEndian.u32;
import static io.bpf4j.isa.LittleEndian.u64;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.abi.MapType;
import org.junit.jupiter.api.Test;

class LruHashTest {

    @Test
    void insertsIntoAFullMapEvictTheLeastRecentlyUsed() {
        BpfMap m = MapFactory.create(MapDefinition.of(MapType.LRU_HASH, 4, 8, 4));
        for (int i = 1; i <= 4; i++) {
            m.update(u32(i), u64(i), MapFlags.BPF_NOEXIST);
        }
        assertThat(m.lookupRef(u32(1))).as("a program touches key 1").isNotNull();
        m.update(u32(5), u64(5), MapFlags.BPF_ANY);
        assertThat(errnoOf(() -> m.lookup(u32(2)))).as("the oldest untouched key goes").isEqualTo(Errno.ENOENT);
        assertThat(m.lookup(u32(1))).isEqualTo(u64(1));
        assertThat(m.keys()).hasSize(4);
    }

    @Test
    void neverFailsWithE2big() {
        BpfMap m = MapFactory.create(MapDefinition.of(MapType.LRU_PERCPU_HASH, 4, 8, 16).withNumCpus(2));
        for (int i = 0; i < 10_000; i++) {
            m.update(u32(i), new byte[16], MapFlags.BPF_ANY);
            if (i % 7 == 0) {
                m.lookupRef(u32(i - 3), 1);
            }
        }
        assertThat(m.keys()).hasSize(16);
        assertThat(m.lookup(u32(9999))).hasSize(16);
        assertThat(errnoOf(() -> m.update(u32(9999), new byte[16], MapFlags.BPF_NOEXIST))).isEqualTo(Errno.EEXIST);
        assertThat(errnoOf(() -> m.update(u32(-5), new byte[16], MapFlags.BPF_EXIST))).isEqualTo(Errno.ENOENT);
    }

    @Test
    void lruHashesCannotBeCreatedWithoutPreallocation() {
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.LRU_HASH, 4, 8, 4).withFlags(MapFlags.BPF_F_NO_PREALLOC))))
                .isEqualTo(Errno.ENOTSUPP);
    }
}
