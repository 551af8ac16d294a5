package io.bpf4j.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.bpf4j.loader.BpfMap;
import io.bpf4j.loader.BpfObject;
import io.bpf4j.loader.BpfProgram;
import io.bpf4j.loader.ObjectState;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Where the object comes from, and what a parameter that cannot be resolved says. */
@ExtendWith(BpfExtension.class)
class ResolutionTest {
    @Test
    @BpfTest(file = "../testdata/objects/minimal.v1.el.o", load = false)
    void aMethodAnnotationNamesTheObjectAndLoadFalseKeepsItOpen(BpfObject obj, @Name("xdp_pass") BpfProgram prog) {
        assertThat(obj.state()).isEqualTo(ObjectState.OPENED);
        assertThat(prog.name()).isEqualTo("xdp_pass");
    }

    @Test
    void aParameterAnnotationNamesTheObject(
            @BpfSource(resource = "bpf/selftest_wrong.v3.el.o", load = false) @Name("hashed") BpfMap map) {
        assertThat(map.name()).isEqualTo("hashed");
        assertThat(map.isCreated()).isFalse();
    }

    /** Run only through the launcher below. */
    @ExtendWith(BpfExtension.class)
    @Fixture
    static final class Unresolvable {
        @Test
        void noObject(BpfProgram prog) {
        }

        @Test
        @BpfTest(file = "../testdata/objects/minimal.v1.el.o")
        void noSuchProgram(@Name("xdp_nope") BpfProgram prog) {
        }

        @Test
        @BpfTest(file = "../testdata/objects/minimal.v1.el.o")
        void whichProgram(BpfProgram prog) {
        }

        @Test
        @BpfTest(resource = "bpf/selftest_wrong.v3.el.o")
        void rejectedOnLoad(BpfObject obj) {
        }

        @Test
        @BpfTest(file = "../testdata/objects/global_data.v1.el.o", load = false, maxGlobalData = 8)
        void globalDataPastTheLimit(BpfObject obj) {
        }
    }

    @Test
    void unresolvableParametersFailNamingWhy() {
        Map<String, String> failures = new TreeMap<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Unresolvable.class))
                        .configurationParameter(Fixture.PARAMETER, "true").build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.isTest() && result.getStatus() == TestExecutionResult.Status.FAILED) {
                            failures.put(id.getDisplayName(), result.getThrowable().orElseThrow().getMessage());
                        }
                    }
                });
        assertThat(failures).hasSize(5);
        assertThat(failures.get("noObject(BpfProgram)")).isEqualTo("bpf4j: parameter 0 (BpfProgram) of noObject(): no object "
                + "named: annotate the parameter with @BpfSource or the test with @BpfTest(file = ...) or @BpfTest(resource = ...)");
        assertThat(failures.get("noSuchProgram(BpfProgram)")).isEqualTo("bpf4j: parameter 0 (BpfProgram) of noSuchProgram(): "
                + "object 'minimal' has no program 'xdp_nope' (programs: xdp_pass, xdp_drop)");
        assertThat(failures.get("whichProgram(BpfProgram)")).startsWith("bpf4j: parameter 0 (BpfProgram) of whichProgram(): "
                + "object 'minimal' has 2 programs: name one with @Name");
        assertThat(failures.get("rejectedOnLoad(BpfObject)")).startsWith("bpf4j: resource 'bpf/selftest_wrong.v3.el.o', loaded "
                + "for the interpreter: prog 'wrong_expects_success': BPF program load failed: Permission denied");
        assertThat(failures.get("globalDataPastTheLimit(BpfObject)")).isEqualTo("bpf4j: file "
                + "'../testdata/objects/global_data.v1.el.o', open: map 'global_d.data': size 32 of section '.data' brings the "
                + "object's global data to 32 bytes, over the limit of 8 bytes (ObjectLimits.maxGlobalData)");
    }

    @Test
    @BpfTest(file = "../testdata/objects/global_data.v1.el.o", load = false, maxGlobalData = 1 << 20)
    void aLimitAboveWhatTheObjectDeclaresOpensIt(BpfObject obj) {
        assertThat(obj.maps()).extracting(BpfMap::name).contains("global_d.data", "global_d.bss");
    }
}
