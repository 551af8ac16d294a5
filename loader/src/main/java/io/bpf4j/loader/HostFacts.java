package io.bpf4j.loader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** What the loader reads from the running system (the only place bpf4j looks at the host). */
final class HostFacts {
    private HostFacts() {}

    /** {@code KERNEL_VERSION(major, minor, min(patch, 255))} of the running kernel, or 0 when unknown. */
    static int kernelVersion() {
        try {
            String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
            return parseRelease(release);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static int parseRelease(String release) {
        Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\.(\\d+))?").matcher(release);
        if (!m.find()) {
            return 0;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return (major << 16) + (minor << 8) + Math.min(patch, 255);
    }

    /**
     * Addresses of the named symbols in /proc/kallsyms (for typeless {@code __ksym} externs),
     * as libbpf reads them: a data symbol's {@code .llvm.<hash>} suffix is ignored.
     */
    static java.util.Map<String, Long> kallsyms(java.util.Set<String> names) {
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        java.util.BitSet lengths = new java.util.BitSet();
        for (String n : names) {
            lengths.set(n.length());
        }
        try (java.io.BufferedReader r = Files.newBufferedReader(Path.of("/proc/kallsyms"), StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = r.readLine()) != null) {
                // "address type name[\t[module]]", split by hand: a regex split of every one of the
                // ~10^5 lines cost more than the rest of opening an object
                int typeAt = line.indexOf(' ') + 1;
                int nameAt = typeAt > 0 ? line.indexOf(' ', typeAt) + 1 : 0;
                if (nameAt <= typeAt + 1 || nameAt >= line.length()) {
                    continue;
                }
                int nameEnd = nameAt;
                while (nameEnd < line.length() && !Character.isWhitespace(line.charAt(nameEnd))) {
                    nameEnd++;
                }
                char type = line.charAt(typeAt);
                int llvm = line.indexOf(".llvm.", nameAt);
                if (llvm > nameAt && llvm < nameEnd && nameAt == typeAt + 2 && (type == 'd' || type == 'D')) {
                    nameEnd = llvm;
                }
                if (!lengths.get(nameEnd - nameAt)) {
                    continue;
                }
                String name = line.substring(nameAt, nameEnd);
                if (names.contains(name) && !out.containsKey(name)) {
                    out.put(name, Long.parseUnsignedLong(line, 0, typeAt - 1, 16));
                }
            }
        } catch (IOException | RuntimeException e) {
            return out;
        }
        return out;
    }

    /** The host's Kconfig text as libbpf finds it: /boot/config-$(uname -r), then /proc/config.gz; null when neither. */
    static String kconfig() {
        try {
            String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
            Path boot = Path.of("/boot/config-" + release);
            if (Files.isReadable(boot)) {
                return Files.readString(boot, StandardCharsets.ISO_8859_1);
            }
        } catch (IOException e) {
            // fall through to /proc/config.gz
        }
        Path proc = Path.of("/proc/config.gz");
        if (!Files.isReadable(proc)) {
            return null;
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(proc))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return null;
        }
    }
}
