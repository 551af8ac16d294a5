package io.bpf4j.isa.facts;

/**
 * The kind of memory a load, store or atomic touches, as the verifier proved it from the base
 * register's type. An engine uses it to pick the access path without a runtime region lookup.
 */
public enum RegionKind {
    STACK,
    CTX,
    PACKET,
    PACKET_META,
    MAP_VALUE,
    MAP_KEY,
    /** Helper-returned memory (ringbuf record, dynptr data, per-cpu ksym...). */
    MEM,
    /** Read-only buffers of iterators and writable raw tracepoint buffers. */
    BUF,
    FLOW_KEYS,
    SOCKET,
    TCP_SOCK,
    XDP_SOCK,
    /** Kernel memory typed by BTF (probe-read semantics where untrusted). */
    BTF_ID,
    ARENA,
    /** Different paths reach the insn with different regions (the verifier rejects that for ctx). */
    MIXED
}
