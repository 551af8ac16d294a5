package io.bpf4j.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the committed BPF test corpus: objects built by {@code testdata/build.sh}, their
 * goldens and the C sources they came from.
 *
 * <p>The corpus lives in plain files under {@code testdata/} at the repository root (not in
 * resources), so tests read real files. The root is the system property {@code bpf4j.root}
 * (the root pom's surefire configuration sets it) or, failing that, the nearest directory
 * at or above {@code user.dir} that holds {@code testdata/objects}.
 *
 * <p>Object names are {@code <source>.<cpu>.<el|eb>.o} for clang-19's output, for example
 * {@code calculon_switch.v1.el.o}, and {@code <source>.<cpu>.<el|eb>.clang22.o} for clang-22's
 * ({@code jumptables.v4.el.clang22.o}); the llvm-objdump golden of an object comes from the
 * llvm-objdump of its toolchain ({@link #llvmVersion(Path)}).
 */
public final class TestData {

    /** System property naming the repository root. */
    public static final String ROOT_PROPERTY = "bpf4j.root";

    private TestData() {
    }

    /** The {@code testdata/} directory. */
    public static Path dir() {
        String root = System.getProperty(ROOT_PROPERTY);
        if (root != null && !root.isBlank()) {
            Path dir = Paths.get(root).toAbsolutePath().normalize().resolve("testdata");
            if (Files.isDirectory(dir.resolve("objects"))) {
                return dir;
            }
        }
        for (Path p = Paths.get(System.getProperty("user.dir")).toAbsolutePath().normalize(); p != null;
                p = p.getParent()) {
            if (Files.isDirectory(p.resolve("testdata").resolve("objects"))) {
                return p.resolve("testdata");
            }
            if (p.getFileName() != null && p.getFileName().toString().equals("testdata")
                    && Files.isDirectory(p.resolve("objects"))) {
                return p;
            }
        }
        throw new IllegalStateException("testdata/objects not found from " + ROOT_PROPERTY + "="
                + root + " or above user.dir=" + System.getProperty("user.dir"));
    }

    /** The directory of built objects. */
    public static Path objectsDir() {
        return dir().resolve("objects");
    }

    /**
     * One object of {@code selftests/objects} (programs annotated in the kernel's verifier
     * selftests convention, built by {@code selftests/build.sh}), e.g.
     * {@code selftestObject("selftest_pass.v3.el.o")}.
     */
    public static Path selftestObject(String fileName) {
        Path p = dir().resolve("selftests").resolve("objects").resolve(fileName);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no selftest object " + p);
        }
        return p;
    }

    /** Every {@code .o} object, sorted by file name. */
    public static List<Path> objects() {
        try (Stream<Path> files = Files.list(objectsDir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".o"))
                    .sorted()
                    .collect(Collectors.toUnmodifiableList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Objects whose file name starts with {@code prefix}, sorted. */
    public static List<Path> objectsStartingWith(String prefix) {
        return objects().stream()
                .filter(p -> p.getFileName().toString().startsWith(prefix))
                .collect(Collectors.toUnmodifiableList());
    }

    /**
     * One object by file name, e.g. {@code object("minimal.v1.el.o")}.
     *
     * @throws IllegalArgumentException if there is no such object
     */
    public static Path object(String fileName) {
        Path p = objectsDir().resolve(fileName);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no test object '" + fileName + "' in " + objectsDir());
        }
        return p;
    }

    /**
     * The golden file of one kind for an object: {@code "llvm-objdump"} ({@code llvm-objdump-19
     * -dr}, compare from the first "Disassembly of section" line) or {@code "btf"}
     * ({@code bpftool btf dump file}, raw format). The path may not exist for kinds that only
     * cover some objects (e.g. {@code "libbpf"}, whose files end in {@code .json}).
     */
    public static Path golden(String kind, Path object) {
        String name = object.getFileName().toString();
        Path dir = dir().resolve("goldens").resolve(kind);
        return kind.equals("libbpf") ? dir.resolve(name + ".json") : dir.resolve(name + ".txt");
    }

    /** The C source of an object or a source by name ({@code "calculon_switch"} or {@code "calculon_switch.bpf.c"}). */
    public static Path source(String name) {
        String base = name.endsWith(".bpf.c") ? name : sourceName(name) + ".bpf.c";
        return dir().resolve("src").resolve(base);
    }

    /** The source name an object was built from: {@code "calculon_switch"} for {@code calculon_switch.v1.el.o}. */
    public static String sourceName(String objectFileName) {
        int dot = objectFileName.indexOf('.');
        return dot < 0 ? objectFileName : objectFileName.substring(0, dot);
    }

    /** The {@code -mcpu} an object was built for ({@code "v1"} .. {@code "v4"}). */
    public static String cpu(Path object) {
        return nameParts(object)[1];
    }

    /** The compiler that built an object: {@code "clang-19"} or {@code "clang-22"}. */
    public static String toolchain(Path object) {
        String[] parts = nameParts(object);
        return parts.length == 5 ? "clang-" + parts[3].substring("clang".length()) : "clang-19";
    }

    /**
     * The LLVM major version of an object's toolchain ({@code 19} or {@code 22}), which is also
     * the llvm-objdump whose output is the object's {@code llvm-objdump} golden.
     */
    public static int llvmVersion(Path object) {
        return Integer.parseInt(toolchain(object).substring("clang-".length()));
    }

    /** Objects built by one toolchain ({@code "clang-19"} or {@code "clang-22"}), sorted. */
    public static List<Path> objectsBuiltBy(String toolchain) {
        return objects().stream().filter(o -> toolchain(o).equals(toolchain)).collect(Collectors.toUnmodifiableList());
    }

    /** True for objects built with {@code -target bpfeb}. */
    public static boolean isBigEndian(Path object) {
        return nameParts(object)[2].equals("eb");
    }

    /** The kernel survey: one line per program of every little-endian object. */
    public static Path kernelAccepts() {
        return dir().resolve("goldens").resolve("kernel-accepts.txt");
    }

    /**
     * Kernel test runs of accepted syscall and xdp programs:
     * {@code <object> <program> <input> retval <n>} per line (self-checking programs return 0).
     */
    public static Path kernelRuns() {
        return dir().resolve("goldens").resolve("kernel-runs.txt");
    }

    /**
     * The names of an object's extern symbols (undefined globals of its symbol table:
     * {@code .kconfig} values and {@code __ksym} variables and kfuncs). What libbpf gives the
     * kernel for such an object holds facts of the kernel build and boot (Kconfig values,
     * BTF ids, kallsyms addresses), so tests take it from a live capture.
     */
    public static List<String> externs(Path object) {
        try {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(object));
            b.order(b.get(5) == 2 ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN);
            long shoff = b.getLong(0x28);
            int shentsize = b.getShort(0x3a) & 0xffff;
            int shnum = b.getShort(0x3c) & 0xffff;
            List<String> out = new java.util.ArrayList<>();
            for (int i = 0; i < shnum; i++) {
                int sh = (int) (shoff + (long) i * shentsize);
                if (b.getInt(sh + 4) != 2) { // SHT_SYMTAB
                    continue;
                }
                int off = (int) b.getLong(sh + 0x18);
                int size = (int) b.getLong(sh + 0x20);
                int strtab = (int) (shoff + (long) b.getInt(sh + 0x28) * shentsize);
                int strOff = (int) b.getLong(strtab + 0x18);
                for (int sym = off + 24; sym + 24 <= off + size; sym += 24) {
                    int bind = (b.get(sym + 4) & 0xff) >> 4;
                    int shndx = b.getShort(sym + 6) & 0xffff;
                    int name = b.getInt(sym);
                    if (shndx == 0 && name != 0 && (bind == 1 || bind == 2)) {
                        int end = strOff + name;
                        while (b.get(end) != 0) {
                            end++;
                        }
                        out.add(new String(b.array(), strOff + name, end - strOff - name, java.nio.charset.StandardCharsets.US_ASCII));
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The build manifest: {@code <object> <source> -mcpu=<cpu> -target <bpfel|bpfeb> <clang-NN>} per line. */
    public static Path manifest() {
        return objectsDir().resolve("MANIFEST.txt");
    }

    private static String[] nameParts(Path object) {
        String[] parts = object.getFileName().toString().split("\\.");
        boolean plain = parts.length == 4;
        boolean tagged = parts.length == 5 && parts[3].matches("clang[0-9]+");
        if (!(plain || tagged) || !parts[parts.length - 1].equals("o") || !(parts[2].equals("el") || parts[2].equals("eb"))) {
            throw new IllegalArgumentException("not a test object name <source>.<cpu>.<el|eb>[.clangNN].o: " + object);
        }
        return parts;
    }
}
