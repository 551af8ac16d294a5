package io.bpf4j.jit.runtime;

import java.util.Arrays;

/**
 * The packet of a run: a buffer with the kernel's headroom and tailroom around the bytes, and
 * the three positions data_meta &le; data &le; data_end that programs see through their context.
 *
 * <p>The packet region spans {@code [meta, end)}; a pointer into it is an offset from meta.
 * Helpers that move the positions ({@code bpf_xdp_adjust_head/tail/meta}) go through
 * {@link #move}, which rebuilds the region and the context's pointer fields, so a program that
 * re-reads {@code ctx->data} (as the kernel's verifier makes it do) sees the new packet, and a
 * pointer taken before the move is checked against the new bounds.
 */
public final class Packet {
    private final Memory memory;
    private final byte[] buffer;
    private final long regionPointer;
    private long contextPointer;
    private int metaField = -1;
    private int dataField = -1;
    private int endField = -1;
    private int meta;
    private int data;
    private int end;
    private boolean metaSupported = true;
    private int headroomFloor;
    private int hardEnd;

    Packet(Memory memory, byte[] buffer, long regionPointer, int meta, int data, int end) {
        this.memory = memory;
        this.buffer = buffer;
        this.regionPointer = regionPointer;
        this.meta = meta;
        this.data = data;
        this.end = end;
        this.hardEnd = buffer.length;
    }

    /**
     * Adds a packet over {@code buffer} to {@code memory} with data_meta, data and data_end at the
     * given buffer offsets.
     */
    public static Packet create(Memory memory, byte[] buffer, int meta, int data, int end) {
        check(buffer, meta, data, end);
        long p = memory.addFixed(region(buffer, meta, end));
        return new Packet(memory, buffer, p, meta, data, end);
    }

    private static void check(byte[] buffer, int meta, int data, int end) {
        if (meta < 0 || meta > data || data > end || end > buffer.length) {
            throw new IllegalArgumentException("packet offsets out of order: meta " + meta + ", data " + data
                    + ", end " + end + ", buffer " + buffer.length);
        }
    }

    private static Region region(byte[] buffer, int meta, int end) {
        return Region.of(RegionKind.PACKET, "packet", buffer, meta, end - meta, true);
    }

    /**
     * Makes 4- and 8-byte loads of the context at these offsets yield the packet pointers (-1 for
     * a field the context does not have), now and after every move.
     */
    public void bindContextFields(long contextPointer, int metaOffset, int dataOffset, int endOffset) {
        this.contextPointer = contextPointer;
        this.metaField = metaOffset;
        this.dataField = dataOffset;
        this.endField = endOffset;
        refreshContext();
    }

    /** Whether data_meta is usable (XDP); {@code bpf_xdp_adjust_meta} fails otherwise. */
    public boolean metaSupported() {
        return metaSupported;
    }

    public void setMetaSupported(boolean supported) {
        this.metaSupported = supported;
    }

    /** The lowest buffer offset data_meta (and so data) may move to ({@code xdp_frame_end}). */
    public int headroomFloor() {
        return headroomFloor;
    }

    /** The highest buffer offset data_end may move to ({@code xdp_data_hard_end}). */
    public int hardEnd() {
        return hardEnd;
    }

    /** Sets how far the adjust helpers may move the packet: data_meta down to {@code floor}, data_end up to {@code hardEnd}. */
    public void setLimits(int floor, int hardEnd) {
        if (floor < 0 || floor > meta || hardEnd < end || hardEnd > buffer.length) {
            throw new IllegalArgumentException("packet limits [" + floor + ", " + hardEnd + "] do not contain [" + meta + ", " + end + ")");
        }
        this.headroomFloor = floor;
        this.hardEnd = hardEnd;
    }

    /** The whole buffer, headroom and tailroom included (live). */
    public byte[] buffer() {
        return buffer;
    }

    /** Offset of data_meta in {@link #buffer()}. */
    public int meta() {
        return meta;
    }

    /** Offset of data in {@link #buffer()}. */
    public int data() {
        return data;
    }

    /** Offset of data_end in {@link #buffer()}. */
    public int end() {
        return end;
    }

    /** Bytes from data to data_end. */
    public int length() {
        return end - data;
    }

    /** The program's pointer to data_meta. */
    public long metaPointer() {
        return regionPointer;
    }

    /** The program's pointer to data. */
    public long dataPointer() {
        return regionPointer + (data - meta);
    }

    /** The program's pointer to data_end. */
    public long endPointer() {
        return regionPointer + (end - meta);
    }

    /** A copy of {@code [from, to)} of the buffer. */
    public byte[] copy(int from, int to) {
        return Arrays.copyOfRange(buffer, from, to);
    }

    /** Moves the three positions (buffer offsets); the caller has checked them against its rules. */
    public void move(int newMeta, int newData, int newEnd) {
        check(buffer, newMeta, newData, newEnd);
        meta = newMeta;
        data = newData;
        end = newEnd;
        memory.replaceFixed(regionPointer, region(buffer, meta, end));
        refreshContext();
    }

    private void refreshContext() {
        if (contextPointer == 0) {
            return;
        }
        Region ctx = memory.regionOf(contextPointer);
        if (metaField >= 0) {
            ctx = ctx.withPointerField(metaField, metaPointer());
        }
        if (dataField >= 0) {
            ctx = ctx.withPointerField(dataField, dataPointer());
        }
        if (endField >= 0) {
            ctx = ctx.withPointerField(endField, endPointer());
        }
        memory.replaceFixed(contextPointer, ctx);
    }
}
