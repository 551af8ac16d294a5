package io.bpf4j.relocator;

import io.bpf4j.isa.text.BpftoolSyntax;
import io.bpf4j.relocator.tables.TableMap;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The forms of {@link ProgramDump}'s output that the running kernel cannot show (it has no
 * callx before 6.19, and libbpf 1.1 loads no call tables): function-address loads, callx and
 * call-table loads by name. Everything the kernel can load is compared with bpftool's dump of
 * the loaded program by {@link ProgramDumpKernelTest}.
 */
class ProgramDumpTest {
    /** The dump of every entry program of an object, each after a {@code # prog NAME} line, then its tables. */
    static List<String> dump(String object) throws IOException {
        ObjectSpec obj = CorpusTest.open(CorpusTest.OBJECTS.resolve(object));
        List<String> out = new ArrayList<>();
        for (ProgramSpec p : obj.programs()) {
            RelocatedProgram rp = Relocator.relocate(obj, p.name());
            out.add("# prog " + p.name());
            for (TableMap t : rp.indirect().tables()) {
                out.add("#   map " + t.name() + " (" + t.kind() + " " + t.table() + ") entries " + t.targetSlots());
            }
            out.addAll(ProgramDump.bpftool(obj, rp, BpftoolSyntax.Options.withOpcodes()));
        }
        return out;
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
