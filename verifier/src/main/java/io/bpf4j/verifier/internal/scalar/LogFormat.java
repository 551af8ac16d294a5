package io.bpf4j.verifier.internal.scalar;

/** Number and range formatting of 6.18's kernel/bpf/log.c, for scalars and variable offsets. */
public final class LogFormat {
    private LogFormat() {
    }

    /** Unsigned numbers up to 65535 print in decimal, larger ones as {@code %#llx}. */
    public static void appendUnsigned(StringBuilder sb, long v) {
        if (Long.compareUnsigned(v, 65535) <= 0) {
            sb.append(v);
        } else {
            sb.append("0x").append(Long.toHexString(v));
        }
    }

    /** Signed numbers in [-32768, 32767] print in decimal, others as the 64-bit pattern in hex. */
    public static void appendSigned(StringBuilder sb, long v) {
        if (v >= -32768 && v <= 32767) {
            sb.append(v);
        } else {
            sb.append("0x").append(Long.toHexString(v));
        }
    }

    /** tnum_strn: a constant by the unsigned rule, otherwise {@code (%#llx; %#llx)}. */
    public static void appendTnum(StringBuilder sb, Tnum t) {
        if (t.isConst()) {
            appendUnsigned(sb, t.value());
        } else {
            sb.append(t.format());
        }
    }

    public static String tnum(Tnum t) {
        StringBuilder sb = new StringBuilder();
        appendTnum(sb, t);
        return sb.toString();
    }

    /**
     * print_scalar_ranges: the eight bounds in the order smin, smax, umin, umax, smin32, smax32,
     * umin32, umax32, each omitted when it is its type's default; a printed bound absorbs the
     * later bounds of the same min/max kind with the same value (and, for signed ones, the same
     * sign), their names joined with {@code =}. 32-bit signed bounds outside the decimal range
     * are compared and printed as their 32-bit pattern, so they never merge with a 64-bit one.
     */
    static boolean appendRanges(StringBuilder sb, Scalar s, boolean needSep) {
        String[] names = {"smin", "smax", "umin", "umax", "smin32", "smax32", "umin32", "umax32"};
        long[] vals = {s.smin(), s.smax(), s.umin(), s.umax(), signed32(s.s32min()), signed32(s.s32max()),
            Integer.toUnsignedLong(s.u32min()), Integer.toUnsignedLong(s.u32max())};
        boolean[] omit = {s.smin() == Long.MIN_VALUE, s.smax() == Long.MAX_VALUE, s.umin() == 0, s.umax() == -1L,
            s.s32min() == Integer.MIN_VALUE, s.s32max() == Integer.MAX_VALUE, s.u32min() == 0, s.u32max() == -1};
        boolean sep = needSep;
        for (int i = 0; i < names.length; i++) {
            if (omit[i]) {
                continue;
            }
            boolean neg = names[i].charAt(0) == 's' && vals[i] < 0;
            if (sep) {
                sb.append(',');
            }
            sb.append(names[i]).append('=');
            sep = true;
            for (int j = i + 2; j < names.length; j += 2) {
                if (omit[j] || vals[j] != vals[i]) {
                    continue;
                }
                boolean negJ = names[j].charAt(0) == 's' && vals[j] < 0;
                if (negJ != neg) {
                    continue;
                }
                omit[j] = true;
                sb.append(names[j]).append('=');
            }
            if (names[i].charAt(0) == 's') {
                appendSigned(sb, vals[i]);
            } else {
                appendUnsigned(sb, vals[i]);
            }
        }
        return sep;
    }

    private static long signed32(int v) {
        return v >= -32768 && v <= 32767 ? v : Integer.toUnsignedLong(v);
    }
}
