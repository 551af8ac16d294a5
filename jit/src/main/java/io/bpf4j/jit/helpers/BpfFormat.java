package io.bpf4j.jit.helpers;

import io.bpf4j.jit.runtime.Memory;
import io.bpf4j.jit.runtime.MemoryFault;
import io.bpf4j.jit.runtime.Pointers;
import io.bpf4j.jit.runtime.Region;
import java.nio.charset.StandardCharsets;

/**
 * The printf dialect of bpf_trace_printk and bpf_snprintf ({@code bpf_bprintf_prepare} in the
 * kernel): only printable ASCII and spaces; conversions {@code %d %i %u %x %X} with optional
 * {@code l} or {@code ll}, {@code %c}, {@code %s}, {@code %p}/{@code %px}/{@code %pK}, {@code %%};
 * flags {@code 0 + - space} and a width; no precision. Without {@code l} a number is the low
 * 32 bits of its argument. A format outside this dialect, or with more conversions than
 * arguments, is rejected (the helper returns -EINVAL).
 */
final class BpfFormat {
    private BpfFormat() {}

    /** The formatted text, or {@code null} when the kernel would reject the format. */
    static String format(String fmt, long[] args, Memory memory, int pc) {
        StringBuilder out = new StringBuilder();
        int next = 0;
        int n = fmt.length();
        for (int i = 0; i < n; i++) {
            char c = fmt.charAt(i);
            if (c > 0x7e || c < 0x20 && !Character.isWhitespace(c)) {
                return null;
            }
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 1 < n && fmt.charAt(i + 1) == '%') {
                out.append('%');
                i++;
                continue;
            }
            if (next >= args.length) {
                return null;
            }
            long arg = args[next++];
            i++;
            boolean left = false, zero = false, plus = false, space = false;
            for (; i < n; i++) {
                char f = fmt.charAt(i);
                if (f == '-') {
                    left = true;
                } else if (f == '0') {
                    zero = true;
                } else if (f == '+') {
                    plus = true;
                } else if (f == ' ') {
                    space = true;
                } else {
                    break;
                }
            }
            int width = 0;
            while (i < n && Character.isDigit(fmt.charAt(i))) {
                width = Math.min(width * 10 + (fmt.charAt(i) - '0'), 1000);
                i++;
            }
            char conv = i < n ? fmt.charAt(i) : '\0';
            String text;
            boolean numeric = true;
            if (conv == 'p') {
                char kind = i + 1 < n ? fmt.charAt(i + 1) : '\0';
                if (kind == 'x' || kind == 'K') {
                    i++;
                } else if (Character.isLetterOrDigit(kind)) {
                    return null; // %pB, %pI4, %ps ... need kernel objects
                }
                text = String.format("%016x", arg);
            } else if (conv == 'c') {
                text = String.valueOf((char) (arg & 0xff));
                numeric = false;
            } else if (conv == 's') {
                text = cString(arg, memory, pc);
                numeric = false;
            } else {
                boolean wide = false;
                if (conv == 'l') {
                    wide = true;
                    i++;
                    conv = i < n ? fmt.charAt(i) : '\0';
                    if (conv == 'l') {
                        i++;
                        conv = i < n ? fmt.charAt(i) : '\0';
                    }
                }
                long v = wide ? arg : conv == 'd' || conv == 'i' ? (int) arg : arg & 0xffff_ffffL;
                text = switch (conv) {
                    case 'd', 'i' -> (v >= 0 && plus ? "+" : v >= 0 && space ? " " : "") + v;
                    case 'u' -> Long.toUnsignedString(v);
                    case 'x' -> Long.toHexString(v);
                    case 'X' -> Long.toHexString(v).toUpperCase(java.util.Locale.ROOT);
                    default -> null;
                };
                if (text == null) {
                    return null;
                }
            }
            out.append(pad(text, width, left, zero && numeric && !left));
        }
        return out.toString();
    }

    private static String pad(String text, int width, boolean left, boolean zero) {
        if (text.length() >= width) {
            return text;
        }
        String fill = String.valueOf(zero ? '0' : ' ').repeat(width - text.length());
        if (left) {
            return text + fill;
        }
        if (zero && !text.isEmpty() && (text.charAt(0) == '-' || text.charAt(0) == '+' || text.charAt(0) == ' ')) {
            return text.charAt(0) + fill + text.substring(1);
        }
        return fill + text;
    }

    /** A %s argument: a string in the program's memory; unreadable reads as empty, as in the kernel. */
    private static String cString(long pointer, Memory memory, int pc) {
        if (memory.regionOf(pointer) == null || Pointers.offset(pointer) < 0
                || Pointers.offset(pointer) >= memory.regionOf(pointer).length()) {
            return "";
        }
        return new String(memory.readCString(pointer, 1 << 16, pc), StandardCharsets.ISO_8859_1);
    }

    /** The NUL-terminated string at {@code pointer} (within its region), or {@code null} when it has no NUL there. */
    static String readTerminated(Memory memory, long pointer, int pc) {
        Region region = memory.check(pointer, 1, MemoryFault.Access.READ, pc);
        byte[] bytes = memory.readCString(pointer, region.length(), pc);
        long end = Pointers.offset(pointer) + bytes.length;
        return end < region.length() ? new String(bytes, StandardCharsets.ISO_8859_1) : null;
    }

    /** The NUL-terminated format at {@code fmt} within {@code size} bytes, or {@code null} when it has no NUL there. */
    static String readFormat(Memory memory, long fmt, int size, int pc) {
        if (size <= 0) {
            return null;
        }
        byte[] bytes = memory.read(fmt, size, pc);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return new String(bytes, 0, i, StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }
}
