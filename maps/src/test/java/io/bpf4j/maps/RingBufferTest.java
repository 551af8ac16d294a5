package io.bpf4j.maps;

import io.bpf4j.isa.LittleEndian;
import io.bpf4j.isa.abi.Errno;
import static io.bpf4j.maps.ArrayMapTest.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.abi.MapType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RingBufferTest {

    static RingBuffer ring(int size) {
        return (RingBuffer) MapFactory.create(MapDefinition.of(MapType.RINGBUF, 0, 0, size));
    }

    @Test
    void recordsHaveTheKernelsHeaderAndComeOutInOrder() {
        RingBuffer rb = ring(4096);
        ValueRef a = rb.reserve(5, 0);
        assertThat(a.offset()).isEqualTo(8);
        int header = LittleEndian.getInt(a.array(), 0);
        assertThat(header).isEqualTo(5 | MapFlags.BPF_RINGBUF_BUSY_BIT);
        assertThat(LittleEndian.getInt(a.array(), 4)).as("pg_off: data starts three pages into struct bpf_ringbuf").isEqualTo(3);
        a.array()[a.offset()] = 'a';
        ValueRef b = rb.reserve(3, 0);
        assertThat(b.offset()).as("records take round_up(len + 8, 8) bytes").isEqualTo(16 + 8);
        b.array()[b.offset()] = 'b';
        rb.submit(b, 0);
        assertThat(rb.drain()).as("a reserved record blocks the ones after it").isEmpty();
        rb.submit(a, 0);
        assertThat(LittleEndian.getInt(a.array(), 0)).isEqualTo(5);
        List<byte[]> out = rb.drain();
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).hasSize(5).startsWith('a');
        assertThat(out.get(1)).hasSize(3).startsWith('b');
        assertThat(rb.query(MapFlags.BPF_RB_CONS_POS)).isEqualTo(32);
        assertThat(rb.query(MapFlags.BPF_RB_PROD_POS)).isEqualTo(32);
        assertThat(rb.query(MapFlags.BPF_RB_AVAIL_DATA)).isZero();
        assertThat(rb.query(MapFlags.BPF_RB_RING_SIZE)).isEqualTo(4096);
        assertThat(rb.query(99)).isZero();
    }

    @Test
    void discardedRecordsAreSkipped() {
        RingBuffer rb = ring(4096);
        ValueRef a = rb.reserve(8, 0);
        rb.discard(a, 0);
        assertThat(LittleEndian.getInt(a.array(), 0)).isEqualTo(8 | MapFlags.BPF_RINGBUF_DISCARD_BIT);
        rb.output(new byte[] {1, 2, 3}, 0, 3, MapFlags.BPF_RB_NO_WAKEUP);
        assertThat(rb.drain()).containsExactly(new byte[] {1, 2, 3});
        assertThat(errnoOf(() -> rb.submit(a, 0))).isEqualTo(Errno.EINVAL);
    }

    @Test
    void aFullRingRefusesAndAWrappedRecordStaysContiguous() {
        RingBuffer rb = ring(4096);
        assertThat(rb.reserve(4096 - 8, 0)).as("a record can never fill the whole ring").isNull();
        assertThat(rb.reserve(1, 1)).as("flags must be 0").isNull();
        ValueRef big = rb.reserve(4000, 0);
        assertThat(big).isNotNull();
        assertThat(rb.reserve(200, 0)).isNull();
        assertThat(errnoOf(() -> rb.output(new byte[200], 0, 200, 0))).isEqualTo(Errno.EAGAIN);
        assertThat(errnoOf(() -> rb.output(new byte[1], 0, 1, 4))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> rb.output(new byte[1], 1, 1, 0))).isEqualTo(Errno.EFAULT);
        assertThat(errnoOf(() -> rb.submit(null, 0))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> rb.submit(ValueRef.of(new byte[16]), 0))).isEqualTo(Errno.EINVAL);
        rb.submit(big, 0);
        assertThat(rb.drain()).hasSize(1);
        // producer is at 4008: this record runs past the end of the ring
        ValueRef wrapped = rb.reserve(1000, 0);
        assertThat(wrapped.offset()).isEqualTo(4016);
        for (int i = 0; i < 1000; i++) {
            wrapped.array()[wrapped.offset() + i] = (byte) i;
        }
        rb.submit(wrapped, 0);
        byte[] got = rb.drain().get(0);
        for (int i = 0; i < 1000; i++) {
            assertThat(got[i]).isEqualTo((byte) i);
        }
        ValueRef next = rb.reserve(8, 0);
        assertThat(next.offset()).as("positions continue modulo the size").isEqualTo((4008 + 1008) % 4096 + 8);
    }

    @Test
    void creationRules() {
        assertThat(errnoOf(() -> ring(4096 * 3))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> ring(2048))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> ring(1 << 16))).isNull();
        RingBuffer rb = ring(4096);
        assertThat(errnoOf(() -> rb.lookup(new byte[0]))).isEqualTo(Errno.ENOTSUPP);
        assertThat(errnoOf(() -> rb.getNextKey(null))).isEqualTo(Errno.ENOTSUPP);
    }

    @Test
    void concurrentProducersAndAPollingConsumer() throws Exception {
        RingBuffer rb = ring(1 << 14);
        int producers = 3;
        int perProducer = 20_000;
        AtomicInteger dropped = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            Thread t = new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    ValueRef r;
                    while ((r = rb.reserve(8, 0)) == null) {
                        Thread.onSpinWait();
                    }
                    r.putIntLE(0, id);
                    r.putIntLE(4, i);
                    if (i % 10 == 9) {
                        rb.discard(r, 0);
                        dropped.incrementAndGet();
                    } else {
                        rb.submit(r, 0);
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        Set<Long> seen = new HashSet<>();
        int[] last = {-1, -1, -1};
        int expected = producers * perProducer * 9 / 10;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (seen.size() < expected && System.nanoTime() < deadline) {
            rb.poll(r -> {
                int id = r.getIntLE(0);
                int i = r.getIntLE(4);
                assertThat(i).as("each producer's records arrive in order").isGreaterThan(last[id]);
                last[id] = i;
                assertThat(seen.add(((long) id << 32) | i)).isTrue();
            }, Duration.ofMillis(50));
        }
        for (Thread t : threads) {
            t.join();
        }
        rb.consume(r -> seen.add(((long) r.getIntLE(0) << 32) | r.getIntLE(4)));
        assertThat(seen).hasSize(expected);
        assertThat(dropped.get()).isEqualTo(producers * perProducer / 10);
    }
}
