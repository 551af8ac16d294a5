package io.bpf4j.jit.helpers;

import static io.bpf4j.jit.TestPrograms.asm;
import static io.bpf4j.jit.TestPrograms.patch;
import static io.bpf4j.jit.TestPrograms.prepare;
import static io.bpf4j.jit.TestPrograms.pseudoLoad;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Register;
import io.bpf4j.jit.Executable;
import io.bpf4j.jit.ExecutionContext;
import io.bpf4j.jit.interpreter.Interpreter;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.TestMaps;
import io.bpf4j.maps.BpfMap;
import io.bpf4j.jit.runtime.BpfClock;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.jit.runtime.TaskContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The standard helpers, called from programs the way a BPF program calls them. Expected values
 * follow the kernel's implementations (kernel/bpf/helpers.c, kernel/trace/bpf_trace.c).
 */
class HelpersTest {

    /** Runs {@code insns} with r1 = a writable 256-byte buffer that starts with {@code init}; returns r0 and the buffer. */
    private static long runWithBuffer(Instructions insns, byte[] buffer, ExecutionContext[] ctxOut) {
        Executable exe = prepare(insns);
        ExecutionContext ctx = exe.newContext().setClock(BpfClock.fixed(4_000_000_123L))
                .setTask(new TaskContext(1234, 1200, 1000, 100, "a-very-long-command-name", 3));
        if (ctxOut != null) {
            ctxOut[0] = ctx;
        }
        long p = ctx.addMemory("buf", buffer, true);
        ctx.setArgs(p, buffer.length);
        return exe.run(ctx);
    }

    private static byte[] buffer(String text) {
        byte[] b = new byte[256];
        byte[] t = text.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(t, 0, b, 0, t.length);
        return b;
    }

    @Test
    void clockAndTaskHelpers() {
        ExecutionContext[] ctx = new ExecutionContext[1];
        assertThat(runWithBuffer(asm("call 5", "exit"), buffer(""), ctx)).isEqualTo(4_000_000_123L);
        assertThat(runWithBuffer(asm("call 125", "exit"), buffer(""), ctx)).isEqualTo(4_000_000_123L);
        assertThat(runWithBuffer(asm("call 160", "exit"), buffer(""), ctx)).isEqualTo(4_000_000_000L);
        assertThat(runWithBuffer(asm("call 118", "exit"), buffer(""), ctx)).isEqualTo(1000L); // 4 s at HZ 250
        assertThat(runWithBuffer(asm("call 8", "exit"), buffer(""), ctx)).isEqualTo(3);
        assertThat(runWithBuffer(asm("call 14", "exit"), buffer(""), ctx)).isEqualTo(1200L << 32 | 1234);
        assertThat(runWithBuffer(asm("call 15", "exit"), buffer(""), ctx)).isEqualTo(100L << 32 | 1000);
    }

    @Test
    void currentCommIsCutToFifteenBytesAndToTheBuffer() {
        byte[] buf = buffer("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
        assertThat(runWithBuffer(asm("mov %r2, 16", "call 16", "exit"), buf, null)).isZero();
        assertThat(new String(buf, 0, 16, StandardCharsets.ISO_8859_1)).isEqualTo("a-very-long-com\0");
        assertThat(buf[16]).isEqualTo((byte) 'x');
        byte[] small = buffer("xxxxxxxx");
        assertThat(runWithBuffer(asm("mov %r2, 4", "call 16", "exit"), small, null)).isZero();
        assertThat(Arrays.copyOf(small, 5)).containsExactly('a', '-', 'v', 0, 'x');
    }

    @Test
    void prandomIsReproducibleWithASeed() {
        Executable exe = prepare(asm("call 7", "exit"));
        long a = exe.run(exe.newContext().setRandomSeed(42));
        long b = exe.run(exe.newContext().setRandomSeed(42));
        assertThat(a).isEqualTo(b).isBetween(0L, 0xffff_ffffL);
    }

    @Test
    void tracePrintkFormatsIntoTheTraceBuffer() {
        // fmt at buf+0 ("pid %d val %llx %s\0", 19 bytes), the %s string at buf+32
        byte[] buf = buffer("n=%d u=%u x=%llx s=%s|%5d|%-3c|\0");
        System.arraycopy("hey\0".getBytes(StandardCharsets.ISO_8859_1), 0, buf, 64, 4);
        ExecutionContext[] ctx = new ExecutionContext[1];
        long r0 = runWithBuffer(asm("mov %r6, %r1", "mov %r2, 33", "mov %r3, -5", "mov %r4, -1", "mov %r5, %r6", "add %r5, 64",
                "call 6", "exit"), buf, ctx);
        // only three arguments: %s takes the third, so the format has too many conversions
        assertThat(r0).isEqualTo(Errno.EINVAL.negated());
        byte[] ok = buffer("n=%d u=%u s=%s\0");
        System.arraycopy("hey\0".getBytes(StandardCharsets.ISO_8859_1), 0, ok, 64, 4);
        long n = runWithBuffer(asm("mov %r6, %r1", "mov %r2, 16", "mov %r3, -5", "mov %r4, -1", "mov %r5, %r6", "add %r5, 64",
                "call 6", "exit"), ok, ctx);
        assertThat(ctx[0].trace().lines()).containsExactly("n=-5 u=4294967295 s=hey");
        assertThat(n).isEqualTo("n=-5 u=4294967295 s=hey".length());
    }

    @Test
    void snprintfWritesTruncatedWithNulAndReturnsTheFullSize() {
        // buf+0: output (8 bytes); buf+16: fmt; buf+64: two u64 args
        byte[] buf = buffer("");
        byte[] fmt = "%05d|%x|%%\0".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(fmt, 0, buf, 16, fmt.length);
        ByteBuffer.wrap(buf, 64, 16).order(ByteOrder.LITTLE_ENDIAN).putLong(-42).putLong(0xbeef);
        long r0 = runWithBuffer(asm("mov %r3, %r1", "add %r3, 16", "mov %r4, %r1", "add %r4, 64", "mov %r2, 8", "mov %r5, 16",
                "call 165", "exit"), buf, null);
        String full = "-0042|beef|%";
        assertThat(r0).isEqualTo(full.length() + 1);
        assertThat(new String(buf, 0, 8, StandardCharsets.ISO_8859_1)).isEqualTo("-0042|b\0");
    }

    private static long strto(int helper, String text, int flags, long[] result) {
        byte[] buf = buffer(text);
        long r0 = runWithBuffer(asm("mov %r4, %r1", "add %r4, 128", "mov %r2, " + text.length(), "mov %r3, " + flags,
                "call " + helper, "exit"), buf, null);
        result[0] = ByteBuffer.wrap(buf, 128, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return r0;
    }

    @Test
    void strtolAndStrtoulFollowTheKernel() {
        long[] res = new long[1];
        assertThat(strto(105, "  -123abc", 10, res)).isEqualTo(6);
        assertThat(res[0]).isEqualTo(-123);
        assertThat(strto(105, "0x1f", 0, res)).isEqualTo(4);
        assertThat(res[0]).isEqualTo(31);
        assertThat(strto(105, "017", 0, res)).isEqualTo(3);
        assertThat(res[0]).isEqualTo(15);
        assertThat(strto(105, "ff", 16, res)).isEqualTo(2);
        assertThat(res[0]).isEqualTo(255);
        assertThat(strto(105, "9223372036854775808", 10, res)).isEqualTo(Errno.ERANGE.negated());
        assertThat(strto(105, "-9223372036854775808", 10, res)).isEqualTo(20);
        assertThat(res[0]).isEqualTo(Long.MIN_VALUE);
        assertThat(strto(106, "18446744073709551615", 10, res)).isEqualTo(20);
        assertThat(res[0]).isEqualTo(-1L);
        assertThat(strto(106, "18446744073709551616", 10, res)).isEqualTo(Errno.ERANGE.negated());
        assertThat(strto(106, "-1", 10, res)).isEqualTo(Errno.EINVAL.negated());
        assertThat(strto(105, "   ", 10, res)).isEqualTo(Errno.EINVAL.negated());
        assertThat(strto(105, "12", 7, res)).isEqualTo(Errno.EINVAL.negated());
        assertThat(strto(105, "xyz", 10, res)).isEqualTo(Errno.EINVAL.negated());
    }

    @Test
    void strncmpComparesUnsignedBytesUpToTheSize() {
        byte[] buf = buffer("abcd\0\0\0\0abce\0");
        assertThat(runWithBuffer(asm("mov %r3, %r1", "add %r3, 8", "mov %r2, 3", "call 182", "exit"), buf, null)).isZero();
        assertThat(runWithBuffer(asm("mov %r3, %r1", "add %r3, 8", "mov %r2, 4", "call 182", "exit"), buf, null)).isEqualTo(-1);
        byte[] hi = buffer("\u00ff\0\0\0\0\0\0\0a\0");
        assertThat(runWithBuffer(asm("mov %r3, %r1", "add %r3, 8", "mov %r2, 2", "call 182", "exit"), hi, null)).isEqualTo(1);
    }

    @Test
    void probeReadCopiesFromRegionsAndReportsEfaultOtherwise() {
        byte[] buf = buffer("source-string\0");
        // probe_read_kernel(buf+100, 6, buf+0)
        long r0 = runWithBuffer(asm("mov %r3, %r1", "add %r1, 100", "mov %r2, 6", "call 113", "exit"), buf, null);
        assertThat(r0).isZero();
        assertThat(new String(buf, 100, 6, StandardCharsets.ISO_8859_1)).isEqualTo("source");
        // from a scalar "address": -EFAULT and the destination zeroed
        byte[] dirty = buffer("");
        Arrays.fill(dirty, 100, 106, (byte) 'z');
        assertThat(runWithBuffer(asm("lddw %r3, 0xffff888000001000", "add %r1, 100", "mov %r2, 6", "call 113", "exit"), dirty, null))
                .isEqualTo(Errno.EFAULT.negated());
        assertThat(Arrays.copyOfRange(dirty, 100, 106)).containsOnly(0);
        // _str: returns the length with the NUL, cut to the size
        byte[] s = buffer("hello\0");
        assertThat(runWithBuffer(asm("mov %r3, %r1", "add %r1, 100", "mov %r2, 32", "call 115", "exit"), s, null)).isEqualTo(6);
        assertThat(new String(s, 100, 6, StandardCharsets.ISO_8859_1)).isEqualTo("hello\0");
        byte[] cut = buffer("hello\0");
        assertThat(runWithBuffer(asm("mov %r3, %r1", "add %r1, 100", "mov %r2, 3", "call 114", "exit"), cut, null)).isEqualTo(3);
        assertThat(new String(cut, 100, 3, StandardCharsets.ISO_8859_1)).isEqualTo("he\0");
    }

    @Test
    void bpfLoopCallsTheCallbackUntilItReturnsNonzero() {
        // main: r1 = 10 loops, r2 = &cb, r3 = ctx (buf), r4 = 0; call loop; r0 += *(u64 *)buf
        // cb(i, ctx): *(u64 *)ctx += i; return i == 4
        Instructions insns = patch(asm(
                "mov %r6, %r1",
                "mov %r3, %r1",
                "mov %r1, 10",
                "lddw %r2, 0",
                "mov %r4, 0",
                "call 181",
                "ldxdw %r1, [%r6+0]",
                "lsh %r0, 32",
                "add %r0, %r1",
                "exit",
                "ldxdw %r3, [%r2+0]",
                "add %r3, %r1",
                "stxdw [%r2+0], %r3",
                "mov %r0, 0",
                "jne %r1, 4, +1",
                "mov %r0, 1",
                "exit"), 3, pseudoLoad(Register.R2, Opcodes.PSEUDO_FUNC, 7, 0));
        // the lddw is at slot 3 and the callback at slot 11: imm = 11 - 3 - 1
        assertThat(runWithBuffer(insns, buffer(""), null)).isEqualTo(5L << 32 | (0 + 1 + 2 + 3 + 4));
    }

    @Test
    void mapHelpersWorkOnInProcessMaps() {
        BpfMap map = TestMaps.array("m", 8, 4);
        // key 2 at fp-4, value 77 at fp-16: update(map, &key, &value, 0); v = lookup(map, &key); *v += 1; return *v
        Instructions insns = patch(patch(asm(
                "stw [%r10-4], 2",
                "stdw [%r10-16], 77",
                "lddw %r1, 0",
                "mov %r2, %r10",
                "add %r2, -4",
                "mov %r3, %r10",
                "add %r3, -16",
                "mov %r4, 0",
                "call 2",
                "lddw %r1, 0",
                "mov %r2, %r10",
                "add %r2, -4",
                "call 1",
                "jeq %r0, 0, +3",
                "mov %r1, 1",
                "lock add [%r0+0], %r1",
                "ldxdw %r0, [%r0+0]",
                "exit"), 2, pseudoLoad(Register.R1, Opcodes.PSEUDO_MAP_FD, 3, 0)), 9, pseudoLoad(Register.R1, Opcodes.PSEUDO_MAP_FD, 3, 0));
        Executable exe = Interpreter.INSTANCE.prepare(ProgramImage.builder(insns).helpers(StandardHelpers.all()).map(3, map).build());
        assertThat(exe.run(exe.newContext())).isEqualTo(78);
        assertThat(TestMaps.u64(map.lookup(TestMaps.u32(2)), 0)).isEqualTo(78);
    }
}
