package io.bpf4j.maps;

import io.bpf4j.isa.LittleEndian;
import io.bpf4j.isa.abi.Errno;
import static io.bpf4j.maps.ArrayMapTest.errnoOf;
import static io.bpf4j.isa.LittleEndian.u32;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.abi.MapType;
import org.junit.jupiter.api.Test;

class QueueStackBloomTest {

    @Test
    void queueIsFifoAndStackIsLifo() {
        BpfMap q = MapFactory.create(MapDefinition.of(MapType.QUEUE, 0, 4, 3));
        BpfMap s = MapFactory.create(MapDefinition.of(MapType.STACK, 0, 4, 3));
        for (int i = 1; i <= 3; i++) {
            q.push(u32(i), MapFlags.BPF_ANY);
            s.update(null, u32(i), MapFlags.BPF_ANY, 0);
        }
        assertThat(q.peek()).isEqualTo(u32(1));
        assertThat(s.lookup(null)).isEqualTo(u32(3));
        assertThat(q.pop()).isEqualTo(u32(1));
        assertThat(s.lookupAndDelete(null)).isEqualTo(u32(3));
    }

    @Test
    void fullQueueRefusesUnlessExistDropsTheOldest() {
        BpfMap s = MapFactory.create(MapDefinition.of(MapType.STACK, 0, 4, 2));
        s.push(u32(1), 0);
        s.push(u32(2), 0);
        assertThat(errnoOf(() -> s.push(u32(3), 0))).isEqualTo(Errno.E2BIG);
        assertThat(errnoOf(() -> s.push(u32(3), MapFlags.BPF_NOEXIST))).isEqualTo(Errno.EINVAL);
        s.push(u32(3), MapFlags.BPF_EXIST);
        assertThat(s.pop()).isEqualTo(u32(3));
        assertThat(s.pop()).as("1 was the oldest, so 2 is left").isEqualTo(u32(2));
        assertThat(errnoOf(s::pop)).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(s::peek)).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> s.delete(new byte[0]))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> s.getNextKey(null))).isEqualTo(Errno.EINVAL);
        assertThat(s.lookupRef(null)).isNull();
    }

    @Test
    void bloomFilterHasNoFalseNegatives() {
        BloomFilter b = (BloomFilter) MapFactory.create(MapDefinition.of(MapType.BLOOM_FILTER, 0, 4, 1000));
        for (int i = 0; i < 1000; i++) {
            b.push(u32(i * 7919), MapFlags.BPF_ANY);
        }
        int falsePositives = 0;
        for (int i = 0; i < 1000; i++) {
            assertThat(b.mayContain(u32(i * 7919))).isTrue();
            if (b.mayContain(u32(-1 - i))) {
                falsePositives++;
            }
        }
        // k = 5 hashes over roundup_pow_of_two(1000 * 5 / ln 2) bits: about 1 % false positives
        assertThat(falsePositives).isLessThan(50);
        assertThat(errnoOf(() -> b.push(u32(1), MapFlags.BPF_EXIST))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> b.delete(new byte[0]))).isEqualTo(Errno.EOPNOTSUPP);
        assertThat(errnoOf(() -> b.getNextKey(null))).isEqualTo(Errno.EOPNOTSUPP);
        assertThat(b.mayContain(new byte[3])).isFalse();
    }

    @Test
    void bloomMapExtraIsAHashCountOfAtMostFifteen() {
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.BLOOM_FILTER, 0, 4, 8).withMapExtra(15)))).isNull();
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.BLOOM_FILTER, 0, 4, 8).withMapExtra(16))))
                .isEqualTo(Errno.EINVAL);
        BloomFilter one = (BloomFilter) MapFactory.create(MapDefinition.of(MapType.BLOOM_FILTER, 0, 8, 64).withMapExtra(1));
        one.push(LittleEndian.u64(77), 0);
        assertThat(one.mayContain(LittleEndian.u64(77))).isTrue();
    }
}
