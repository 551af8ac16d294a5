package io.bpf4j.bench;

import io.bpf4j.jit.ExecutionContext;
import io.bpf4j.jit.Executable;
import io.bpf4j.loader.BpfObject;
import io.bpf4j.loader.BpfProgram;
import io.bpf4j.loader.OpenOptions;

/**
 * The programs the interpreter is measured on, each with the one input both sides get: XDP
 * programs a fixed 64-byte Ethernet/IPv4/UDP frame, syscall programs no context (the kernel
 * then passes NULL). Objects come from testdata/objects and every program here is one the
 * kernel accepts (testdata/goldens/kernel-accepts.txt).
 */
public enum Workload {
    /** Compute: sums and pairs over a global array, Collatz(27) in a subprogram (111 steps). */
    LOOPS_CHECK("loops.v3.el.o", "loops_check", Kind.SYSCALL),
    /** Compute over the packet: xor of its first 64 bytes, each access bounds-checked. */
    LOOPS_XDP("loops.v3.el.o", "loops_xdp", Kind.XDP),
    /** Packet parser: Ethernet, IPv4, UDP headers with bounds checks; writes two globals. */
    PACKET_XDP_UDP("packet.v3.el.o", "packet_xdp_udp", Kind.XDP),
    /** Map-heavy: thirteen lookups, updates and deletes over hash, per-CPU hash, LRU and LRU per-CPU maps. */
    MAPS_HASH_CHECK("maps_hash_array.v3.el.o", "maps_hash_check", Kind.SYSCALL),
    /** One array lookup and an atomic add per packet. */
    MAPS_COUNT_XDP("maps_hash_array.v3.el.o", "maps_count_xdp", Kind.XDP),
    /** Bpf-to-bpf calls: nine static subprogram calls up to three deep, five arguments. */
    SUBPROGS_STATIC("subprogs.v3.el.o", "subprogs_static", Kind.SYSCALL),
    /** Bpf-to-bpf calls from XDP: a static and a global function. */
    SUBPROGS_XDP("subprogs.v3.el.o", "subprogs_xdp", Kind.XDP),
    /** calculon (switch dispatch): the talk's three RPN expressions and one error. */
    CALCULON_SELFTEST("calculon_switch.v1.el.o", "calculon_selftest", Kind.SYSCALL),
    /** calculon (switch dispatch): the 45-character expression from .rodata. */
    CALCULON_RODATA("calculon_switch.v1.el.o", "calculon_rodata", Kind.SYSCALL);

    /** How a program is given its input. */
    enum Kind { XDP, SYSCALL }

    /** The kernel's XDP_PACKET_HEADROOM: test runs put the frame this far into the buffer. */
    static final int XDP_HEADROOM = 256;

    final String object;
    final String program;
    final Kind kind;

    Workload(String object, String program, Kind kind) {
        this.object = object;
        this.program = program;
        this.kind = kind;
    }

    /** The input: the frame for XDP programs, nothing for syscall programs. */
    byte[] input() {
        return kind == Kind.XDP ? udpFrame() : new byte[0];
    }

    /** 64 bytes: Ethernet (IPv4), IPv4 10.0.0.1 -> 10.0.0.2 (UDP, 50 bytes), UDP 12345 -> 53, payload 0..21. */
    static byte[] udpFrame() {
        byte[] f = new byte[64];
        byte[] dst = {0x02, 0, 0, 0, 0, 0x02};
        byte[] src = {0x02, 0, 0, 0, 0, 0x01};
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(src, 0, f, 6, 6);
        f[12] = 0x08;
        f[13] = 0x00;
        int ip = 14;
        f[ip] = 0x45;
        f[ip + 3] = 50;
        f[ip + 8] = 64;
        f[ip + 9] = 17;
        f[ip + 12] = 10;
        f[ip + 15] = 1;
        f[ip + 16] = 10;
        f[ip + 19] = 2;
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((f[ip + i] & 0xff) << 8) | (f[ip + i + 1] & 0xff);
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = ~((sum & 0xffff) + (sum >>> 16)) & 0xffff;
        f[ip + 10] = (byte) (sum >>> 8);
        f[ip + 11] = (byte) sum;
        int udp = ip + 20;
        f[udp] = (byte) (12345 >>> 8);
        f[udp + 1] = (byte) 12345;
        f[udp + 2] = 0;
        f[udp + 3] = 53;
        f[udp + 5] = 30;
        for (int i = udp + 8; i < f.length; i++) {
            f[i] = (byte) (i - udp - 8);
        }
        return f;
    }

    /** The program loaded (maps created with their initial data) and ready to run in the interpreter. */
    Prepared prepare() {
        return prepare(io.bpf4j.loader.Engine.INTERPRETER);
    }

    /** The program loaded and ready to run on {@code engine}. */
    Prepared prepare(io.bpf4j.loader.Engine engine) {
        OpenOptions options = OpenOptions.builder().readHostKconfig(false).build();
        BpfObject obj = BpfObject.open(Corpus.resolve(object), options);
        // the engine is measured, not the verifier
        obj.load(io.bpf4j.loader.LoadOptions.builder().verify(false).engine(engine).build());
        BpfProgram prog = obj.program(program).orElseThrow(() -> new IllegalStateException("no program " + program + " in " + object));
        // load() prepared the program for the interpreter with the object's maps bound
        Executable exe = io.bpf4j.loader.internal.LoaderInternals.executable(prog);
        ExecutionContext ctx = exe.newContext();
        if (kind == Kind.XDP) {
            byte[] frame = input();
            byte[] buffer = new byte[XDP_HEADROOM + frame.length];
            System.arraycopy(frame, 0, buffer, XDP_HEADROOM, frame.length);
            // xdp_md: data, data_end, data_meta, ingress_ifindex (lo), rx_queue_index, egress_ifindex
            byte[] md = new byte[24];
            md[12] = 1;
            ctx.setPacket(buffer, XDP_HEADROOM, XDP_HEADROOM, buffer.length);
            ctx.setContext(md, false);
            ctx.setContextPointerField(0, ctx.packetData());
            ctx.setContextPointerField(4, ctx.packetEnd());
            ctx.setContextPointerField(8, ctx.packetMeta());
        } else {
            ctx.setArgs(0);
        }
        return new Prepared(obj, exe, ctx);
    }

    /** A loaded program and the context it runs in (one thread). */
    record Prepared(BpfObject object, Executable executable, ExecutionContext context) {
        long run() {
            return executable.run(context);
        }
    }
}
