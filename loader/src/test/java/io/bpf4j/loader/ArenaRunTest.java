package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpf4j.testdata.KernelFacts;
import io.bpf4j.testdata.Libbpf15;
import io.bpf4j.testdata.TestData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The arena programs of testdata/src/arena.bpf.c run in process to their C result (0: every
 * CHECK held, else its line), on the default engine (the compiler hands arena programs to the
 * interpreter) and on the interpreter, twice in a row (the arena and its globals persist).
 * arena_freed_read checks the kernel's semantics for pages not allocated: loads give 0,
 * stores are dropped. arena_atomics checks every atomic form (fetching and not, xchg, cmpxchg,
 * 4 and 8 bytes) on arena memory against what C says they compute.
 */
class ArenaRunTest {
    private static final List<String> PROGRAMS = List.of("arena_pages", "arena_globals", "arena_fixed", "arena_freed_read",
            "arena_atomics");

    @ParameterizedTest
    @ValueSource(strings = {"arena.v3.el.o", "arena.v4.el.o"})
    void everyProgramPassesItsChecks(String name) {
        for (Engine engine : new Engine[] {Engine.COMPILER, Engine.INTERPRETER}) {
            try (BpfObject obj = BpfObject.open(TestData.object(name))) {
                obj.load(LoadOptions.builder().verify(false).engine(engine).build());
                for (int round = 0; round < 2; round++) {
                    for (String p : PROGRAMS) {
                        TestRunResult r = obj.program(p).orElseThrow().testRun(TestRunInput.empty());
                        assertThat(r.retval32()).as("%s %s on %s, round %d (a line of arena.bpf.c when not 0)", name, p,
                                engine, round).isZero();
                    }
                }
            }
        }
    }

    /** The __arena globals live at the arena's start: read and written from Java around the runs. */
    @Test
    void globalsAreTheArenasFirstBytes() {
        try (BpfObject obj = BpfObject.open(TestData.object("arena.v3.el.o"))) {
            obj.load(LoadOptions.builder().verify(false).build());
            BpfMap arena = obj.map("arena").orElseThrow();
            assertThat(arena.arenaUserAddress()).isEqualTo(1L << 44);
            // arena_magic, "BPF4ARNA" little endian, then arena_counter
            assertThat(new String(arena.readArena(0, 8), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ANRA4FPB");
            assertThat(arena.readArena(8, 8)).containsOnly(0);
            assertThat(obj.program("arena_globals").orElseThrow().testRun(TestRunInput.empty()).retval32()).isZero();
            assertThat(arena.readArena(8, 8)[0]).isEqualTo((byte) 1);
            // a different magic makes arena_globals fail its first CHECK
            arena.writeArena(0, new byte[8]);
            assertThat(obj.program("arena_globals").orElseThrow().testRun(TestRunInput.empty()).retval32()).isNotZero();
        }
    }

    /**
     * The kernel's run of the same programs through libbpf 1.5, when this kernel creates arenas:
     * each retval equal to bpf4j's. Kernels that refuse BPF_MAP_TYPE_ARENA (EPERM for root here)
     * abort the test with the reason.
     */
    @Test
    @Tag("kernel")
    void kernelRunsEqualWhereTheKernelCreatesArenas() {
        List<JsonNode> events = Libbpf15.capture(TestData.object("arena.v3.el.o"));
        Map<String, Long> kernel = new LinkedHashMap<>();
        for (JsonNode e : events) {
            String ev = e.get("ev").asText();
            if (ev.equals("map_create") && e.get("type").asInt() == 33 && e.get("ret").asInt() < 0) {
                throw KernelFacts.refused("BPF_MAP_TYPE_ARENA", "BPF_MAP_CREATE errno " + e.get("errno").asInt());
            }
            if (ev.equals("test_run")) {
                kernel.put(e.get("program").asText(), e.get("retval").asLong());
            }
        }
        assertThat(kernel.keySet()).containsExactlyElementsOf(PROGRAMS);
        try (BpfObject obj = BpfObject.open(TestData.object("arena.v3.el.o"))) {
            obj.load(LoadOptions.builder().verify(false).build());
            for (String p : PROGRAMS) {
                assertThat(obj.program(p).orElseThrow().testRun(TestRunInput.empty()).retval32()).as(p).isEqualTo(kernel.get(p).intValue());
            }
        }
    }
}
