package io.bpf4j.isa.abi;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * The running kernel's verifier, asked through bpf(2) by a python3 ctypes helper
 * ({@code bpf_probe.py}, the same script the loader's KernelProfiles.probe() runs): one process,
 * requests and answers one line each.
 */
final class LiveBpf implements AutoCloseable {

    /** The kernel's answer to one BPF_PROG_LOAD. */
    record Verdict(boolean ok, int errno, String log) {
        /** The verifier's error line: the last line before the statistics, or "" on success. */
        String errorLine() {
            String[] lines = log.split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                if (!lines[i].startsWith("processed ") && !lines[i].isBlank()) {
                    return ok ? "" : lines[i];
                }
            }
            return "";
        }
    }

    private final Process process;
    private final Writer in;
    private final BufferedReader out;

    private LiveBpf(Process process) {
        this.process = process;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts the helper, or skips the test (fails it when bpf4j.requireKernel is set) when the kernel is out of reach. */
    static LiveBpf startOrSkip() {
        return startOrSkip(List.of());
    }

    /** As {@link #startOrSkip()}, with the helper run under {@code wrapper} (e.g. capsh dropping capabilities). */
    static LiveBpf startOrSkip(List<String> wrapper) {
        String why = null;
        if (!"root".equals(System.getProperty("user.name"))) {
            why = "not root";
        }
        LiveBpf live = null;
        if (why == null) {
            try {
                // the loader ships this script for KernelProfiles.probe(); isa cannot depend on
                // loader, so its tests run the one copy from the source tree
                Path script = Path.of(System.getProperty("bpf4j.root", ".."),
                        "loader/src/main/resources/io/bpf4j/loader/bpf_probe.py");
                List<String> cmd = new ArrayList<>(wrapper);
                if (wrapper.isEmpty()) {
                    cmd.add("python3");
                    cmd.add(script.toString());
                } else {
                    // the wrapper runs a shell command line (capsh ... -- -c "python3 script")
                    cmd.add("python3 " + script);
                }
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                live = new LiveBpf(p);
                Verdict v = live.load(ProgramType.SOCKET_FILTER, null, 0, 0, 0, exitWith(0));
                if (!v.ok()) {
                    why = "the kernel refuses a trivial socket filter: errno " + v.errno() + " " + v.log();
                }
            } catch (IOException | RuntimeException e) {
                why = "python3 bpf helper unavailable: " + e;
            }
        }
        if (why != null) {
            if (live != null) {
                live.close();
            }
            if (Boolean.getBoolean("bpf4j.requireKernel")) {
                fail("bpf4j.requireKernel is set but the kernel cannot be asked: " + why);
            }
            Assumptions.assumeTrue(false, "live kernel unavailable: " + why);
        }
        return live;
    }

    Verdict load(ProgramType t, AttachType a, int flags, int btfId, int logLevel, byte[] insns) {
        return load(t, a, flags, btfId, logLevel, insns, "GPL");
    }

    /** Loads under the given license string (one word). */
    Verdict load(ProgramType t, AttachType a, int flags, int btfId, int logLevel, byte[] insns, String license) {
        String req = "load " + t.id() + " " + (a == null ? 0 : a.id()) + " " + flags + " " + btfId + " " + logLevel + " "
                + HexFormat.of().formatHex(insns) + " " + license;
        String line = ask(req);
        return new Verdict(line.contains("\"ok\": true"), intField(line, "errno"), stringField(line, "log"));
    }

    /** Creates a map that lives as long as this helper; its fd, or -1. */
    int createMap(MapType type, int keySize, int valueSize, int maxEntries, int flags) {
        String line = ask("map " + type.id() + " " + keySize + " " + valueSize + " " + maxEntries + " " + flags);
        return line.contains("\"ok\": true") ? intField(line, "fd") : -1;
    }

    /** {@code ld_imm64 dst = map fd} (BPF_PSEUDO_MAP_FD), two slots. */
    static byte[] ldMapFd(int dst, int fd) {
        return concat(insn(0x18, dst, 1, 0, fd), insn(0, 0, 0, 0, 0));
    }

    /** Helper ids the kernel lets program type {@code t} call, or null when the type cannot be loaded here. */
    List<Integer> helpers(ProgramType t, AttachType a, int flags, int btfId, int maxId) {
        String line = ask("helpers " + t.id() + " " + (a == null ? 0 : a.id()) + " " + flags + " " + btfId + " " + maxId);
        if (!line.contains("\"ok\": true")) {
            return null;
        }
        Matcher m = Pattern.compile("\"allowed\": \\[([0-9, ]*)]").matcher(line);
        List<Integer> ids = new ArrayList<>();
        if (m.find()) {
            for (String s : m.group(1).split(",\\s*")) {
                if (!s.isBlank()) {
                    ids.add(Integer.parseInt(s.trim()));
                }
            }
        }
        return ids;
    }

    private synchronized String ask(String req) {
        try {
            in.write(req + "\n");
            in.flush();
            String line = out.readLine();
            if (line == null) {
                throw new IOException("bpf helper exited");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int intField(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\": (-?\\d+)").matcher(json);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static String stringField(String json, String name) {
        int i = json.indexOf("\"" + name + "\": \"");
        if (i < 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int k = i + name.length() + 5; k < json.length(); k++) {
            char c = json.charAt(k);
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                char e = json.charAt(++k);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(json.substring(k + 1, k + 5), 16));
                        k += 4;
                    }
                    default -> sb.append(e);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // the process is going away anyway
        }
        process.destroy();
    }

    /** BTF ids of vmlinux types and functions by name, from bpftool (null when unavailable). */
    static java.util.Map<String, Integer> vmlinuxIds(java.util.Set<String> names) {
        java.util.Map<String, Integer> ids = new java.util.HashMap<>();
        try {
            Process p = new ProcessBuilder("bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8))) {
                String line;
                java.util.regex.Pattern pat = java.util.regex.Pattern.compile("^\\[(\\d+)] (?:FUNC|TYPEDEF) '([^']+)'");
                while ((line = r.readLine()) != null) {
                    java.util.regex.Matcher m = pat.matcher(line);
                    if (m.find() && names.contains(m.group(2))) {
                        ids.putIfAbsent(m.group(2), Integer.parseInt(m.group(1)));
                    }
                }
            }
            p.waitFor();
        } catch (java.io.IOException e) {
            return ids;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ids;
    }


    // ---- a few instruction encodings (little-endian, as the kernel takes them) ----

    static byte[] insn(int code, int dst, int src, int off, int imm) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).put((byte) code)
                .put((byte) ((src << 4) | dst)).putShort((short) off).putInt(imm).array();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    static int sizeCode(int size) {
        return switch (size) {
            case 1 -> 0x10;
            case 2 -> 0x08;
            case 4 -> 0x00;
            default -> 0x18;
        };
    }

    static byte[] exitWith(int r0) {
        return concat(insn(0xb7, 0, 0, 0, r0), insn(0x95, 0, 0, 0, 0));
    }

    /** {@code r2 = *(size *)(r1 + off); r0 = ret; exit}. */
    static byte[] ctxLoad(int off, int size, int ret) {
        return concat(insn(0x61 | sizeCode(size) , 2, 1, off, 0), exitWith(ret));
    }

    /** {@code r2 = 0; *(size *)(r1 + off) = r2; r0 = ret; exit}. */
    static byte[] ctxStore(int off, int size, int ret) {
        return concat(insn(0xb7, 2, 0, 0, 0), insn(0x63 | sizeCode(size), 1, 2, off, 0), exitWith(ret));
    }
}
