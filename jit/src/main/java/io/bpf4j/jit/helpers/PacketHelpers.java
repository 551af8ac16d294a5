package io.bpf4j.jit.helpers;

import io.bpf4j.isa.LittleEndian;
import io.bpf4j.isa.abi.HelperId;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.jit.runtime.HelperFault;
import io.bpf4j.jit.runtime.HelperRuntime;
import io.bpf4j.jit.runtime.HelperTable;
import io.bpf4j.jit.runtime.Memory;
import io.bpf4j.jit.runtime.MemoryFault;
import io.bpf4j.jit.runtime.Packet;

/**
 * Packet helpers with the kernel's checks and return codes (net/core/filter.c), over the run's
 * {@link Packet}. XDP and socket buffer programs get different tables, as in the kernel, where
 * {@code bpf_redirect} is one helper for XDP and another for TC.
 *
 * <p>The positions the adjust helpers may reach are the packet's limits
 * ({@link Packet#headroomFloor()}, {@link Packet#hardEnd()}), which the test run sets as the
 * kernel's {@code bpf_prog_test_run_xdp} lays out its page. Nothing here models checksum offload:
 * a test run's socket buffer is {@code CHECKSUM_NONE}, so {@code BPF_F_RECOMPUTE_CSUM} and
 * {@code BPF_F_PSEUDO_HDR} change no bytes, exactly as in the kernel's test runs.
 *
 * <p>{@code bpf_redirect_map}: no device, socket or CPU map exists in process, so every lookup
 * fails and the helper returns the action in the low bits of flags, as the kernel does on a
 * failed lookup.
 */
public final class PacketHelpers {
    private PacketHelpers() {}

    static final int ETH_HLEN = 14;
    static final int XDP_ABORTED = 0;
    static final int XDP_REDIRECT = 4;
    static final int TC_ACT_SHOT = 2;
    static final int TC_ACT_REDIRECT = 7;
    static final long BPF_F_INGRESS = 1;
    static final long BPF_F_RECOMPUTE_CSUM = 1;
    static final long BPF_F_INVALIDATE_HASH = 2;
    static final long BPF_F_HDR_FIELD_MASK = 0xf;
    static final long BPF_F_PSEUDO_HDR = 1 << 4;
    static final long BPF_F_MARK_MANGLED_0 = 1 << 5;
    static final long BPF_F_MARK_ENFORCE = 1 << 6;
    static final long BPF_F_IPV6 = 1 << 7;
    /** {@code XDP_ABORTED}..{@code XDP_TX}: what redirect_map returns from its flags when the lookup fails. */
    static final long BPF_F_ACTION_MASK = 3;
    static final long BPF_F_BROADCAST = 1 << 3;
    static final long BPF_F_EXCLUDE_INGRESS = 1 << 4;
    /** The largest metadata area ({@code skb_shared_info.meta_len} is a u8). */
    static final int XDP_META_MAX = 255;
    /** {@code bpf_csum_diff}'s scratch area: {@code MAX_BPF_STACK} bytes. */
    static final int CSUM_DIFF_MAX = 512;

    /** The helpers of XDP programs: adjust head/tail/meta, redirect, redirect_map, csum_diff. */
    public static HelperTable xdp(HelperTable table) {
        return table
                .with(HelperId.XDP_ADJUST_HEAD, PacketHelpers::xdpAdjustHead)
                .with(HelperId.XDP_ADJUST_TAIL, PacketHelpers::xdpAdjustTail)
                .with(HelperId.XDP_ADJUST_META, PacketHelpers::xdpAdjustMeta)
                .with(HelperId.REDIRECT, (rt, ifindex, flags, c, d, e) -> flags != 0 ? XDP_ABORTED : XDP_REDIRECT)
                .with(HelperId.REDIRECT_MAP, PacketHelpers::redirectMap)
                .with(HelperId.CSUM_DIFF, PacketHelpers::csumDiff);
    }

    /** The helpers of TC programs: skb load/store, l3/l4 checksum replace, csum_diff, redirect. */
    public static HelperTable tc(HelperTable table) {
        return socketFilter(table)
                .with(HelperId.SKB_STORE_BYTES, PacketHelpers::skbStoreBytes)
                .with(HelperId.L3_CSUM_REPLACE, PacketHelpers::l3CsumReplace)
                .with(HelperId.L4_CSUM_REPLACE, PacketHelpers::l4CsumReplace)
                .with(HelperId.CSUM_DIFF, PacketHelpers::csumDiff)
                .with(HelperId.REDIRECT, (rt, ifindex, flags, c, d, e) -> (flags & ~BPF_F_INGRESS) != 0 ? TC_ACT_SHOT : TC_ACT_REDIRECT);
    }

    /** The helpers of socket filters: skb_load_bytes. */
    public static HelperTable socketFilter(HelperTable table) {
        return table.with(HelperId.SKB_LOAD_BYTES, PacketHelpers::skbLoadBytes);
    }

    private static Packet packet(HelperRuntime rt, HelperId helper) {
        Packet p = rt.packet();
        if (p == null) {
            throw new HelperFault(rt.pc(), helper.id(), helper.helperName() + " needs a packet and the run has none");
        }
        return p;
    }

    /** (xdp_md, delta): moves data (and the metadata with it) by delta; 0 or -EINVAL. */
    static long xdpAdjustHead(HelperRuntime rt, long ctx, long delta, long r3, long r4, long r5) {
        Packet p = packet(rt, HelperId.XDP_ADJUST_HEAD);
        int offset = (int) delta;
        int metalen = p.data() - p.meta();
        long data = (long) p.data() + offset;
        if (data < p.headroomFloor() + metalen || data > p.end() - ETH_HLEN) {
            return Errno.EINVAL.negated();
        }
        if (metalen > 0) {
            System.arraycopy(p.buffer(), p.meta(), p.buffer(), p.meta() + offset, metalen);
        }
        p.move(p.meta() + offset, (int) data, p.end());
        return 0;
    }

    /** (xdp_md, delta): moves data_end by delta within the tailroom, zeroing what it grows; 0 or -EINVAL. */
    static long xdpAdjustTail(HelperRuntime rt, long ctx, long delta, long r3, long r4, long r5) {
        Packet p = packet(rt, HelperId.XDP_ADJUST_TAIL);
        int offset = (int) delta;
        long end = (long) p.end() + offset;
        if (end > p.hardEnd() || end < p.data() + ETH_HLEN) {
            return Errno.EINVAL.negated();
        }
        if (offset > 0) {
            java.util.Arrays.fill(p.buffer(), p.end(), (int) end, (byte) 0);
        }
        p.move(p.meta(), p.data(), (int) end);
        return 0;
    }

    /** (xdp_md, delta): moves data_meta; -EINVAL outside [headroom floor, data], -EACCES for a bad length. */
    static long xdpAdjustMeta(HelperRuntime rt, long ctx, long delta, long r3, long r4, long r5) {
        Packet p = packet(rt, HelperId.XDP_ADJUST_META);
        if (!p.metaSupported()) {
            return -524; // ENOTSUPP
        }
        long meta = (long) p.meta() + (int) delta;
        long metalen = p.data() - meta;
        if (meta < p.headroomFloor() || meta > p.data()) {
            return Errno.EINVAL.negated();
        }
        if ((metalen & 3) != 0 || metalen > XDP_META_MAX) {
            return -13; // EACCES
        }
        p.move((int) meta, p.data(), p.end());
        return 0;
    }

    /** (map, key, flags): no redirect target exists in process, so the action in flags' low bits (or XDP_ABORTED for bad flags). */
    static long redirectMap(HelperRuntime rt, long map, long key, long flags, long r4, long r5) {
        rt.map(map);
        if ((flags & ~(BPF_F_ACTION_MASK | BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS)) != 0) {
            return XDP_ABORTED;
        }
        return flags & BPF_F_ACTION_MASK;
    }

    /** (skb, offset, to, len): copies len bytes from data + offset; 0, or -EFAULT with to zeroed. */
    static long skbLoadBytes(HelperRuntime rt, long skb, long offset, long to, long len, long r5) {
        Packet p = packet(rt, HelperId.SKB_LOAD_BYTES);
        Memory mem = rt.memory();
        int n = (int) len;
        if (n < 0) {
            return Errno.EINVAL.negated();
        }
        mem.check(to, Math.max(n, 1), MemoryFault.Access.WRITE, rt.pc());
        long off = offset & 0xffff_ffffL;
        if (off > Integer.MAX_VALUE || off > (long) p.length() - n) {
            mem.write(to, new byte[n], rt.pc());
            return Errno.EFAULT.negated();
        }
        mem.write(to, p.copy(p.data() + (int) off, p.data() + (int) off + n), rt.pc());
        return 0;
    }

    /** (skb, offset, from, len, flags): writes len bytes at data + offset; 0, -EINVAL for flags, -EFAULT past the end. */
    static long skbStoreBytes(HelperRuntime rt, long skb, long offset, long from, long len, long flags) {
        Packet p = packet(rt, HelperId.SKB_STORE_BYTES);
        if ((flags & ~(BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH)) != 0) {
            return Errno.EINVAL.negated();
        }
        int n = (int) len;
        byte[] bytes = rt.memory().read(from, Math.max(n, 0), rt.pc());
        long off = offset & 0xffff_ffffL;
        if (off > Integer.MAX_VALUE || off + n > p.length()) {
            return Errno.EFAULT.negated();
        }
        System.arraycopy(bytes, 0, p.buffer(), p.data() + (int) off, n);
        return 0;
    }

    private static int readSum(Packet p, int at) {
        return (p.buffer()[at] & 0xff) | (p.buffer()[at + 1] & 0xff) << 8;
    }

    private static void writeSum(Packet p, int at, int sum) {
        p.buffer()[at] = (byte) sum;
        p.buffer()[at + 1] = (byte) (sum >>> 8);
    }

    /** The buffer index of the checksum at offset, or a negative errno. */
    private static long sumField(Packet p, long offset) {
        long off = offset & 0xffff_ffffL;
        if (off > 0xffff || (off & 1) != 0) {
            return Errno.EFAULT.negated();
        }
        if (off + 2 > p.length()) {
            return Errno.EFAULT.negated();
        }
        return p.data() + off;
    }

    /** (skb, offset, from, to, flags): the IP header checksum update; flags' low 4 bits are the size (0 = by diff, 2, 4). */
    static long l3CsumReplace(HelperRuntime rt, long skb, long offset, long from, long to, long flags) {
        Packet p = packet(rt, HelperId.L3_CSUM_REPLACE);
        if ((flags & ~BPF_F_HDR_FIELD_MASK) != 0) {
            return Errno.EINVAL.negated();
        }
        long at = sumField(p, offset);
        if (at < 0) {
            return at;
        }
        int field = readSum(p, (int) at);
        int updated;
        switch ((int) (flags & BPF_F_HDR_FIELD_MASK)) {
            case 0:
                if (from != 0) {
                    return Errno.EINVAL.negated();
                }
                updated = Checksums.replaceByDiff(field, to);
                break;
            case 2:
                updated = Checksums.replace2(field, (int) from, (int) to);
                break;
            case 4:
                updated = Checksums.replace4(field, from & 0xffff_ffffL, to & 0xffff_ffffL);
                break;
            default:
                return Errno.EINVAL.negated();
        }
        writeSum(p, (int) at, updated);
        return 0;
    }

    /**
     * (skb, offset, from, to, flags): the transport checksum update; with BPF_F_MARK_MANGLED_0 a
     * zero (absent UDP) checksum stays zero and a result of zero is written as 0xffff.
     */
    static long l4CsumReplace(HelperRuntime rt, long skb, long offset, long from, long to, long flags) {
        Packet p = packet(rt, HelperId.L4_CSUM_REPLACE);
        if ((flags & ~(BPF_F_MARK_MANGLED_0 | BPF_F_MARK_ENFORCE | BPF_F_PSEUDO_HDR | BPF_F_HDR_FIELD_MASK | BPF_F_IPV6)) != 0) {
            return Errno.EINVAL.negated();
        }
        long at = sumField(p, offset);
        if (at < 0) {
            return at;
        }
        boolean mangled0 = (flags & BPF_F_MARK_MANGLED_0) != 0;
        int field = readSum(p, (int) at);
        if (mangled0 && (flags & BPF_F_MARK_ENFORCE) == 0 && field == 0) {
            return 0;
        }
        int updated;
        // with ip_summed CHECKSUM_NONE the kernel updates the field the same way with or without BPF_F_PSEUDO_HDR
        switch ((int) (flags & BPF_F_HDR_FIELD_MASK)) {
            case 0:
                if (from != 0) {
                    return Errno.EINVAL.negated();
                }
                updated = Checksums.replaceByDiff(field, to);
                break;
            case 2:
                // inet_proto_csum_replace2 widens the 16-bit values and does the 4-byte update
                updated = Checksums.fold(Checksums.partial(diff(from & 0xffff, to & 0xffff), 0, 8, ~field & 0xffff_ffffL));
                break;
            case 4:
                updated = Checksums.fold(Checksums.partial(diff(from, to), 0, 8, ~field & 0xffff_ffffL));
                break;
            default:
                return Errno.EINVAL.negated();
        }
        if (mangled0 && updated == 0) {
            updated = 0xffff;
        }
        writeSum(p, (int) at, updated);
        return 0;
    }

    /** The {@code __be32 diff[] = { ~from, to }} of inet_proto_csum_replace4, as bytes. */
    private static byte[] diff(long from, long to) {
        byte[] d = new byte[8];
        LittleEndian.putInt(d, 0, ~(int) from);
        LittleEndian.putInt(d, 4, (int) to);
        return d;
    }

    /**
     * (from, from_size, to, to_size, seed): csum_partial over ~from then to, seeded, folded to 16 bits; -EINVAL when
     * a size is not a multiple of 4 or both exceed 512 bytes.
     */
    static long csumDiff(HelperRuntime rt, long from, long fromSize, long to, long toSize, long seed) {
        long fs = fromSize & 0xffff_ffffL;
        long ts = toSize & 0xffff_ffffL;
        if (((fs | ts) & 3) != 0 || fs + ts > CSUM_DIFF_MAX) {
            return Errno.EINVAL.negated();
        }
        byte[] diff = new byte[(int) (fs + ts)];
        byte[] f = rt.memory().read(from, (int) fs, rt.pc());
        for (int i = 0; i < f.length; i++) {
            diff[i] = (byte) ~f[i];
        }
        byte[] t = rt.memory().read(to, (int) ts, rt.pc());
        System.arraycopy(t, 0, diff, f.length, t.length);
        // since Linux 6.13 the result is folded to 16 bits (not complemented), the same on every architecture
        return Checksums.from32to16(Checksums.partial(diff, 0, diff.length, seed));
    }
}
