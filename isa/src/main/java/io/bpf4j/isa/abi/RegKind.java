package io.bpf4j.isa.abi;

/**
 * What a register holds in the verifier's eyes: the kernel's {@code enum bpf_reg_type}, with the
 * {@code *_OR_NULL} combinations the ABI tables need spelled out as their own constants.
 *
 * <p>{@link #base()} strips the maybe-null part; {@link #logName()} is the word 6.18's verifier log
 * prints for the type (without the {@code rdonly_}/{@code ringbuf_}/... prefixes, which depend on
 * type flags the verifier tracks itself).
 */
public enum RegKind {
    NOT_INIT("?"),
    SCALAR("scalar"),
    PTR_TO_CTX("ctx"),
    CONST_PTR_TO_MAP("map_ptr"),
    PTR_TO_MAP_VALUE("map_value"),
    PTR_TO_MAP_KEY("map_key"),
    PTR_TO_STACK("fp"),
    PTR_TO_PACKET_META("pkt_meta"),
    PTR_TO_PACKET("pkt"),
    PTR_TO_PACKET_END("pkt_end"),
    PTR_TO_FLOW_KEYS("flow_keys"),
    PTR_TO_SOCKET("sock"),
    PTR_TO_SOCK_COMMON("sock_common"),
    PTR_TO_TCP_SOCK("tcp_sock"),
    PTR_TO_TP_BUFFER("tp_buffer"),
    PTR_TO_XDP_SOCK("xdp_sock"),
    PTR_TO_BTF_ID("ptr_"),
    PTR_TO_MEM("mem"),
    PTR_TO_ARENA("arena"),
    PTR_TO_BUF("buf"),
    PTR_TO_FUNC("func"),
    CONST_PTR_TO_DYNPTR("dynptr_ptr"),

    PTR_TO_MAP_VALUE_OR_NULL(PTR_TO_MAP_VALUE),
    PTR_TO_SOCKET_OR_NULL(PTR_TO_SOCKET),
    PTR_TO_SOCK_COMMON_OR_NULL(PTR_TO_SOCK_COMMON),
    PTR_TO_TCP_SOCK_OR_NULL(PTR_TO_TCP_SOCK),
    PTR_TO_BTF_ID_OR_NULL(PTR_TO_BTF_ID),
    PTR_TO_MEM_OR_NULL(PTR_TO_MEM);

    private final String logName;
    private final RegKind base;

    RegKind(String logName) {
        this.logName = logName;
        this.base = null;
    }

    RegKind(RegKind base) {
        // the kernel writes "ptr_or_null_" for BTF ids and "<base>_or_null" for the rest
        this.logName = base.logName.equals("ptr_") ? "ptr_or_null_" : base.logName + "_or_null";
        this.base = base;
    }

    /** The type without the maybe-null part ({@code this} for types that are never null). */
    public RegKind base() {
        return base == null ? this : base;
    }

    /** True for the {@code *_OR_NULL} constants: the value must be compared with 0 before use. */
    public boolean maybeNull() {
        return base != null;
    }

    /** The maybe-null form of this type, or {@code this} when the kernel has none. */
    public RegKind orNull() {
        for (RegKind k : values()) {
            if (k.base == this) {
                return k;
            }
        }
        return this;
    }

    /** True for every pointer type (everything but {@link #NOT_INIT} and {@link #SCALAR}). */
    public boolean isPointer() {
        return this != NOT_INIT && this != SCALAR;
    }

    /** True for the three packet pointer types. */
    public boolean isPacket() {
        return this == PTR_TO_PACKET || this == PTR_TO_PACKET_META || this == PTR_TO_PACKET_END;
    }

    /** The type's word in the verifier log (reg_type_str without flag prefixes). */
    public String logName() {
        return logName;
    }
}
