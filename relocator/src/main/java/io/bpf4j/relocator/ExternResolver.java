package io.bpf4j.relocator;

import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfKind;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.elf.spec.Extern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * libbpf's {@code bpf_object__resolve_externs}: fills the {@code .kconfig} image from Kconfig
 * text and the virtual {@code LINUX_*} values, and resolves kernel symbols against a target BTF
 * (typed variables, kfuncs) or given addresses (typeless symbols). Host facts come in through
 * {@link RelocatorOptions}.
 */
final class ExternResolver {
    private static final Logger LOG = LoggerFactory.getLogger(ExternResolver.class);

    /** What each extern resolved to. */
    static final class Resolved {
        final byte[] kconfig;
        final boolean[] set;
        final int[] btfId;
        final long[] address;

        Resolved(int n, int kconfigSize) {
            kconfig = new byte[kconfigSize];
            set = new boolean[n];
            btfId = new int[n];
            address = new long[n];
        }
    }

    private ExternResolver() {}

    static Resolved resolve(List<Extern> externs, int kconfigSize, RelocatorOptions options) {
        Resolved r = new Resolved(externs.size(), kconfigSize);
        boolean needConfig = false;
        for (int i = 0; i < externs.size(); i++) {
            Extern e = externs.get(i);
            if (e.kind() == Extern.Kind.KCONFIG && e.name().startsWith("LINUX_")) {
                long value;
                if (e.name().equals("LINUX_KERNEL_VERSION")) {
                    value = Integer.toUnsignedLong(options.kernelVersion());
                    if (value == 0) {
                        throw externError("extern (kcfg) '" + e.name() + "': failed to get kernel version", e);
                    }
                } else if (e.name().equals("LINUX_HAS_BPF_COOKIE")) {
                    value = options.hasBpfCookie() ? 1 : 0;
                } else if (e.name().equals("LINUX_HAS_SYSCALL_WRAPPER")) {
                    value = options.hasSyscallWrapper() ? 1 : 0;
                } else if (!e.weak()) {
                    throw externError("extern (kcfg) '" + e.name() + "': unrecognized virtual extern", e);
                } else {
                    continue;
                }
                setNumber(e, r, i, value);
            } else if (e.kind() == Extern.Kind.KCONFIG && e.name().startsWith("CONFIG_")) {
                needConfig = true;
            } else if (e.kind() == Extern.Kind.KCONFIG) {
                throw externError("unrecognized extern '" + e.name() + "'", e);
            }
        }
        if (needConfig && options.kconfig() != null) {
            for (String line : options.kconfig().split("\n")) {
                kconfigLine(line, externs, r);
            }
        }
        for (int i = 0; i < externs.size(); i++) {
            Extern e = externs.get(i);
            if (e.kind() == Extern.Kind.KSYM) {
                resolveKsym(e, i, r, options);
            }
        }
        for (int i = 0; i < externs.size(); i++) {
            Extern e = externs.get(i);
            if (!r.set[i] && !e.weak()) {
                throw externError("extern '" + e.name() + "' (strong): not resolved", e);
            }
            if (!r.set[i]) {
                LOG.debug("extern '{}' (weak): not resolved, defaulting to zero", e.name());
            }
        }
        return r;
    }

    private static RelocationException externError(String message, Extern e) {
        return new RelocationException(message, null, -1, -1, e.name());
    }

    private static void resolveKsym(Extern e, int i, Resolved r, RelocatorOptions options) {
        if (e.typeless()) {
            Long addr = options.kallsyms().get(e.name());
            if (addr != null) {
                r.address[i] = addr;
                r.set[i] = true;
            }
            return;
        }
        Optional<Btf> target = options.target();
        String kind = e.function() ? "func" : "var";
        if (target.isEmpty()) {
            if (!e.weak()) {
                throw externError("extern (" + kind + " ksym) '" + e.name()
                        + "': no target BTF to resolve it against (give one in the open options)", e);
            }
            LOG.warn("extern ({} ksym) '{}': no target BTF, leaving the weak extern unresolved", kind, e.name());
            return;
        }
        String name = e.function() ? essentialName(e.name()) : e.name();
        Optional<BtfType> found = target.get().findByName(name, e.function() ? BtfKind.FUNC : BtfKind.VAR);
        if (found.isEmpty()) {
            if (e.weak()) {
                return;
            }
            throw externError(e.function() ? "extern (func ksym) '" + e.name() + "': not found in kernel or module BTFs"
                    : "extern (var ksym) '" + e.name() + "': not found in kernel BTF", e);
        }
        r.btfId[i] = found.get().id();
        r.set[i] = true;
    }

    /** The name without a {@code ___flavor} suffix, as libbpf's {@code bpf_core_essential_name_len}. */
    static String essentialName(String name) {
        int n = name.length();
        for (int i = n - 5; i >= 0; i--) {
            if (name.charAt(i) != '_' && name.charAt(i + 1) == '_' && name.charAt(i + 2) == '_'
                    && name.charAt(i + 3) == '_' && name.charAt(i + 4) != '_') {
                return name.substring(0, i + 1);
            }
        }
        return name;
    }

    private static void kconfigLine(String raw, List<Extern> externs, Resolved r) {
        String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
        if (!line.startsWith("CONFIG_")) {
            return;
        }
        int sep = line.indexOf('=');
        if (sep < 0) {
            throw new RelocationException("failed to parse '" + line + "': no separator", null, -1, -1, null);
        }
        if (sep == line.length() - 1) {
            throw new RelocationException("failed to parse '" + line + "': no value", null, -1, -1, null);
        }
        String name = line.substring(0, sep);
        String value = line.substring(sep + 1);
        int i = -1;
        for (int j = 0; j < externs.size(); j++) {
            if (externs.get(j).kind() == Extern.Kind.KCONFIG && externs.get(j).name().equals(name)) {
                i = j;
                break;
            }
        }
        if (i < 0 || r.set[i]) {
            return;
        }
        Extern e = externs.get(i);
        char c = value.charAt(0);
        if (c == 'y' || c == 'n' || c == 'm') {
            setTristate(e, r, i, c);
        } else if (c == '"') {
            setString(e, r, i, value);
        } else {
            long num;
            try {
                num = parseU64(value);
            } catch (NumberFormatException ex) {
                throw externError("extern (kcfg) '" + e.name() + "': value '" + value + "' isn't a valid integer", e);
            }
            if (e.kcfgType() != Extern.KcfgType.INT && e.kcfgType() != Extern.KcfgType.CHAR) {
                throw externError("extern (kcfg) '" + e.name() + "': value '" + value + "' implies integer type", e);
            }
            setNumber(e, r, i, num);
        }
    }

    // strtoull with base 0: 0x hex, leading 0 octal, else decimal; a leading '-' negates modulo 2^64
    private static long parseU64(String s) {
        String t = s.trim();
        boolean neg = false;
        if (t.startsWith("-") || t.startsWith("+")) {
            neg = t.startsWith("-");
            t = t.substring(1);
        }
        BigInteger v;
        if (t.startsWith("0x") || t.startsWith("0X")) {
            v = new BigInteger(t.substring(2), 16);
        } else if (t.length() > 1 && t.startsWith("0")) {
            v = new BigInteger(t.substring(1), 8);
        } else {
            v = new BigInteger(t, 10);
        }
        if (v.bitLength() > 64) {
            throw new NumberFormatException(s);
        }
        return neg ? -v.longValue() : v.longValue();
    }

    private static void setTristate(Extern e, Resolved r, int i, char value) {
        int off = e.dataOffset();
        switch (e.kcfgType()) {
            case BOOL:
                if (value == 'm') {
                    throw externError("extern (kcfg) '" + e.name() + "': value '" + value + "' implies tristate or char type", e);
                }
                r.kconfig[off] = (byte) (value == 'y' ? 1 : 0);
                break;
            case TRISTATE:
                putLe(r.kconfig, off, e.size(), value == 'y' ? 1 : value == 'm' ? 2 : 0);
                break;
            case CHAR:
                r.kconfig[off] = (byte) value;
                break;
            default:
                throw externError("extern (kcfg) '" + e.name() + "': value '" + value
                        + "' implies bool, tristate, or char type", e);
        }
        r.set[i] = true;
    }

    private static void setString(Extern e, Resolved r, int i, String value) {
        if (e.kcfgType() != Extern.KcfgType.CHAR_ARRAY) {
            throw externError("extern (kcfg) '" + e.name() + "': value '" + value + "' implies char array type", e);
        }
        if (!value.endsWith("\"") || value.length() < 2) {
            throw externError("extern (kcfg) '" + e.name() + "': invalid string config '" + value + "'", e);
        }
        byte[] s = value.substring(1, value.length() - 1).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int len = s.length;
        if (len >= e.size()) {
            LOG.warn("extern (kcfg) '{}': long string '{}' of ({} bytes) truncated to {} bytes", e.name(), value, len, e.size() - 1);
            len = e.size() - 1;
        }
        System.arraycopy(s, 0, r.kconfig, e.dataOffset(), len);
        r.kconfig[e.dataOffset() + len] = 0;
        r.set[i] = true;
    }

    private static void setNumber(Extern e, Resolved r, int i, long value) {
        Extern.KcfgType t = e.kcfgType();
        if (t != Extern.KcfgType.INT && t != Extern.KcfgType.CHAR && t != Extern.KcfgType.BOOL) {
            throw externError("extern (kcfg) '" + e.name() + "': value '" + Long.toUnsignedString(value)
                    + "' implies integer, char, or boolean type", e);
        }
        if (t == Extern.KcfgType.BOOL && Long.compareUnsigned(value, 1) > 0) {
            throw externError("extern (kcfg) '" + e.name() + "': value '" + Long.toUnsignedString(value)
                    + "' isn't boolean compatible", e);
        }
        if (t != Extern.KcfgType.BOOL && !inRange(e, value)) {
            throw externError("extern (kcfg) '" + e.name() + "': value '" + Long.toUnsignedString(value)
                    + "' doesn't fit in " + e.size() + " bytes", e);
        }
        putLe(r.kconfig, e.dataOffset(), e.size(), value);
        r.set[i] = true;
    }

    private static boolean inRange(Extern e, long v) {
        int bits = e.size() * 8;
        if (e.size() == 8) {
            return true;
        }
        if (e.signed()) {
            return Long.compareUnsigned(v + (1L << (bits - 1)), 1L << bits) < 0;
        }
        return (v >>> bits) == 0;
    }

    // kconfig values are written in host (little-endian) order, as libbpf does on x86-64
    private static void putLe(byte[] b, int off, int size, long v) {
        for (int k = 0; k < size && k < 8; k++) {
            b[off + k] = (byte) (v >>> (8 * k));
        }
    }
}
