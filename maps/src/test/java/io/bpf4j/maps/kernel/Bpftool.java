package io.bpf4j.maps.kernel;

import io.bpf4j.isa.abi.Errno;
import io.bpf4j.testdata.Exec;
import io.bpf4j.testdata.KernelFacts;
import io.bpf4j.testdata.LiveKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This machine's kernel as the oracle for map semantics, reached through {@code bpftool map}
 * in JSON mode: maps are pinned under {@code /sys/fs/bpf} and removed by {@link #close}.
 * An error is read from bpftool's exit code ({@code -errno}) or, when that is -1, from the
 * {@code strerror} text at the end of its message.
 */
final class Bpftool implements AutoCloseable {
    static final Path PIN_DIR = LiveKernel.BPFFS;
    private static Boolean available;

    private final List<Path> pins = new ArrayList<>();
    private int seq;

    /** The outcome of one bpftool command: stdout and the errno it reported (null on success). */
    record Result(String out, Errno errno, String error) {
        boolean ok() {
            return errno == null && error == null;
        }
    }

    /** Skips the calling test without a usable kernel, or fails it when {@code bpf4j.requireKernel} is true. */
    static void assumeKernel() {
        KernelFacts.assume(isAvailable() ? null : "bpftool cannot create maps here (root, bpftool and bpffs are needed)");
    }

    static synchronized boolean isAvailable() {
        if (available == null) {
            available = probe();
        }
        return available;
    }

    private static boolean probe() {
        if (LiveKernel.bpftoolUnavailableReason() != null) {
            return false;
        }
        try (Bpftool b = new Bpftool()) {
            return b.create("array", 4, 4, 1, 0).ok();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The kernel's possible CPU count, which sizes per-CPU values in user space. */
    static int possibleCpus() {
        try {
            String s = Files.readString(Path.of("/sys/devices/system/cpu/possible")).trim();
            int n = 0;
            for (String part : s.split(",")) {
                String[] r = part.split("-");
                n += r.length == 1 ? 1 : Integer.parseInt(r[1]) - Integer.parseInt(r[0]) + 1;
            }
            return n;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path lastPin;

    /** Creates and pins a map; {@link #pin()} names it afterwards. */
    Result create(String type, int key, int value, int entries, int flags) {
        return create(type, key, value, entries, flags, null);
    }

    /** Creates a map of maps whose inner template is the map pinned at {@code innerPin}. */
    Result create(String type, int key, int value, int entries, int flags, Path innerPin) {
        Path pin = PIN_DIR.resolve("bpf4j_maps_test_" + ProcessHandle.current().pid() + "_" + (seq++));
        List<String> cmd = new ArrayList<>(List.of("bpftool", "-j", "map", "create", pin.toString(), "type", type,
                "key", Integer.toUnsignedString(key), "value", Integer.toUnsignedString(value), "entries", Integer.toUnsignedString(entries),
                "name", "bpf4j_t"));
        if (flags != 0) {
            cmd.add("flags");
            cmd.add(Integer.toString(flags));
        }
        if (innerPin != null) {
            cmd.addAll(List.of("inner_map", "pinned", innerPin.toString()));
        }
        Result r = run(cmd);
        if (r.ok()) {
            pins.add(pin);
            lastPin = pin;
        }
        return r;
    }

    Path pin() {
        return lastPin;
    }

    Result map(Path pin, String verb, Object... args) {
        List<String> cmd = new ArrayList<>(List.of("bpftool", "-j", "map", verb, "pinned", pin.toString()));
        for (Object a : args) {
            if (a instanceof byte[]) {
                for (byte b : (byte[]) a) {
                    cmd.add(String.format("0x%02x", b & 0xff));
                }
            } else {
                cmd.add(a.toString());
            }
        }
        return run(cmd);
    }

    private static final Pattern ERROR = Pattern.compile("\"error\":\"([^\"]*)\"");

    static Result run(List<String> cmd) {
        Exec.Output o = Exec.capture(cmd);
        int rc = o.exit();
        if (rc == 0) {
            return new Result(o.out(), null, null);
        }
        Matcher m = ERROR.matcher(o.out());
        String msg = m.find() ? m.group(1) : o.err().trim();
        Errno e = rc != 255 ? Errno.ofNumber(256 - rc) : null;
        if (e == null) {
            int colon = msg.lastIndexOf(": ");
            e = Errno.ofDescription(colon >= 0 ? msg.substring(colon + 2) : msg);
        }
        return new Result(o.out(), e, msg);
    }

    private static final Pattern HEX_LIST = Pattern.compile("\"(\\w+)\":\\[((?:\"0x[0-9a-f]{2}\",?)*)\\]");

    /** The byte lists named {@code field} in bpftool's JSON, in order ({@code value} once per CPU for per-CPU maps). */
    static List<byte[]> hexField(String json, String field) {
        List<byte[]> out = new ArrayList<>();
        Matcher m = HEX_LIST.matcher(json);
        while (m.find()) {
            if (!m.group(1).equals(field)) {
                continue;
            }
            String body = m.group(2);
            if (body.isEmpty()) {
                out.add(new byte[0]);
                continue;
            }
            String[] parts = body.split(",");
            byte[] b = new byte[parts.length];
            for (int i = 0; i < parts.length; i++) {
                b[i] = (byte) Integer.parseInt(parts[i].substring(3, 5), 16);
            }
            out.add(b);
        }
        return out;
    }

    @Override
    public void close() {
        for (Path p : pins) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a pin left behind only costs kernel memory until reboot; keep closing the rest
            }
        }
        pins.clear();
    }
}
