package io.bpf4j.maps;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code BPF_MAP_TYPE_RINGBUF}: a multi-producer, single-consumer ring of variable-length records.
 *
 * <p>The data area has the kernel's layout: positions grow without wrapping and are taken modulo
 * the size; each record starts with an 8-byte header {@code u32 len; u32 pg_off} whose len
 * carries {@link MapFlags#BPF_RINGBUF_BUSY_BIT} while reserved and
 * {@link MapFlags#BPF_RINGBUF_DISCARD_BIT} once discarded; records occupy
 * {@code round_up(len + 8, 8)} bytes. A reserved sample is a {@link ValueRef} into the data area
 * that the program fills in place. Where the kernel maps the data pages twice so that a record
 * may run past the end, this implementation keeps a second copy of the area's length behind it,
 * so a sample is always one contiguous window.
 *
 * <p>User-space element operations ({@code lookup}, {@code update}, {@code delete},
 * {@code get_next_key}) fail with {@code ENOTSUPP}, as in the kernel.
 */
public interface RingBuffer extends BpfMap {

    /** {@code bpf_ringbuf_reserve}: a sample of {@code size} bytes, or {@code null} when there is no room or flags are not 0. */
    ValueRef reserve(int size, long flags);

    /** {@code bpf_ringbuf_submit}: publishes a reserved sample. */
    void submit(ValueRef sample, long flags);

    /** {@code bpf_ringbuf_discard}: releases a reserved sample; the consumer skips it. */
    void discard(ValueRef sample, long flags);

    /**
     * {@code bpf_ringbuf_output}: copies {@code length} bytes from {@code data} at {@code offset}
     * into a new record ({@code EINVAL} for unknown flags, {@code EAGAIN} when there is no room).
     */
    void output(byte[] data, int offset, int length, long flags);

    /** {@code bpf_ringbuf_query}: available data, ring size, consumer or producer position; 0 for an unknown flag. */
    long query(long flags);

    /**
     * Consumes every submitted record available now, in order, handing each to {@code handler}
     * (discarded records are skipped); the window is valid only during the call. Stops at the
     * first record still reserved. Returns the number of records handed over.
     */
    int consume(Consumer<ValueRef> handler);

    /** Waits up to {@code timeout} for data (a submit that wakes the consumer), then {@link #consume}s. */
    int poll(Consumer<ValueRef> handler, Duration timeout) throws InterruptedException;

    /** Consumes everything available now and returns copies of the records. */
    List<byte[]> drain();
}
