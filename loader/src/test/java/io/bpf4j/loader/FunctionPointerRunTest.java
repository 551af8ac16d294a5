package io.bpf4j.loader;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Relocated function pointers run: the kernel here rejects callx, so the self-checking programs
 * of the talk's calculon (28, 128 and 11 for its three expressions) and of funcptr.bpf.c run in
 * process after open, relocate and load; retval 0 means every CHECK held, anything else is the
 * failing line.
 */
class FunctionPointerRunTest {
    private static long run(String object, String program) {
        try (BpfObject obj = BpfObject.open(IndirectTablesLoadTest.corpus(object), BpfObjectTest.options())) {
            obj.load(LoadOptions.builder().verify(false).build());
            return obj.program(program).orElseThrow().testRun(TestRunInput.ofContext(new byte[96])).retval();
        }
    }

    @Test
    void calculonThroughFunctionPointersGivesTheTalksResults() {
        for (String cpu : new String[] {"v1", "v3", "v4"}) {
            assertThat(run("calculon_funcptr." + cpu + ".el.o", "calculon_selftest")).as(cpu).isZero();
            assertThat(run("calculon_funcptr." + cpu + ".el.o", "calculon_rodata")).as(cpu).isZero();
        }
    }

    @Test
    void funcptrProgramsHoldTheirChecks() {
        for (String cpu : new String[] {"v1", "v3"}) {
            assertThat(run("funcptr." + cpu + ".el.o", "funcptr_selftest")).as(cpu).isZero();
            assertThat(run("funcptr." + cpu + ".el.o", "simple_test")).as(cpu).isZero();
            assertThat(run("funcptr." + cpu + ".el.o", "table_test")).as(cpu).isZero();
        }
    }
}
