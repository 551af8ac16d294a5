package io.bpf4j.jit.runtime;

/** Read-modify-write operations of the atomic instructions (RFC 9669 §5.3); cmpxchg is separate. */
public enum AtomicOp {
    ADD, OR, AND, XOR, XCHG
}
