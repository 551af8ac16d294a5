package io.bpf4j.maps;

import io.bpf4j.isa.abi.Errno;

/**
 * The flag values of {@code <linux/bpf.h>} that maps understand: creation flags
 * ({@code map_flags}), element update flags, ring buffer flags and bpf4j's own
 * {@code map_extra} bit for call tables.
 */
public final class MapFlags {
    private MapFlags() {
    }

    // element update flags (bpf_map_update_elem)
    /** Create a new element or update an existing one. */
    public static final long BPF_ANY = 0;
    /** Create a new element only; an existing key gives {@link Errno#EEXIST}. */
    public static final long BPF_NOEXIST = 1;
    /** Update an existing element only; a missing key gives {@link Errno#ENOENT}. */
    public static final long BPF_EXIST = 2;
    /** Copy the value under the value's {@code bpf_spin_lock}. */
    public static final long BPF_F_LOCK = 4;

    // map_flags at creation
    public static final int BPF_F_NO_PREALLOC = 1;
    public static final int BPF_F_NO_COMMON_LRU = 1 << 1;
    public static final int BPF_F_NUMA_NODE = 1 << 2;
    public static final int BPF_F_RDONLY = 1 << 3;
    public static final int BPF_F_WRONLY = 1 << 4;
    public static final int BPF_F_STACK_BUILD_ID = 1 << 5;
    public static final int BPF_F_ZERO_SEED = 1 << 6;
    public static final int BPF_F_RDONLY_PROG = 1 << 7;
    public static final int BPF_F_WRONLY_PROG = 1 << 8;
    public static final int BPF_F_CLONE = 1 << 9;
    public static final int BPF_F_MMAPABLE = 1 << 10;
    public static final int BPF_F_PRESERVE_ELEMS = 1 << 11;
    public static final int BPF_F_INNER_MAP = 1 << 12;
    public static final int BPF_F_LINK = 1 << 13;
    public static final int BPF_F_PATH_FD = 1 << 14;
    public static final int BPF_F_VTYPE_BTF_OBJ_FD = 1 << 15;
    public static final int BPF_F_TOKEN_FD = 1 << 16;
    public static final int BPF_F_SEGV_ON_FAULT = 1 << 17;
    public static final int BPF_F_NO_USER_CONV = 1 << 18;

    /** The access flags every map type accepts at creation (the kernel's {@code BPF_F_ACCESS_MASK}). */
    public static final int ACCESS_MASK = BPF_F_RDONLY | BPF_F_RDONLY_PROG | BPF_F_WRONLY | BPF_F_WRONLY_PROG;

    // ring buffer helper flags
    /** bpf_ringbuf_submit/discard/output: do not wake the consumer. */
    public static final long BPF_RB_NO_WAKEUP = 1;
    /** bpf_ringbuf_submit/discard/output: wake the consumer even if it would not be woken. */
    public static final long BPF_RB_FORCE_WAKEUP = 2;
    /** bpf_ringbuf_query: bytes not yet consumed. */
    public static final long BPF_RB_AVAIL_DATA = 0;
    /** bpf_ringbuf_query: size of the data area. */
    public static final long BPF_RB_RING_SIZE = 1;
    /** bpf_ringbuf_query: consumer position. */
    public static final long BPF_RB_CONS_POS = 2;
    /** bpf_ringbuf_query: producer position. */
    public static final long BPF_RB_PROD_POS = 3;

    /** Ring buffer record header bit: the record is reserved and not yet submitted. */
    public static final int BPF_RINGBUF_BUSY_BIT = 1 << 31;
    /** Ring buffer record header bit: the record was discarded and the consumer skips it. */
    public static final int BPF_RINGBUF_DISCARD_BIT = 1 << 30;
    /** Size of a ring buffer record header: {@code u32 len; u32 pg_off}. */
    public static final int BPF_RINGBUF_HDR_SZ = 8;

    /**
     * bpf4j's {@code map_extra} bit on an INSN_ARRAY map that marks it as a call table
     * (a table of callees for {@code callx}) rather than a jump table. Upstream INSN_ARRAY gives
     * {@code map_extra} no meaning, so the bit cannot collide; see call-tables-design.md.
     */
    public static final long BPF_F_CALL_TABLE = 1;
}
