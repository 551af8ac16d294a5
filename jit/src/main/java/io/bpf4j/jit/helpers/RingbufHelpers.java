package io.bpf4j.jit.helpers;

import io.bpf4j.isa.abi.HelperId;
import io.bpf4j.jit.runtime.HelperFault;
import io.bpf4j.jit.runtime.HelperRuntime;
import io.bpf4j.jit.runtime.HelperTable;
import io.bpf4j.jit.runtime.MemoryFault;
import io.bpf4j.jit.runtime.Pointers;
import io.bpf4j.jit.runtime.Region;
import io.bpf4j.jit.runtime.RegionKind;
import io.bpf4j.maps.BpfMap;
import io.bpf4j.maps.MapException;
import io.bpf4j.maps.RingBuffer;
import io.bpf4j.maps.ValueRef;

/**
 * The ring buffer helpers over the maps module's {@link RingBuffer}: a reserved record is a
 * {@link RegionKind#RINGBUF_RECORD} region onto the ring's own bytes, filled in place and
 * released by submit or discard (after which the pointer no longer reaches it). Java reads the
 * records with {@link RingBuffer#consume}, {@link RingBuffer#poll} or {@link RingBuffer#drain}.
 */
public final class RingbufHelpers {
    private RingbufHelpers() {}

    public static HelperTable addTo(HelperTable table) {
        return table
                .with(HelperId.RINGBUF_OUTPUT, RingbufHelpers::output)
                .with(HelperId.RINGBUF_RESERVE, RingbufHelpers::reserve)
                .with(HelperId.RINGBUF_SUBMIT, (rt, sample, flags, c, d, e) -> commit(rt, sample, flags, false))
                .with(HelperId.RINGBUF_DISCARD, (rt, sample, flags, c, d, e) -> commit(rt, sample, flags, true))
                .with(HelperId.RINGBUF_QUERY, RingbufHelpers::query);
    }

    private static RingBuffer ring(HelperRuntime rt, long mapPointer, HelperId helper) {
        BpfMap map = rt.map(mapPointer);
        if (!(map instanceof RingBuffer)) {
            throw new HelperFault(rt.pc(), helper.id(), helper.helperName() + " needs a ring buffer, got map '" + map.name() + "'");
        }
        return (RingBuffer) map;
    }

    /** (ringbuf, data, size, flags): 0, -EINVAL for unknown flags, -EAGAIN when there is no room. */
    static long output(HelperRuntime rt, long mapPointer, long data, long size, long flags, long r5) {
        RingBuffer rb = ring(rt, mapPointer, HelperId.RINGBUF_OUTPUT);
        byte[] bytes = rt.memory().read(data, (int) size, rt.pc());
        try {
            rb.output(bytes, 0, bytes.length, flags);
            return 0;
        } catch (MapException e) {
            return e.helperReturn();
        }
    }

    /** (ringbuf, size, flags): a pointer to a record of size bytes, or 0 when there is no room or flags are not 0. */
    static long reserve(HelperRuntime rt, long mapPointer, long size, long flags, long r4, long r5) {
        RingBuffer rb = ring(rt, mapPointer, HelperId.RINGBUF_RESERVE);
        if (size < 0 || size > Integer.MAX_VALUE) {
            return 0;
        }
        ValueRef rec = rb.reserve((int) size, flags);
        if (rec != null) {
            rt.runState().put(rec.array(), rb);
        }
        return rec == null ? 0 : rt.memory().pointerTo(rec, RegionKind.RINGBUF_RECORD, rb.name() + " record", true);
    }

    /** (sample, flags): publishes or discards a record from reserve; returns 0. */
    static long commit(HelperRuntime rt, long sample, long flags, boolean discard) {
        HelperId helper = discard ? HelperId.RINGBUF_DISCARD : HelperId.RINGBUF_SUBMIT;
        Region r = rt.memory().regionOf(sample);
        if (r == null || r.kind() != RegionKind.RINGBUF_RECORD || Pointers.offset(sample) != 0) {
            throw new HelperFault(rt.pc(), helper.id(), helper.helperName() + " needs a record from bpf_ringbuf_reserve, got "
                    + Pointers.describe(sample));
        }
        ValueRef rec = new ValueRef(r.bytes(), r.start(), r.length());
        RingBuffer rb = RingbufHelpers.owner(rt, rec);
        try {
            if (discard) {
                rb.discard(rec, flags);
            } else {
                rb.submit(rec, flags);
            }
        } catch (MapException e) {
            throw new HelperFault(rt.pc(), helper.id(), e.getMessage());
        }
        rt.memory().revoke(sample);
        return 0;
    }

    /** The ring buffer whose bytes hold {@code rec}: the one map of the run that reserved into that array. */
    private static RingBuffer owner(HelperRuntime rt, ValueRef rec) {
        Object rb = rt.runState().get(rec.array());
        if (!(rb instanceof RingBuffer)) {
            throw new MemoryFault(rt.pc(), MemoryFault.Access.WRITE, 0, 0, null, "record of no known ring buffer");
        }
        return (RingBuffer) rb;
    }

    /** (ringbuf, flags): available data, ring size, consumer or producer position; 0 for other flags. */
    static long query(HelperRuntime rt, long mapPointer, long flags, long r3, long r4, long r5) {
        return ring(rt, mapPointer, HelperId.RINGBUF_QUERY).query(flags);
    }
}
