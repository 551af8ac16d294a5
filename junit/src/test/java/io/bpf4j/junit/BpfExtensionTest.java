package io.bpf4j.junit;

import static io.bpf4j.junit.BpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.loader.TestRunInput;
import io.bpf4j.loader.BpfMap;
import io.bpf4j.loader.BpfObject;
import io.bpf4j.loader.BpfProgram;
import io.bpf4j.loader.Engine;
import io.bpf4j.loader.ObjectState;
import io.bpf4j.testdata.TestData;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The extension and the assertions over testdata's selftest objects, from the classpath and from files. */
@BpfTest(resource = "bpf/selftest_pass.v3.el.o", programs = {"pass_returns_xdp_pass", "packet_length", "tc_hex_retval"})
class BpfExtensionTest {
    private static final List<BpfObject> INJECTED = new ArrayList<>();
    private static final List<Engine> ENGINES = new ArrayList<>();

    @Test
    void injectsTheLoadedObjectAndItsPrograms(BpfObject obj, @Name("pass_returns_xdp_pass") BpfProgram prog) {
        INJECTED.add(obj);
        Assertions.assertThat(obj.state()).isEqualTo(ObjectState.LOADED);
        Assertions.assertThat(prog.name()).isEqualTo("pass_returns_xdp_pass");
        assertThat(prog).isAccepted().whenRun(TestRunInput.ofData(new byte[64])).returns(2);
    }

    @Test
    void aRunLeavesMapContent(@Name("tc_hex_retval") BpfProgram prog, @Name("values") BpfMap values) {
        assertThat(values).containsEntry(0, 0);
        assertThat(prog).whenRun(TestRunInput.ofData(new byte[64])).returns(0x2a);
        assertThat(values).containsEntry(0, 0x2a).hasSize(1);
        assertThat(prog).whenRun(TestRunInput.ofData(new byte[64])).returns(0x54);
        assertThat(values).containsEntry(0, 0x54);
    }

    @Test
    void aRejectionNamesItsMessageAndSourceLine(
            @BpfSource(file = "../testdata/selftests/objects/selftest_wrong.v3.el.o", load = false)
            @Name("wrong_expects_success") BpfProgram prog) throws Exception {
        int line = Files.readAllLines(TestData.dir().resolve("selftests/src/selftest_wrong.bpf.c")).indexOf("\treturn *v;") + 1;
        assertThat(prog).isRejected().withMessage("R0 invalid mem access 'map_value_or_null'")
                .withLogContaining("call bpf_map_lookup_elem#1").atLine(line).at("selftest_wrong.bpf.c", line);
        // each assertion fails when its claim is false
        assertThatThrownBy(() -> assertThat(prog).isAccepted()).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("rejected it: R0 invalid mem access 'map_value_or_null' (selftest_wrong.bpf.c:" + line + ")")
                .hasMessageContaining("\nexplanation (null_pointer):\n")
                .hasMessageContaining("\nhint: check the result of bpf_map_lookup_elem (line " + (line - 2) + ") for NULL before line "
                        + line + "\n");
        assertThatThrownBy(() -> assertThat(prog).isRejected().withMessage("R1 type=scalar"))
                .isInstanceOf(AssertionFailedError.class);
        assertThatThrownBy(() -> assertThat(prog).isRejected().atLine(line + 1)).isInstanceOf(AssertionFailedError.class);
    }

    @Test
    void failingClaimsAboutRunsAndMapsFail(@Name("pass_returns_xdp_pass") BpfProgram prog, @Name("values") BpfMap values) {
        assertThatThrownBy(() -> assertThat(prog).isRejected()).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("accepted it");
        assertThatThrownBy(() -> assertThat(prog).whenRun(TestRunInput.ofData(new byte[64])).returns(1))
                .isInstanceOf(AssertionFailedError.class).hasMessage("prog 'pass_returns_xdp_pass': expected retval 1, got 2");
        assertThatThrownBy(() -> assertThat(values).containsEntry(0, 7)).isInstanceOf(AssertionFailedError.class);
        byte[] packet = new byte[64];
        packet[0] = 1;
        assertThat(prog).whenRun(TestRunInput.ofData(packet)).hasDataOut(packet);
        assertThatThrownBy(() -> assertThat(prog).whenRun(TestRunInput.ofData(packet)).hasDataOut(new byte[64]))
                .isInstanceOf(AssertionFailedError.class);
    }

    @Test
    void aRunPastItsTimeLimitStopsWithTheLoadersError(@Name("pass_returns_xdp_pass") BpfProgram prog) {
        TestRunInput forever = TestRunInput.ofData(new byte[64]).withRepeat(Integer.MAX_VALUE);
        long start = System.nanoTime();
        assertThatThrownBy(() -> assertThat(prog).whenRun(forever, java.time.Duration.ofMillis(200)))
                .isInstanceOf(io.bpf4j.loader.TestRunRefusedException.class).hasMessageContaining("time limit of 200 ms reached");
        Assertions.assertThat(System.nanoTime() - start).isLessThan(java.time.Duration.ofSeconds(20).toNanos());
        assertThat(prog).whenRun(TestRunInput.ofData(new byte[64]), java.time.Duration.ofSeconds(30)).returns(2);
    }

    @EachEngine
    void runsOnEachEngine(Engine engine, @Name("packet_length") BpfProgram prog) {
        ENGINES.add(engine);
        assertThat(prog).whenRun(TestRunInput.ofData(new byte[64])).returns(64);
    }

    @AfterAll
    static void objectsWereClosedAndEveryEngineRan() {
        Assertions.assertThat(INJECTED).isNotEmpty().allSatisfy(o -> Assertions.assertThat(o.state()).isEqualTo(ObjectState.CLOSED));
        Assertions.assertThat(ENGINES).containsExactly(Engine.INTERPRETER, Engine.COMPILER);
    }
}
