package io.bpf4j.isa.abi;

/**
 * What a helper returns in R0 ({@code enum bpf_return_type}). The kernel's named combinations are
 * constants here; {@link #regKind()} is the register type R0 gets after the call (before the
 * flags in {@link HelperProto#retFlags()} such as MEM_RDONLY, MEM_RINGBUF, PTR_TRUSTED are applied).
 */
public enum RetKind {
    INTEGER(RegKind.SCALAR),
    VOID(RegKind.NOT_INIT),
    PTR_TO_MAP_VALUE(RegKind.PTR_TO_MAP_VALUE),
    PTR_TO_SOCKET(RegKind.PTR_TO_SOCKET),
    PTR_TO_TCP_SOCK(RegKind.PTR_TO_TCP_SOCK),
    PTR_TO_SOCK_COMMON(RegKind.PTR_TO_SOCK_COMMON),
    PTR_TO_MEM(RegKind.PTR_TO_MEM),
    /** A per-cpu ksym: plain memory of the BTF type's size or, for structs, a BTF id pointer. */
    PTR_TO_MEM_OR_BTF_ID(RegKind.PTR_TO_MEM),
    PTR_TO_BTF_ID(RegKind.PTR_TO_BTF_ID),
    PTR_TO_MAP_VALUE_OR_NULL(RegKind.PTR_TO_MAP_VALUE_OR_NULL),
    PTR_TO_SOCKET_OR_NULL(RegKind.PTR_TO_SOCKET_OR_NULL),
    PTR_TO_TCP_SOCK_OR_NULL(RegKind.PTR_TO_TCP_SOCK_OR_NULL),
    PTR_TO_SOCK_COMMON_OR_NULL(RegKind.PTR_TO_SOCK_COMMON_OR_NULL),
    /** ringbuf_reserve: memory of the requested size, MEM_RINGBUF, to be submitted or discarded. */
    PTR_TO_RINGBUF_MEM_OR_NULL(RegKind.PTR_TO_MEM_OR_NULL),
    /** dynptr_data: memory of the requested size inside the dynptr. */
    PTR_TO_DYNPTR_MEM_OR_NULL(RegKind.PTR_TO_MEM_OR_NULL),
    PTR_TO_BTF_ID_OR_NULL(RegKind.PTR_TO_BTF_ID_OR_NULL),
    PTR_TO_BTF_ID_TRUSTED(RegKind.PTR_TO_BTF_ID);

    private final RegKind regKind;

    RetKind(RegKind regKind) {
        this.regKind = regKind;
    }

    public RegKind regKind() {
        return regKind;
    }

    public boolean maybeNull() {
        return regKind.maybeNull();
    }
}
