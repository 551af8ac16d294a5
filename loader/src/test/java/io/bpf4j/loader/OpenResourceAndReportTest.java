package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.isa.BpfException;
import io.bpf4j.testdata.TestData;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenResourceAndReportTest {
    @Test
    void opensAnObjectFromTheClasspathAsFromItsFile() throws Exception {
        Path dir = TestData.objectsDir().getParent();
        ClassLoader saved = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            Thread.currentThread().setContextClassLoader(cl);
            try (BpfObject fromResource = BpfObject.openResource("/objects/minimal.v1.el.o");
                 BpfObject fromFile = BpfObject.open(TestData.object("minimal.v1.el.o"))) {
                assertThat(fromResource.name()).isEqualTo(fromFile.name());
                assertThat(fromResource.programs()).map(BpfProgram::name)
                        .containsExactlyElementsOf(fromFile.programs().stream().map(BpfProgram::name).toList());
                assertThat(fromResource.programs().get(0).instructions())
                        .isEqualTo(fromFile.programs().get(0).instructions());
            }
            assertThatThrownBy(() -> BpfObject.openResource("bpf/missing.bpf.o"))
                    .isInstanceOf(BpfException.class).hasMessage("elf: no classpath resource 'bpf/missing.bpf.o'");
        } finally {
            Thread.currentThread().setContextClassLoader(saved);
        }
    }

    @Test
    void reportNamesTheRejectionAndItsSourceLine() throws Exception {
        Path obj = TestData.selftestObject("selftest_wrong.v3.el.o");
        List<VerifyReport.Entry> entries = new ArrayList<>();
        try (BpfObject o = BpfObject.open(obj)) {
            for (BpfProgram p : o.programs()) {
                entries.add(VerifyReport.verify(obj.getFileName().toString(), p, LoadOptions.defaults()));
            }
        }
        entries = VerifyReport.sorted(entries);
        VerifyReport.Entry rejected = entries.stream().filter(e -> e.program().equals("wrong_expects_success")).findFirst()
                .orElseThrow();
        int line = Files.readAllLines(TestData.dir().resolve("selftests/src/selftest_wrong.bpf.c")).indexOf("\treturn *v;") + 1;
        assertThat(rejected.success()).isFalse();
        assertThat(rejected.diagnostic()).isEqualTo("prog 'wrong_expects_success' in selftest_wrong.v3.el.o: "
                + "R0 invalid mem access 'map_value_or_null' (selftest_wrong.bpf.c:" + line + ")");
        assertThat(rejected.source().text()).isEqualTo("return *v;");
        String csv = VerifyReport.csv(entries);
        assertThat(csv.lines().findFirst().orElseThrow())
                .isEqualTo("file_name,prog_name,verdict,duration,total_insns,total_states,peak_states,max_states_per_insn,max_mark_read_len");
        assertThat(csv.lines().count()).isEqualTo(1 + entries.size());
        assertThat(csv).contains("selftest_wrong.v3.el.o,wrong_expects_failure,success,")
                .contains("selftest_wrong.v3.el.o,wrong_expects_success,failure,");
        String json = VerifyReport.json(entries);
        assertThat(json).contains("\"prog_name\":\"wrong_expects_success\"", "\"verdict\":\"failure\"",
                "\"source\":\"selftest_wrong.bpf.c:" + line + "\"", "\"error\":\"R0 invalid mem access 'map_value_or_null'\"");
    }
}
