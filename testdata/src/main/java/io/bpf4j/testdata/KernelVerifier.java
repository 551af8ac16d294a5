package io.bpf4j.testdata;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This machine's kernel verifier as the oracle for bpf4j's: {@code testdata/oracle/kernel_verifier.c},
 * compiled at test time (as {@link LibbpfCapture}'s harness is, with the same compiler) into
 * {@code testdata/target/kernel-verifier/}, loads a
 * hand-assembled program ({@link #verify}) or every program of an object through libbpf
 * ({@link #verifyObject}) and reports the kernel's verdict, errno and log. Everything is
 * captured live, in the test run that compares with it: the kernel build changes between
 * machines of this kind (see {@code kernel-oracle-notes.md}).
 *
 * <p>Numbers are the kernel's own ({@code enum bpf_prog_type}, {@code bpf_attach_type},
 * {@code bpf_map_type}) so that this module needs nothing but the corpus; callers convert
 * from bpf4j's enums.
 */
public final class KernelVerifier {
    /** {@code BPF_F_RDONLY_PROG}: the map is read-only to programs (.rodata). */
    public static final int BPF_F_RDONLY_PROG = 1 << 7;
    /** Where the kernel puts its complexity statistics (level 1 and 2 print it; 4 adds time and stack depth). */
    private static final Pattern PROCESSED = Pattern.compile(
            "processed (\\d+) insns \\(limit \\d+\\) max_states_per_insn (\\d+) total_states (\\d+) peak_states (\\d+) mark_read (\\d+)");
    private static final Pattern TIME = Pattern.compile("(?m)^verification time (\\d+) usec$");
    private static final Pattern STACK = Pattern.compile("(?m)^stack depth ([0-9+]+)$");
    private static final String[] STATISTICS = {"processed ", "verification time ", "stack depth ", "Warning: ", "SCC exit"};
    /** System property: a directory holding another libbpf to build the harness against (see {@link #compile}). */
    public static final String LIBBPF_PROPERTY = "bpf4j.kernelVerifier.libbpf";
    // level-2 logs of big programs run to hundreds of megabytes, beyond Jackson's default 20 MB string limit
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build()).build());
    private static final KernelVerifier INSTANCE = new KernelVerifier();
    private static String unavailable;
    private static Path binary;
    private static boolean probed;

    /**
     * A map the program references: the kernel's {@code bpf_map_type} number, sizes, flags,
     * {@code map_extra}; {@code frozen} freezes it after {@code initialValue} (key 0, may be
     * null) is written, which with {@link #BPF_F_RDONLY_PROG} makes it what .rodata is;
     * {@code inner} is the inner map template of a map-in-map (else null).
     */
    public record MapDef(int type, int keySize, int valueSize, int maxEntries, int flags, long mapExtra, boolean frozen,
                         MapDef inner, byte[] initialValue) {
        public static MapDef of(int type, int keySize, int valueSize, int maxEntries) {
            return new MapDef(type, keySize, valueSize, maxEntries, 0, 0, false, null, null);
        }

        public MapDef withFlags(int newFlags) {
            return new MapDef(type, keySize, valueSize, maxEntries, newFlags, mapExtra, frozen, inner, initialValue);
        }

        public MapDef withMapExtra(long extra) {
            return new MapDef(type, keySize, valueSize, maxEntries, flags, extra, frozen, inner, initialValue);
        }

        /** Read-only to programs and frozen, holding {@code value} at key 0 (as libbpf makes .rodata). */
        public MapDef readOnly(byte[] value) {
            return new MapDef(type, keySize, valueSize, maxEntries, flags | BPF_F_RDONLY_PROG, mapExtra, true, inner, value);
        }

        public MapDef withInner(MapDef innerMap) {
            return new MapDef(type, keySize, valueSize, maxEntries, flags, mapExtra, frozen, innerMap, initialValue);
        }
    }

    /**
     * One BPF_PROG_LOAD: program type, expected attach type, the instructions' bytes
     * (little-endian, as this host runs them), maps by index, log level (1, 2, with 4 for
     * statistics), {@code prog_flags} and a name (at most 15 characters kept).
     */
    public record Program(int programType, int expectedAttachType, byte[] instructions, List<MapDef> maps,
                          int logLevel, int progFlags, String name) {
        public Program {
            maps = List.copyOf(maps);
        }

        public static Program of(int programType, byte[] instructions) {
            return new Program(programType, 0, instructions, List.of(), 1, 0, "");
        }

        public Program withExpectedAttachType(int attachType) {
            return new Program(programType, attachType, instructions, maps, logLevel, progFlags, name);
        }

        public Program withMaps(List<MapDef> newMaps) {
            return new Program(programType, expectedAttachType, instructions, newMaps, logLevel, progFlags, name);
        }

        public Program withLogLevel(int level) {
            return new Program(programType, expectedAttachType, instructions, maps, level, progFlags, name);
        }

        public Program withProgFlags(int flags) {
            return new Program(programType, expectedAttachType, instructions, maps, logLevel, flags, name);
        }
    }

    /**
     * The kernel's answer: {@code errno} 0 when accepted; {@code errorLine} is the line a user
     * reads as the reason (the last line of the log that is not a statistic), null when
     * accepted or when the log says nothing (lockdown's EPERM, libbpf refusing before the
     * kernel saw the program: then {@code libbpf} holds libbpf's messages). Statistics are -1
     * when the log has no such line.
     */
    public record Verdict(boolean accepted, int errno, String log, String errorLine, int processedInsns,
                          int maxStatesPerInsn, int totalStates, int peakStates, int markRead,
                          long verificationTimeUsec, String stackDepth, String libbpf) {
        /** {@code accepted} or {@code rejected: <error line | errno text>}, for messages. */
        public String summary() {
            return accepted ? "accepted" : "rejected: " + (errorLine != null ? errorLine : "errno " + errno + " (empty log)");
        }
    }

    /** One program of an object as libbpf and the kernel saw it; {@code instructions} as libbpf passed them on. */
    public record ObjectProgram(String name, String section, int programType, int expectedAttachType, boolean autoload,
                                byte[] instructions, Verdict verdict) {}

    /** Every program of an object, or why libbpf could not open it ({@code openError}, programs empty). */
    public record ObjectVerdicts(Path file, String openError, List<ObjectProgram> programs) {
        public ObjectProgram program(String name) {
            return programs.stream().filter(p -> name.equals(p.name())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no program '" + name + "' in " + file));
        }
    }

    private KernelVerifier() {
    }

    /**
     * The oracle, or the calling test skipped (JUnit assumption) when this machine cannot load
     * BPF programs, failed instead when {@code -Dbpf4j.requireKernel=true}.
     */
    public static KernelVerifier require() {
        KernelFacts.assume(unavailableReason());
        return INSTANCE;
    }

    /**
     * Why the kernel cannot judge programs here ({@link LiveKernel#unavailableReason()}: root,
     * bpffs, libbpf...; no C compiler; BPF refused), or null. Builds the harness on first use.
     */
    public static synchronized String unavailableReason() {
        if (!probed) {
            probed = true;
            try {
                unavailable = LiveKernel.unavailableReason();
                if (unavailable == null) {
                    binary = compile();
                    // r0 = 0; exit: a socket filter any BPF-capable kernel takes
                    Verdict v = INSTANCE.verify(Program.of(1, HexFormat.of().parseHex("b7000000000000009500000000000000")));
                    if (!v.accepted()) {
                        unavailable = "the kernel refuses the smallest program: errno " + v.errno() + " " + v.log();
                    }
                }
            } catch (RuntimeException | IOException e) {
                unavailable = "cannot build or run the kernel verifier harness (cc, libbpf-dev): " + e.getMessage();
            }
        }
        return unavailable;
    }

    /** Loads one hand-assembled program with its maps and returns the kernel's verdict and log. */
    public Verdict verify(Program p) {
        JsonNode r = raw(p, "", false);
        return verdict(r.get("verdict").asText().equals("accepted"), r.get("errno").asInt(), r.get("log").asText(), "");
    }

    /**
     * As {@link #verify}, loaded by a user without any capability (maps too); call it inside
     * {@link UnprivilegedBpf#enabled}.
     */
    public Verdict verifyUnprivileged(Program p) {
        JsonNode r = raw(p, "", true);
        return verdict(r.get("verdict").asText().equals("accepted"), r.get("errno").asInt(), r.get("log").asText(), "");
    }

    /** What the kernel's log buffer held after a load with a buffer of exactly {@code logSize} bytes. */
    public record FixedLog(int errno, String log, long logTrueSize) {}

    /**
     * Loads {@code p} with a log buffer of {@code logSize} bytes and no retry: a log that does not
     * fit leaves its end in the buffer and fails the load with ENOSPC, however safe the program.
     */
    public FixedLog verifyWithLogSize(Program p, int logSize) {
        JsonNode r = raw(p, "log_size " + logSize + "\n", false);
        return new FixedLog(r.get("errno").asInt(), r.get("log").asText(), r.get("log_true_size").asLong());
    }

    private JsonNode raw(Program p, String extra, boolean unprivileged) {
        StringBuilder spec = new StringBuilder(extra);
        spec.append("prog_type ").append(p.programType()).append('\n');
        spec.append("expected_attach_type ").append(p.expectedAttachType()).append('\n');
        spec.append("log_level ").append(p.logLevel()).append('\n');
        spec.append("prog_flags ").append(p.progFlags()).append('\n');
        if (!p.name().isEmpty()) {
            spec.append("name ").append(p.name()).append('\n');
        }
        for (MapDef m : p.maps()) {
            spec.append("map ").append(fields(m)).append(' ').append(m.frozen() ? 1 : 0);
            if (m.inner() != null) {
                spec.append(" inner ").append(fields(m.inner()));
            }
            if (m.initialValue() != null && m.initialValue().length > 0) {
                spec.append(" value ").append(HexFormat.of().formatHex(m.initialValue()));
            }
            spec.append('\n');
        }
        spec.append("insns ").append(HexFormat.of().formatHex(p.instructions())).append('\n');
        List<String> cmd = List.of(binary().toString(), "raw");
        JsonNode r = json(run(unprivileged ? UnprivilegedBpf.unprivileged(cmd) : cmd, spec.toString()));
        if (r.get("verdict").asText().equals("setup_error")) {
            throw new IllegalStateException("kernel_verifier: " + r.get("stage").asText() + " failed with errno "
                    + r.get("errno").asInt() + " for " + p.maps());
        }
        return r;
    }

    /** Every program of {@code object} (or only those named), each loaded with a log of {@code logLevel}. */
    public ObjectVerdicts verifyObject(Path object, int logLevel, String... programs) {
        return verifyObject(object, logLevel, 0, programs);
    }

    /** As {@link #verifyObject(Path, int, String...)}, with {@code progFlags} or'ed into each program's flags. */
    public ObjectVerdicts verifyObject(Path object, int logLevel, int progFlags, String... programs) {
        return objectVerdicts(object, false, logLevel, progFlags, programs);
    }

    /**
     * The programs named (all when none is) loaded one at a time by a user without any
     * capability, as test_loader's {@code @unpriv} runs load them: the kernel refuses the
     * object's BTF, so libbpf loads the programs without it. Call it inside
     * {@link UnprivilegedBpf#enabled}; {@link UnprivilegedBpf#unavailableReason()} says whether
     * this machine can.
     */
    public ObjectVerdicts verifyObjectUnprivileged(Path object, int logLevel, String... programs) {
        if (programs.length == 0) {
            throw new IllegalArgumentException("name the programs: an unprivileged load of a whole object is not what test_loader does");
        }
        return objectVerdicts(object, true, logLevel, 0, programs);
    }

    private ObjectVerdicts objectVerdicts(Path object, boolean unprivileged, int logLevel, int progFlags, String... programs) {
        List<String> cmd = new ArrayList<>(List.of(binary().toString(), "object", object.toAbsolutePath().toString(),
                Integer.toString(logLevel), Integer.toString(progFlags)));
        cmd.addAll(List.of(programs));
        JsonNode r = json(run(unprivileged ? UnprivilegedBpf.unprivileged(cmd) : cmd, null));
        List<ObjectProgram> out = new ArrayList<>();
        for (JsonNode p : r.get("programs")) {
            if (p.get("name").isNull()) {
                throw new IllegalStateException("libbpf could not reopen " + object + ": " + p.get("libbpf").asText());
            }
            Verdict v = verdict(p.get("verdict").asText().equals("accepted"), p.get("errno").asInt(),
                    p.get("log").asText(), p.get("libbpf").asText());
            out.add(new ObjectProgram(p.get("name").asText(), p.get("section").asText(), p.get("prog_type").asInt(),
                    p.get("expected_attach_type").asInt(), p.get("autoload").asBoolean(),
                    HexFormat.of().parseHex(p.get("insns").asText()), v));
        }
        JsonNode open = r.get("open_error");
        return new ObjectVerdicts(object, open == null || open.isNull() ? null : open.asText().strip(), List.copyOf(out));
    }

    /**
     * The line a user reads as the reason for a rejection: the last line of the log that is
     * not a statistic; when the instruction limit cuts the log, the limit message (the kernel
     * runs it into the last instruction's line). Null when there is none.
     */
    public static String errorLine(String log) {
        String best = null;
        for (String line : log.split("\n")) {
            if (!line.isBlank() && !isStatistic(line)) {
                best = line;
            }
        }
        if (best != null) {
            int limit = best.indexOf("BPF program is too large");
            if (limit > 0) {
                best = best.substring(limit);
            }
        }
        return best;
    }

    private static boolean isStatistic(String line) {
        for (String p : STATISTICS) {
            if (line.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static Verdict verdict(boolean accepted, int errno, String log, String libbpf) {
        Matcher m = PROCESSED.matcher(log);
        int[] s = {-1, -1, -1, -1, -1};
        if (m.find()) {
            for (int i = 0; i < 5; i++) {
                s[i] = Integer.parseInt(m.group(i + 1));
            }
        }
        Matcher t = TIME.matcher(log);
        Matcher d = STACK.matcher(log);
        return new Verdict(accepted, errno, log, accepted ? null : errorLine(log), s[0], s[1], s[2], s[3], s[4],
                t.find() ? Long.parseLong(t.group(1)) : -1, d.find() ? d.group(1) : null, libbpf);
    }

    private static String fields(MapDef m) {
        return m.type() + " " + m.keySize() + " " + m.valueSize() + " " + m.maxEntries() + " "
                + Integer.toUnsignedString(m.flags()) + " " + Long.toUnsignedString(m.mapExtra());
    }

    private static synchronized Path binary() {
        if (binary == null) {
            throw new IllegalStateException("kernel verifier unavailable: "
                    + Objects.requireNonNullElse(unavailableReason(), "not compiled"));
        }
        return binary;
    }

    /**
     * Builds the harness once per source text and libbpf (the name carries their hash, so an edit
     * rebuilds it): against this machine's libbpf, or with {@value #LIBBPF_PROPERTY}=DIR against
     * another one ({@code DIR/include/bpf/libbpf.h}, {@code DIR/libbpf.a}), e.g. the libbpf of the
     * kernel tree whose selftests are compared, which knows that tree's section names.
     */
    private static Path compile() throws IOException {
        Path source = TestData.dir().resolve("oracle").resolve("kernel_verifier.c");
        byte[] text = Files.readAllBytes(source);
        String libbpf = System.getProperty(LIBBPF_PROPERTY, "");
        List<String> link = libbpf.isBlank() ? List.of("-lbpf")
                : List.of("-I" + Path.of(libbpf, "include"), Path.of(libbpf, "libbpf.a").toString(), "-lelf", "-lz");
        String hash;
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(text);
            md.update(libbpf.getBytes(StandardCharsets.UTF_8));
            hash = HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path dir = TestData.dir().resolve("target").resolve("kernel-verifier");
        Path bin = dir.resolve("kernel_verifier-" + hash);
        if (Files.isExecutable(bin)) {
            return bin;
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "build", ".tmp");
        try {
            List<String> cmd = new ArrayList<>(List.of(LibbpfCapture.compiler(), "-O1", "-Wall", "-o", tmp.toString()));
            if (!libbpf.isBlank()) {
                cmd.add(link.get(0));
                cmd.add(source.toString());
                cmd.addAll(link.subList(1, link.size()));
            } else {
                cmd.add(source.toString());
                cmd.addAll(link);
            }
            Exec.run(cmd).orThrow(cmd);
            // several test JVMs may build it at once: the rename makes one of them win whole
            Files.move(tmp, bin, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return bin;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("kernel_verifier printed no JSON: " + text, e);
        }
    }

    private static String run(List<String> cmd, String stdin) {
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            byte[] out = readAll(p.getInputStream());
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + cmd);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): "
                        + new String(err.join(), StandardCharsets.UTF_8) + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(InputStream s) {
        try (s) {
            return s.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
