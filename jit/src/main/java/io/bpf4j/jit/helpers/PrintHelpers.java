package io.bpf4j.jit.helpers;

import io.bpf4j.isa.abi.HelperId;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.jit.runtime.HelperRuntime;
import io.bpf4j.jit.runtime.HelperTable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** bpf_trace_printk (to the run's {@link io.bpf4j.jit.runtime.TraceBuffer}) and bpf_snprintf. */
public final class PrintHelpers {
    private PrintHelpers() {}

    /** The kernel's limit on bpf_snprintf arguments ({@code MAX_BPRINTF_VARARGS}). */
    public static final int MAX_ARGS = 12;
    /** bpf_trace_printk's output buffer size; longer lines are cut. */
    private static final int TRACE_LINE = 1024;

    public static HelperTable addTo(HelperTable table) {
        return table
                .with(HelperId.TRACE_PRINTK, PrintHelpers::tracePrintk)
                .with(HelperId.SNPRINTF, PrintHelpers::snprintf);
    }

    /** (fmt, fmt_size, arg1, arg2, arg3): the number of bytes written, or -EINVAL. */
    static long tracePrintk(HelperRuntime rt, long fmt, long fmtSize, long a1, long a2, long a3) {
        String format = BpfFormat.readFormat(rt.memory(), fmt, (int) fmtSize, rt.pc());
        if (format == null) {
            return Errno.EINVAL.negated();
        }
        String text = BpfFormat.format(format, new long[] {a1, a2, a3}, rt.memory(), rt.pc());
        if (text == null) {
            return Errno.EINVAL.negated();
        }
        if (text.length() > TRACE_LINE - 1) {
            text = text.substring(0, TRACE_LINE - 1);
        }
        rt.trace().add(text);
        return text.length();
    }

    /**
     * (str, str_size, fmt, data, data_len): writes at most str_size bytes with a NUL and returns
     * the size the whole output needs with its NUL; -EINVAL for a bad format or data_len.
     */
    static long snprintf(HelperRuntime rt, long str, long strSize, long fmt, long data, long dataLen) {
        int len = (int) dataLen;
        if (len < 0 || len % 8 != 0 || len / 8 > MAX_ARGS) {
            return Errno.EINVAL.negated();
        }
        String format = BpfFormat.readTerminated(rt.memory(), fmt, rt.pc());
        if (format == null) {
            return Errno.EINVAL.negated();
        }
        long[] args = new long[len / 8];
        for (int i = 0; i < args.length; i++) {
            args[i] = rt.memory().load64(data + 8L * i, rt.pc());
        }
        String text = BpfFormat.format(format, args, rt.memory(), rt.pc());
        if (text == null) {
            return Errno.EINVAL.negated();
        }
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        int size = (int) strSize;
        if (size > 0) {
            byte[] out = Arrays.copyOf(bytes, Math.min(bytes.length, size - 1) + 1);
            out[out.length - 1] = 0;
            rt.memory().write(str, out, rt.pc());
        }
        return bytes.length + 1L;
    }
}
