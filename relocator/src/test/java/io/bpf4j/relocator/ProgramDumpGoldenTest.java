package io.bpf4j.relocator;

import io.bpf4j.isa.text.BpftoolSyntax;
import io.bpf4j.relocator.tables.TableMap;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relocated programs of the three calculon variants (and of the jump-table and call-table objects) printed
 * as {@code bpftool prog dump xlated opcodes} prints them, with map and callee names, compared
 * with the committed dumps in {@code testdata/goldens/relocated-bpftool/}. Run with
 * {@code -Dbpf4j.updateGoldens=true} to rewrite them through this same code path
 * ({@code mvn -pl relocator -am test -Dtest=ProgramDumpGoldenTest -Dbpf4j.updateGoldens=true
 * -Dsurefire.failIfNoSpecifiedTests=false}).
 */
class ProgramDumpGoldenTest {
    static final List<String> OBJECTS = List.of("calculon_switch.v1.el.o", "calculon_funcptr.v1.el.o",
            "calculon_table.v1.el.o", "jumptables.v4.el.o", "calltables.v3.el.o");
    static final Path GOLDENS = Path.of(System.getProperty("bpf4j.root", "."), "testdata/goldens/relocated-bpftool");

    /** The dump of every entry program of an object, each after a {@code # prog NAME} line, then its tables. */
    static List<String> dump(String object) throws IOException {
        ObjectSpec obj = CorpusTest.open(CorpusTest.OBJECTS.resolve(object));
        List<String> out = new ArrayList<>();
        out.add("# " + object + ": relocated by bpf4j, printed as bpftool prog dump xlated opcodes (maps and callees by name)");
        for (ProgramSpec p : obj.programs()) {
            RelocatedProgram rp = Relocator.relocate(obj, p.name());
            out.add("# prog " + p.name());
            for (FunctionEntry f : rp.functions()) {
                out.add("#   function " + f.index() + " " + f.name() + " at " + f.startSlot());
            }
            for (TableMap t : rp.indirect().tables()) {
                out.add("#   map " + t.name() + " (" + t.kind() + " " + t.table() + ") entries " + t.targetSlots());
            }
            out.addAll(ProgramDump.bpftool(obj, rp, BpftoolSyntax.Options.withOpcodes()));
        }
        return out;
    }

    @TestFactory
    List<DynamicTest> dumpsEqualTheCommittedGoldens() {
        boolean update = Boolean.getBoolean("bpf4j.updateGoldens");
        List<DynamicTest> tests = new ArrayList<>();
        for (String o : OBJECTS) {
            tests.add(DynamicTest.dynamicTest(o, () -> {
                List<String> got = dump(o);
                Path golden = GOLDENS.resolve(o + ".txt");
                if (update) {
                    Files.createDirectories(GOLDENS);
                    Files.write(golden, got);
                }
                assertThat(got).containsExactlyElementsOf(Files.readAllLines(golden));
            }));
        }
        return tests;
    }

    @Test
    void theFunctionPointerVariantShowsSubprogLoadsAndCallx() throws IOException {
        List<String> d = dump("calculon_funcptr.v1.el.o");
        // three operators, three function-address loads per program that evaluates: all name a callee start
        assertThat(d).filteredOn(l -> l.contains("(18) r") && l.contains("= subprog[")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(d).anyMatch(l -> l.matches(" *\\d+: \\(8d\\) callx r\\d"));
        assertThat(d).anyMatch(l -> l.contains("call pc+") && l.endsWith("#calculon_eval"));
    }

    @Test
    void theTableVariantLoadsItsCallTableAsAMapValue() throws IOException {
        List<String> d = dump("calculon_table.v1.el.o");
        assertThat(d).anyMatch(l -> l.contains("= map[calculon_ops][0]+0"));
        assertThat(d).anyMatch(l -> l.contains("map calculon_ops (CALL_TABLE calculon_ops) entries"));
        assertThat(d).anyMatch(l -> l.matches(" *\\d+: \\(8d\\) callx r\\d"));
    }
}
