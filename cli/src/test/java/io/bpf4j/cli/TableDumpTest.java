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

    @Test
    void inspectListsTablesInTextAndJson() throws Exception {
        String obj = TestData.object("calltables.v1.el.o").toString();
        CliRun text = CliRun.of("inspect", obj);
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("Tables (one instruction array per program and table):");
        assertThat(text.out().lines()).anyMatch(l -> l.startsWith("map_table_test") && l.contains("foo_map") && l.contains("call_table")
                && l.contains("(foo_2)") && l.contains("(foo_3)"));
        CliRun json = CliRun.of("-j", "inspect", obj);
        com.fasterxml.jackson.databind.JsonNode tables = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out()).get("tables");
        assertThat(tables).hasSize(3);
        assertThat(tables.get(0).get("program").asText()).isEqualTo("table_test");
        assertThat(tables.get(0).get("targets").get(1).get("function").asText()).isEqualTo("foo_2");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(CliRun.of("-j", "inspect",
                TestData.object("minimal.v1.el.o").toString()).out()).has("tables")).isFalse();
    }

    /**
     * After load, each entry's xlated_off (the slot) and jitted_off: on the compiler a bytecode
     * offset in a generated method named with it, on the interpreter the slot.
     */
    @Test
    void inspectShowsEachEntrysOffsetsAfterLoad() throws Exception {
        String obj = TestData.object("jumptables.v4.el.o").toString();
        CliRun text = CliRun.of("inspect", obj);
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("Instruction arrays after load");
        List<String> rows = text.out().lines().dropWhile(l -> !l.startsWith("Instruction arrays after load")).skip(2)
                .takeWhile(l -> !l.isBlank()).toList();
        assertThat(rows).isNotEmpty().allMatch(l -> l.matches("\\S+\\s+\\.jumptables\\s+\\d+\\s+(\\d+)\\s+(\\d+)\\s+\\d+\\s+[fc][\\d_]+\\+0x[0-9a-f]+\\s+compiled"));
        com.fasterxml.jackson.databind.JsonNode tables = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(CliRun.of("-j", "inspect", obj).out()).get("tables");
        assertThat(tables).isNotEmpty();
        for (com.fasterxml.jackson.databind.JsonNode t : tables) {
            assertThat(t.get("engine").asText()).isEqualTo("compiled");
            for (com.fasterxml.jackson.databind.JsonNode x : t.get("targets")) {
                assertThat(x.get("xlated_off").asInt()).isEqualTo(x.get("slot").asInt());
                assertThat(x.get("jitted_method").asText()).matches("[fc][\\d_]+");
                assertThat(x.get("jitted_off").asInt()).isPositive();
            }
        }
        for (com.fasterxml.jackson.databind.JsonNode t : new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(CliRun.of("-j", "inspect", "--engine", "interpreter", obj).out()).get("tables")) {
            assertThat(t.get("engine").asText()).isEqualTo("interpreter");
            for (com.fasterxml.jackson.databind.JsonNode x : t.get("targets")) {
                assertThat(x.get("jitted_off").asInt()).isEqualTo(x.get("slot").asInt());
                assertThat(x.get("jitted_method").isNull()).isTrue();
            }
        }
    }
}
