package io.bpf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.testdata.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code dump} names the instruction arrays the loader makes for call and jump tables. */
class TableDumpTest {

    private static List<String> dump(String object, String prog) {
        CliRun run = CliRun.of("dump", "--prog", prog, TestData.object(object).toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run.out().lines().toList();
    }

    @Test
    void callTableLoadsNameTheirTable() {
        List<String> out = dump("calltables.v1.el.o", "table_test");
        assertThat(out).anyMatch(l -> l.endsWith("(18) r3 = map[foo_table][0]+0"));
        assertThat(out).anyMatch(l -> l.endsWith("(8d) callx r2"));
        assertThat(dump("calltables.v1.el.o", "const_index_test")).anyMatch(l -> l.endsWith("= map[bar_table][0]+0"));
        assertThat(dump("calltables.v1.el.o", "map_table_test")).anyMatch(l -> l.endsWith("(18) r1 = map[foo_map]"));
    }

    @Test
    void jumpTableLoadsNameTheJumptablesMap() {
        List<String> out = dump("jumptables.v4.el.o", "jt_switch");
        assertThat(out).filteredOn(l -> l.contains("= map[.jumptables][0]+0")).hasSize(2);
        assertThat(out).filteredOn(l -> l.endsWith("(0d) gotox r1")).hasSize(2);
    }
}
