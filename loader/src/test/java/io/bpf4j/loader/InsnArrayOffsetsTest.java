package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.jit.compiler.Compiler;
import io.bpf4j.maps.InsnArray;
import io.bpf4j.testdata.TestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After load, each instruction array entry ({@code struct bpf_insn_array_value}) holds
 * {@code xlated_off} = its {@code orig_off} (bpf4j runs the relocated instructions) and
 * {@code jitted_off} = where the engine has the instruction: on the compiler, the offset of the
 * instruction's first bytecode in its generated method, checked against the method's line number
 * table as {@code javap -l} prints it (the generated methods' line numbers are BPF slots); on the
 * interpreter, the slot. Readable from the map's values and from {@link BpfProgram#tables()}.
 */
class InsnArrayOffsetsTest {
    private static final List<String> OBJECTS = List.of("calltables.v3.el.o", "jumptables.v4.el.o", "calculon_table.v3.el.o",
            "switches.v4.el.clang22.o", "indirect_calls.v3.el.o");

    @TempDir
    Path dir;

    /**
     * javap -l -p over the classes of several programs (one javap run): per program (the class's
     * source attribute names it), per method, line (BPF slot) to the start_pc of its line number entry.
     */
    private static Map<String, Map<String, Map<Integer, Integer>>> lineTables(List<Path> classFiles) throws IOException, InterruptedException {
        // -c as well: javap 25 prints line number tables only with the code
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "javap").toString(), "-c", "-l", "-p"));
        classFiles.forEach(f -> command.add(f.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        Map<String, Map<String, Map<Integer, Integer>>> tables = new HashMap<>();
        Pattern source = Pattern.compile("^Compiled from \"prog '(.*)'\"$");
        Pattern method = Pattern.compile("^\\s+(?:private |public )?(?:static )?\\w+ (\\w+)\\(.*$");
        Pattern line = Pattern.compile("^\\s+line (\\d+): (\\d+)$");
        Map<String, Map<Integer, Integer>> program = null;
        Map<Integer, Integer> current = null;
        for (String l : out.lines().toList()) {
            Matcher c = source.matcher(l);
            Matcher m = method.matcher(l);
            Matcher n = line.matcher(l);
            if (c.matches()) {
                program = tables.computeIfAbsent(c.group(1), k -> new HashMap<>());
                current = null;
            } else if (m.matches() && program != null) {
                current = program.computeIfAbsent(m.group(1), k -> new HashMap<>());
            } else if (n.matches() && current != null) {
                current.putIfAbsent(Integer.parseInt(n.group(1)), Integer.parseInt(n.group(2)));
            }
        }
        return tables;
    }

    @Test
    void compiledProgramsFillJittedOffsetsWithTheirBytecodePositions() throws Exception {
        int checked = 0;
        for (String obj : OBJECTS) {
            try (BpfObject o = BpfObject.open(TestData.object(obj))) {
                assertThat(o.programs().stream().flatMap(p -> p.tables().stream()))
                        .as("%s before load: no offsets", obj).isNotEmpty()
                        .allMatch(t -> t.engine() == null && t.targets().stream().allMatch(x -> x.jittedOff() == null));
                o.load(LoadOptions.builder().verify(false).engine(Engine.COMPILER).build());
                List<BpfProgram> withTables = o.programs().stream().filter(p -> !p.tables().isEmpty()).toList();
                List<Path> classFiles = new java.util.ArrayList<>();
                for (BpfProgram p : withTables) {
                    assertThat(p.engineName()).as("%s %s", obj, p.name()).isEqualTo("compiled");
                    classFiles.add(Files.write(dir.resolve(obj + "." + p.name() + ".class"),
                            Compiler.INSTANCE.compile(p.executable().image()).classFile()));
                }
                Map<String, Map<String, Map<Integer, Integer>>> byProgram = lineTables(classFiles);
                for (BpfProgram p : withTables) {
                    Map<String, Map<Integer, Integer>> lines = byProgram.get(p.name());
                    assertThat(lines).as("%s %s in javap's output", obj, p.name()).isNotNull();
                    List<io.bpf4j.maps.BpfMap> maps = p.tableMaps();
                    for (int k = 0; k < p.tables().size(); k++) {
                        TableInfo t = p.tables().get(k);
                        assertThat(t.engine()).isEqualTo("compiled");
                        InsnArray array = (InsnArray) maps.get(k);
                        for (TableInfo.Target x : t.targets()) {
                            String what = obj + " " + p.name() + " " + t.table() + "[" + x.key() + "]";
                            assertThat(x.xlatedOff()).as(what).isEqualTo(x.slot());
                            assertThat(lines.get(x.jittedMethod())).as("%s: method %s", what, x.jittedMethod()).isNotNull();
                            assertThat(x.jittedOff()).as(what).isEqualTo(lines.get(x.jittedMethod()).get(x.slot()));
                            // the map's value: {orig_off, xlated_off, jitted_off, pad}
                            ByteBuffer v = ByteBuffer.wrap(array.lookup(io.bpf4j.isa.LittleEndian.u32(x.key()))).order(ByteOrder.LITTLE_ENDIAN);
                            assertThat(new int[] {v.getInt(0), v.getInt(4), v.getInt(8)}).as(what)
                                    .containsExactly(x.slot(), x.xlatedOff(), x.jittedOff());
                            checked++;
                        }
                    }
                }
            }
        }
        System.out.println("instruction array entries checked against javap's line number tables: " + checked);
        assertThat(checked).isGreaterThan(20);
    }

    @Test
    void theInterpreterFillsJittedOffsetsWithTheSlot() {
        try (BpfObject o = BpfObject.open(TestData.object("jumptables.v4.el.o"))) {
            o.load(LoadOptions.builder().verify(false).engine(Engine.INTERPRETER).build());
            BpfProgram p = o.program("jt_switch").orElseThrow();
            assertThat(p.tables()).isNotEmpty().allSatisfy(t -> {
                assertThat(t.engine()).isEqualTo("interpreter");
                assertThat(t.targets()).isNotEmpty().allSatisfy(x -> {
                    assertThat(x.xlatedOff()).isEqualTo(x.slot());
                    assertThat(x.jittedOff()).isEqualTo(x.slot());
                    assertThat(x.jittedMethod()).isNull();
                });
            });
        }
    }
}
