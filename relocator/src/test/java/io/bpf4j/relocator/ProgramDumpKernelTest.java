package io.bpf4j.relocator;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.isa.text.BpftoolSyntax;
import io.bpf4j.testdata.Exec;
import io.bpf4j.testdata.KernelFacts;
import io.bpf4j.testdata.LiveKernel;
import io.bpf4j.testdata.Refusal;
import io.bpf4j.testdata.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relocated programs of the calculon variants and of the jump-table and call-table objects,
 * printed by {@link ProgramDump} as {@code bpftool prog dump xlated opcodes} prints a loaded
 * program, against what bpftool prints for the same program loaded (through libbpf) into the
 * running kernel, line for line. The kernel's own naming is undone first: a map by id
 * becomes the name the kernel gives that map, a subprogram's {@code bpf_prog_<tag>_} prefix
 * goes, and bpftool's source-line and signature lines are left out (ProgramDump prints
 * instructions only). A program the kernel refuses (no callx before 6.19; libbpf 1.1 cannot
 * load call or jump tables) is skipped by name with the reason.
 */
@Tag("kernel")
class ProgramDumpKernelTest {
    static final List<String> OBJECTS = List.of("calculon_switch.v1.el.o", "calculon_funcptr.v1.el.o",
            "calculon_table.v1.el.o", "jumptables.v4.el.o", "calltables.v3.el.o");
    private static final Pattern MAP_ID = Pattern.compile("map\\[id:(\\d+)\\]");
    private static final Map<String, LiveKernel> LOADED = new HashMap<>();
    private static final Pattern XDP_CTX_LOAD = Pattern.compile("( *\\d+: )\\(61\\) (r\\d) = \\*\\(u32 \\*\\)\\((r\\d) \\+(\\d+)\\)");
    private static final int XDP = 6;
    private static int compared;
    private static int rewrites;

    @AfterAll
    static void close() {
        LOADED.values().forEach(LiveKernel::close);
        LOADED.clear();
        System.out.println("xlated dumps equal to bpftool's of the kernel's programs: " + compared + " programs ("
                + rewrites + " XDP context loads the verifier rewrote taken as rewritten)");
    }

    /** The object as libbpf names it (the file name up to its first dot), opened as libbpf opens it. */
    static ObjectSpec open(String object) throws IOException {
        RelocatorOptions o = RelocatorOptions.builder().kernelVersion(0x06122c).kconfig("CONFIG_HZ=250\nCONFIG_BPF_SYSCALL=y\n").build();
        return Relocator.open(ElfObject.read(Files.readAllBytes(TestData.object(object))), object.substring(0, object.indexOf('.')), o);
    }

    @TestFactory
    List<DynamicTest> dumpsEqualBpftoolsOfTheLoadedPrograms() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String o : OBJECTS) {
            for (ProgramSpec p : open(o).programs()) {
                tests.add(DynamicTest.dynamicTest(o + " " + p.name(), () -> compare(o, p.name())));
            }
        }
        return tests;
    }

    private static synchronized LiveKernel loaded(String object) throws IOException {
        LiveKernel k = LOADED.get(object);
        if (k == null) {
            List<String> programs = open(object).programs().stream().map(ProgramSpec::name).toList();
            k = LiveKernel.load(TestData.object(object), programs);
            LOADED.put(object, k);
        }
        return k;
    }

    private static void compare(String object, String program) throws IOException {
        KernelFacts.assumeKernel();
        LiveKernel k = loaded(object);
        Refusal refused = k.refused().get(program);
        if (refused != null) {
            throw KernelFacts.refusedProgram(object, refused);
        }
        List<String> cmd = List.of("bpftool", "prog", "dump", "xlated", "pinned", k.programPin(program).toString(), "opcodes");
        List<String> kernel = kernelLines(Exec.check(cmd), k);
        ObjectSpec obj = open(object);
        RelocatedProgram rp = Relocator.relocate(obj, program);
        List<String> ours = new ArrayList<>();
        for (String line : ProgramDump.bpftool(obj, rp, BpftoolSyntax.Options.withOpcodes())) {
            ours.add(normalizeMapName(line));
        }
        ours = maskMapImms(ours);
        kernel = maskMapImms(kernel);
        if (ours.size() == kernel.size() && rp.programType().id() == XDP) {
            ours = xdpContextRewrites(ours, kernel);
        }
        assertThat(ours).as("%s %s: ProgramDump vs %s", object, program, String.join(" ", cmd)).containsExactlyElementsOf(kernel);
        compared++;
    }

    /** bpftool's instruction and opcode lines, with maps by the kernel's name and subprograms by their own. */
    private static List<String> kernelLines(String text, LiveKernel k) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith(";") || line.isBlank() || !line.startsWith(" ")) {
                continue; // source lines and the signature
            }
            Matcher m = MAP_ID.matcher(line);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, Matcher.quoteReplacement("map[" + k.mapName(Integer.parseInt(m.group(1))) + "]"));
            }
            m.appendTail(sb);
            out.add(sb.toString().replaceAll("#bpf_prog_[0-9a-f]{16}_", "#"));
        }
        return out;
    }

    /**
     * The verifier's one rewrite in these programs (convert_ctx_accesses): an XDP program's
     * {@code u32} loads of {@code xdp_md.data} (+0) and {@code data_end} (+4) become {@code u64}
     * loads of {@code xdp_buff.data} (+0) and {@code data_end} (+8). Where our line is such a
     * load and the kernel's is its rewrite, the kernel's pair of lines is taken, counted and printed.
     */
    private static List<String> xdpContextRewrites(List<String> ours, List<String> kernel) {
        List<String> out = new ArrayList<>(ours);
        for (int i = 0; i + 1 < out.size(); i++) {
            Matcher m = XDP_CTX_LOAD.matcher(out.get(i));
            if (!out.get(i).equals(kernel.get(i)) && m.matches()) {
                String field = m.group(4).equals("0") ? "0" : m.group(4).equals("4") ? "8" : null;
                String rewritten = m.group(1) + "(79) " + m.group(2) + " = *(u64 *)(" + m.group(3) + " +" + field + ")";
                if (field != null && kernel.get(i).equals(rewritten)) {
                    System.out.println("  kernel rewrite (convert_ctx_accesses, xdp_md -> xdp_buff): '" + out.get(i).strip() + "' -> '"
                            + rewritten.strip() + "'");
                    out.set(i, kernel.get(i));
                    out.set(i + 1, kernel.get(i + 1));
                    rewrites++;
                }
            }
        }
        return out;
    }

    /** The imm of a map reference holds the kernel's map id there and an index in bpf4j's relocation: not compared. */
    private static List<String> maskMapImms(List<String> lines) {
        List<String> out = new ArrayList<>(lines);
        for (int i = 1; i < out.size(); i++) {
            String l = out.get(i);
            if (out.get(i - 1).contains("= map[") && l.startsWith("       18 ") && l.length() >= 7 + 23) {
                out.set(i, l.substring(0, 7 + 12) + "?? ?? ?? ??" + l.substring(7 + 23));
            }
        }
        return out;
    }

    /** bpf4j's map names cut to the 15 characters the kernel keeps, and the map imm masked. */
    private static String normalizeMapName(String line) {
        Matcher m = Pattern.compile("map\\[([^\\]]+)\\]").matcher(line);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String n = m.group(1);
            m.appendReplacement(sb, Matcher.quoteReplacement("map[" + (n.length() > 15 ? n.substring(0, 15) : n) + "]"));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
