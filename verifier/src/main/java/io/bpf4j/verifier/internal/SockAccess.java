package io.bpf4j.verifier.internal;

/**
 * Which loads through a socket pointer the kernel allows ({@code check_sock_access} and the
 * {@code bpf_*sock*_is_valid_access} rules of {@code net/core/filter.c}): the uapi mirrors
 * {@code struct bpf_sock} (80 bytes), {@code struct bpf_tcp_sock} (112 bytes) and
 * {@code struct bpf_xdp_sock} (4 bytes), read-only, most fields as whole u32s.
 */
final class SockAccess {
    /** {@code sizeof(struct bpf_sock)}. */
    static final int BPF_SOCK_SIZE = 80;
    private static final int SRC_IP4 = 24;
    private static final int SRC_IP6_END = 44;
    private static final int DST_PORT = 48;
    private static final int DST_IP4 = 52;
    private static final int DST_IP6_END = 72;
    private static final int STATE = 72;
    private static final int RX_QUEUE_MAPPING = 76;
    /** {@code offsetofend(struct bpf_tcp_sock, icsk_retransmits)}. */
    private static final int TCP_SOCK_END = 112;
    private static final int TCP_BYTES_RECEIVED = 80;
    private static final int TCP_BYTES_ACKED = 88;

    private SockAccess() {
    }

    /** Whether a read of {@code size} bytes at {@code off} of the given socket pointer type is allowed. */
    static boolean valid(Reg.PtrType type, int off, int size) {
        return switch (type) {
            // sock_common stops before bpf_sock's type..priority (those need a full socket)
            case SOCK_COMMON -> !(off >= 8 && off < 24) && sock(off, size);
            case SOCKET -> sock(off, size);
            case TCP_SOCK -> tcpSock(off, size);
            case XDP_SOCK -> off >= 0 && off < 4 && off % size == 0 && size == 4;
            default -> false;
        };
    }

    private static boolean sock(int off, int size) {
        if (off < 0 || off >= BPF_SOCK_SIZE || off % size != 0) {
            return false;
        }
        boolean narrowU32 = off == 4 || off == 8 || off == 12 || off == 44 || off == STATE || off == RX_QUEUE_MAPPING
                || off >= SRC_IP4 && off < SRC_IP6_END || off >= DST_IP4 && off < DST_IP6_END;
        if (narrowU32) {
            return narrowOk(size, 4);
        }
        if (off >= DST_PORT && off < DST_PORT + 4) {
            // dst_port is a __be16 with 16 bits of padding: a whole u32 read (old programs) or a narrow read of the u16
            if (off >= DST_PORT + 2) {
                return false;
            }
            return narrowOk(size, size == 4 ? 4 : 2);
        }
        return size == 4;
    }

    /** bpf_ctx_narrow_access_ok. */
    private static boolean narrowOk(int size, int fieldSize) {
        return size <= fieldSize && (size & (size - 1)) == 0;
    }

    private static boolean tcpSock(int off, int size) {
        if (off < 0 || off >= TCP_SOCK_END || off % size != 0) {
            return false;
        }
        return off == TCP_BYTES_RECEIVED || off == TCP_BYTES_ACKED ? size == 8 : size == 4;
    }

    /**
     * Whether bpf_tcp_sock_convert_ctx_access has a rewrite for a valid access at {@code off}:
     * not for the upper u32 halves of the two u64 counters, which the validity rule lets through.
     */
    static boolean convertible(int off) {
        return off != TCP_BYTES_RECEIVED + 4 && off != TCP_BYTES_ACKED + 4;
    }
}
