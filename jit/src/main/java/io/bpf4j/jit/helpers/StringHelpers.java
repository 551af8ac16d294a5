package io.bpf4j.jit.helpers;

import io.bpf4j.isa.abi.HelperId;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.jit.runtime.HelperRuntime;
import io.bpf4j.jit.runtime.HelperTable;

/** bpf_strtol, bpf_strtoul and bpf_strncmp with the kernel's parsing rules and results. */
public final class StringHelpers {
    private StringHelpers() {}

    /** The kernel copies at most this many bytes of the number into a NUL-terminated buffer of 64. */
    private static final int MAX_DIGITS = 63;
    private static final int BASE_MASK = 0x1f;

    /** {@code table} plus strtol, strtoul and strncmp. */
    public static HelperTable addTo(HelperTable table) {
        return table
                .with(HelperId.STRTOL, (rt, buf, len, flags, res, e) -> strtol(rt, buf, len, flags, res, true))
                .with(HelperId.STRTOUL, (rt, buf, len, flags, res, e) -> strtol(rt, buf, len, flags, res, false))
                .with(HelperId.STRNCMP, (rt, s1, size, s2, d, e) -> strncmp(rt, s1, (int) size, s2));
    }

    /** Result of parsing: bytes consumed (or a negative errno), the magnitude, the sign. */
    private record Parsed(long consumed, long magnitude, boolean negative) {}

    static long strtol(HelperRuntime rt, long buf, long bufLen, long flags, long res, boolean signed) {
        int len = (int) bufLen;
        if (len <= 0) {
            return Errno.EINVAL.negated();
        }
        byte[] s = rt.memory().read(buf, len, rt.pc());
        Parsed p = parse(s, flags);
        if (p.consumed < 0) {
            return p.consumed;
        }
        long value;
        if (signed) {
            if (p.negative) {
                if (-p.magnitude > 0) {
                    return Errno.ERANGE.negated();
                }
                value = -p.magnitude;
            } else {
                if (p.magnitude < 0) {
                    return Errno.ERANGE.negated();
                }
                value = p.magnitude;
            }
        } else {
            if (p.negative) {
                return Errno.EINVAL.negated();
            }
            value = p.magnitude;
        }
        rt.memory().store64(res, value, rt.pc());
        return p.consumed;
    }

    private static Parsed parse(byte[] s, long flags) {
        if ((flags & ~BASE_MASK) != 0) {
            return new Parsed(Errno.EINVAL.negated(), 0, false);
        }
        int base = (int) flags;
        if (base != 0 && base != 8 && base != 10 && base != 16) {
            return new Parsed(Errno.EINVAL.negated(), 0, false);
        }
        int i = 0;
        while (i < s.length && isSpace(s[i])) {
            i++;
        }
        boolean negative = i < s.length && s[i] == '-';
        if (negative) {
            i++;
        }
        int consumed = i;
        if (i >= s.length) {
            return new Parsed(Errno.EINVAL.negated(), 0, false);
        }
        // the kernel parses a NUL-terminated copy of at most 63 bytes
        int end = Math.min(s.length, i + MAX_DIGITS);
        int j = i;
        if (base == 0) {
            if (at(s, j, end) == '0') {
                base = Character.toLowerCase(at(s, j + 1, end)) == 'x' && digit(at(s, j + 2, end), 16) >= 0 ? 16 : 8;
            } else {
                base = 10;
            }
        }
        if (base == 16 && at(s, j, end) == '0' && Character.toLowerCase(at(s, j + 1, end)) == 'x') {
            j += 2;
        }
        long value = 0;
        int digits = 0;
        boolean overflow = false;
        for (int k = j; k < end; k++) {
            int d = digit(at(s, k, end), base);
            if (d < 0) {
                break;
            }
            long next = value * base + d;
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, base)) > 0) {
                overflow = true;
            }
            value = next;
            digits++;
        }
        if (overflow) {
            return new Parsed(Errno.ERANGE.negated(), 0, false);
        }
        if (digits == 0) {
            return new Parsed(Errno.EINVAL.negated(), 0, false);
        }
        return new Parsed(consumed + (j - i) + digits, value, negative);
    }

    private static char at(byte[] s, int i, int end) {
        return i < end ? (char) (s[i] & 0xff) : '\0';
    }

    private static int digit(char c, int base) {
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
        return d < base ? d : -1;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\u000b' || b == '\f' || b == '\r';
    }

    /** strncmp(s1, s2, size) as the kernel's lib/string.c: -1, 0 or 1, unsigned bytes. */
    static long strncmp(HelperRuntime rt, long s1, int size, long s2) {
        if (size <= 0) {
            return 0;
        }
        byte[] a = rt.memory().read(s1, size, rt.pc());
        byte[] b = rt.memory().readCString(s2, size, rt.pc());
        for (int i = 0; i < size; i++) {
            int c1 = a[i] & 0xff;
            int c2 = i < b.length ? b[i] & 0xff : 0;
            if (c1 != c2) {
                return c1 < c2 ? -1 : 1;
            }
            if (c1 == 0) {
                break;
            }
        }
        return 0;
    }
}
