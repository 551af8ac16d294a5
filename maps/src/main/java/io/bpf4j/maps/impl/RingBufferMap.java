package io.bpf4j.maps.impl;

import io.bpf4j.isa.LittleEndian;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.maps.MapDefinition;
import io.bpf4j.maps.MapFlags;
import io.bpf4j.maps.RingBuffer;
import io.bpf4j.maps.ValueRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code BPF_MAP_TYPE_RINGBUF} with the kernel's positions, header bits and space rules.
 *
 * <p>Producers reserve under one lock (the kernel's spinlock), then fill and submit without it;
 * the header's len word is published with release semantics and read by the consumer with
 * acquire semantics, so a consumer never sees a half-written record. The consumer side (one
 * thread at a time, like libbpf's {@code ring_buffer__consume}) is serialised by its own lock.
 *
 * <p>{@code pg_off} in a header is what the kernel would store with 4 KiB pages: the page of the
 * header counted from the start of {@code struct bpf_ringbuf}, whose data area begins after
 * three pages (bookkeeping, consumer position, producer position).
 */
final class RingBufferMap extends AbstractBpfMap implements RingBuffer {
    static final int PAGE_SIZE = 4096;
    /** Pages of {@code struct bpf_ringbuf} before its data area. */
    static final int DATA_PAGE_OFFSET = 3;
    /** The kernel's {@code RINGBUF_MAX_RECORD_SZ}: {@code UINT_MAX / 4}. */
    static final long MAX_RECORD_SIZE = 0xFFFF_FFFFL / 4;

    private final byte[] data;
    private final long mask;
    private final Object producerLock = new Object();
    private final Object consumerLock = new Object();
    private final Object wakeup = new Object();
    private volatile long producerPos;
    private volatile long consumerPos;
    private long pendingPos;
    private long wakeups;

    RingBufferMap(MapDefinition def) {
        super(def);
        // a second copy of the size behind the ring keeps every record contiguous, as the
        // kernel's double mapping of the data pages does
        this.data = new byte[Math.multiplyExact(def.maxEntries(), 2)];
        this.mask = def.maxEntries() - 1L;
    }

    private int at(long pos) {
        return (int) (pos & mask);
    }

    @Override
    public ValueRef reserve(int size, long flags) {
        if (flags != 0 || size < 0 || size > MAX_RECORD_SIZE) {
            return null;
        }
        long len = Bytes.roundUp8(size + MapFlags.BPF_RINGBUF_HDR_SZ);
        if (len > mask + 1) {
            return null;
        }
        synchronized (producerLock) {
            long cons = consumerPos;
            long prod = producerPos;
            long pend = pendingPos;
            while (pend < prod) {
                int hdrLen = Bytes.getIntAcquire(data, at(pend));
                if ((hdrLen & MapFlags.BPF_RINGBUF_BUSY_BIT) != 0) {
                    break;
                }
                pend += Bytes.roundUp8((hdrLen & ~MapFlags.BPF_RINGBUF_DISCARD_BIT) + MapFlags.BPF_RINGBUF_HDR_SZ);
            }
            pendingPos = pend;
            long newProd = prod + len;
            if (newProd - cons > mask || newProd - pend > mask) {
                return null;
            }
            int hdr = at(prod);
            LittleEndian.putInt(data, hdr + 4, DATA_PAGE_OFFSET + hdr / PAGE_SIZE);
            Bytes.putIntRelease(data, hdr, size | MapFlags.BPF_RINGBUF_BUSY_BIT);
            producerPos = newProd;
            return new ValueRef(data, hdr + MapFlags.BPF_RINGBUF_HDR_SZ, size);
        }
    }

    @Override
    public void submit(ValueRef sample, long flags) {
        commit(sample, flags, false);
    }

    @Override
    public void discard(ValueRef sample, long flags) {
        commit(sample, flags, true);
    }

    private void commit(ValueRef sample, long flags, boolean discard) {
        int hdr = sample == null ? -1 : sample.offset() - MapFlags.BPF_RINGBUF_HDR_SZ;
        if (sample == null || sample.array() != data || hdr < 0 || hdr > mask || (hdr & 7) != 0) {
            throw error(Errno.EINVAL, discard ? "discard" : "submit", "sample is not a record of this ring buffer");
        }
        int len = Bytes.getIntAcquire(data, hdr);
        if ((len & MapFlags.BPF_RINGBUF_BUSY_BIT) == 0) {
            throw error(Errno.EINVAL, discard ? "discard" : "submit", "record was already submitted or discarded");
        }
        int newLen = len ^ MapFlags.BPF_RINGBUF_BUSY_BIT;
        if (discard) {
            newLen |= MapFlags.BPF_RINGBUF_DISCARD_BIT;
        }
        Bytes.putIntRelease(data, hdr, newLen);
        boolean wake = (flags & MapFlags.BPF_RB_FORCE_WAKEUP) != 0
                || ((flags & MapFlags.BPF_RB_NO_WAKEUP) == 0 && at(consumerPos) == hdr);
        if (wake) {
            synchronized (wakeup) {
                wakeups++;
                wakeup.notifyAll();
            }
        }
    }

    @Override
    public void output(byte[] src, int offset, int length, long flags) {
        if ((flags & ~(MapFlags.BPF_RB_NO_WAKEUP | MapFlags.BPF_RB_FORCE_WAKEUP)) != 0) {
            throw error(Errno.EINVAL, "output", "unknown flags " + flags);
        }
        if (src == null || offset < 0 || length < 0 || offset > src.length - length) {
            throw error(Errno.EFAULT, "output", "data window out of bounds");
        }
        ValueRef rec = reserve(length, 0);
        if (rec == null) {
            throw error(Errno.EAGAIN, "output", "no room for " + length + " bytes");
        }
        System.arraycopy(src, offset, data, rec.offset(), length);
        submit(rec, flags);
    }

    @Override
    public long query(long flags) {
        if (flags == MapFlags.BPF_RB_AVAIL_DATA) {
            return producerPos - consumerPos;
        } else if (flags == MapFlags.BPF_RB_RING_SIZE) {
            return mask + 1;
        } else if (flags == MapFlags.BPF_RB_CONS_POS) {
            return consumerPos;
        } else if (flags == MapFlags.BPF_RB_PROD_POS) {
            return producerPos;
        }
        return 0;
    }

    @Override
    public int consume(Consumer<ValueRef> handler) {
        synchronized (consumerLock) {
            int count = 0;
            long cons = consumerPos;
            while (cons < producerPos) {
                int hdr = at(cons);
                int len = Bytes.getIntAcquire(data, hdr);
                if ((len & MapFlags.BPF_RINGBUF_BUSY_BIT) != 0) {
                    break;
                }
                int size = len & ~MapFlags.BPF_RINGBUF_DISCARD_BIT;
                if ((len & MapFlags.BPF_RINGBUF_DISCARD_BIT) == 0) {
                    handler.accept(new ValueRef(data, hdr + MapFlags.BPF_RINGBUF_HDR_SZ, size));
                    count++;
                }
                cons += Bytes.roundUp8(size + MapFlags.BPF_RINGBUF_HDR_SZ);
                consumerPos = cons;
            }
            return count;
        }
    }

    @Override
    public int poll(Consumer<ValueRef> handler, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (wakeup) {
            long seen = wakeups;
            while (producerPos == consumerPos && wakeups == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                wakeup.wait(Math.max(1, left / 1_000_000));
            }
        }
        return consume(handler);
    }

    @Override
    public List<byte[]> drain() {
        List<byte[]> out = new ArrayList<>();
        consume(r -> out.add(r.toByteArray()));
        return out;
    }

    @Override
    public byte[] lookup(byte[] key, long flags) {
        throw error(Errno.ENOTSUPP, "lookup", "ring buffers have no elements");
    }

    @Override
    public ValueRef lookupRef(byte[] key, int cpu) {
        return null;
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkUserWrite("update");
        throw error(Errno.ENOTSUPP, "update", "ring buffers have no elements");
    }

    @Override
    public void update(byte[] key, byte[] value, long flags, int cpu) {
        throw error(Errno.ENOTSUPP, "update", "ring buffers have no elements");
    }

    @Override
    void deleteElement(byte[] key) {
        throw error(Errno.ENOTSUPP, "delete", "ring buffers have no elements");
    }

    @Override
    public byte[] getNextKey(byte[] key) {
        throw error(Errno.ENOTSUPP, "get next key", "ring buffers have no elements");
    }
}
