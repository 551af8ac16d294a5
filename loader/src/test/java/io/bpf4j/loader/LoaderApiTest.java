package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.testdata.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The loader's public API as a user reaches it: map entries read and written on {@link BpfMap}
 * itself, global variables by name before and after load, test-run inputs from loader types,
 * bpf_printk output after a run, and faults and refusals as the loader's exception types. The
 * expected values come from the C sources of the objects (testdata/src).
 */
class LoaderApiTest {
    private static final OpenOptions OPTIONS = OpenOptions.builder().readHostKconfig(false).build();

    /** A 64-byte Ethernet/IPv4 frame: only its length matters to maps_count_xdp. */
    private static byte[] frame() {
        byte[] f = new byte[64];
        f[12] = 0x08;
        return f;
    }

    @Test
    void mapEntriesAreReadWrittenDeletedAndIteratedOnTheLoadersMap() {
        try (BpfObject obj = BpfObject.open(TestData.object("maps_hash_array.v3.el.o"), OPTIONS)) {
            obj.load(LoadOptions.builder().verify(false).build());
            BpfProgram count = obj.program("maps_count_xdp").orElseThrow();
            BpfMap counters = obj.map("counters").orElseThrow();
            assertThat(counters.lookupLong(0)).hasValue(0);
            // maps_count_xdp adds 1 to counters[0] per packet
            count.testRun(TestRunInput.ofData(frame()));
            count.testRun(TestRunInput.ofData(frame()).withRepeat(2));
            assertThat(counters.lookupLong(0)).hasValue(3);
            counters.updateLong(1, 7);
            assertThat(counters.lookup(new byte[] {1, 0, 0, 0})).hasValueSatisfying(v -> assertThat(v).containsExactly(7, 0, 0, 0, 0, 0, 0, 0));
            assertThat(counters.keys()).hasSize(4);
            assertThat(counters.toLongMap()).containsEntry(0L, 3L).containsEntry(1L, 7L).containsEntry(2L, 0L).hasSize(4);
            // an array has no delete: EINVAL, as bpf_map_delete_elem on an array
            assertThatThrownBy(() -> counters.deleteLong(0)).isInstanceOf(MapOperationException.class)
                    .satisfies(e -> assertThat(((MapOperationException) e).errno()).isEqualTo(22));
            assertThat(counters.lookupLong(4)).isEmpty();

            BpfMap lru = obj.map("lru").orElseThrow();
            lru.updateLong(99, 5);
            assertThat(lru.lookupLong(99)).hasValue(5);
            assertThat(lru.deleteLong(99)).isTrue();
            assertThat(lru.deleteLong(99)).isFalse();
            assertThat(lru.lookupLong(99)).isEmpty();

            BpfMap percpu = obj.map("percpu_counts").orElseThrow();
            percpu.updateLong(3, 11);
            assertThat(percpu.lookupPerCpuLong(3)).hasValueSatisfying(list -> assertThat(list).isNotEmpty().allMatch(v -> v == 11L));
            assertThat(percpu.entries()).extracting(BpfMap.Entry::keyAsLong).containsExactly(3L);
        }
    }

    @Test
    void mapsHaveNoEntriesBeforeLoad() {
        try (BpfObject obj = BpfObject.open(TestData.object("maps_hash_array.v3.el.o"), OPTIONS)) {
            assertThatThrownBy(() -> obj.map("counters").orElseThrow().lookupLong(0)).isInstanceOf(ObjectStateException.class)
                    .hasMessage("map 'counters': has entries only after load()");
        }
    }

    @Test
    void globalDataMapsAreFoundByTheirRealNameAsLibbpfFindsThem() {
        try (BpfObject obj = BpfObject.open(TestData.object("global_data.v3.el.o"), OPTIONS)) {
            BpfMap rodata = obj.map(".rodata").orElseThrow();
            assertThat(rodata.realName()).isEqualTo(".rodata");
            // the kernel name: the object name cut so that name and section fit 15 characters
            assertThat(rodata.name()).isEqualTo("global_d.rodata");
            assertThat(obj.map(rodata.name()).orElseThrow().index()).isEqualTo(rodata.index());
            assertThat(obj.map(".data.foo").orElseThrow().realName()).isEqualTo(".data.foo");
            assertThat(obj.map(".nothing")).isEmpty();
        }
    }

    @Test
    void globalVariablesAreReadAndWrittenByNameBeforeAndAfterLoad() {
        try (BpfObject obj = BpfObject.open(TestData.object("global_data.v3.el.o"), OPTIONS)) {
            GlobalVariable tunable = obj.variable("tunable").orElseThrow();
            assertThat(tunable.getInt()).isEqualTo(100);
            tunable.setInt(100);
            assertThat(obj.variable("bar_short").orElseThrow().getShort()).isEqualTo((short) 0xbeef);
            assertThat(obj.variable("counter").orElseThrow().getInt()).isEqualTo(41);
            assertThat(obj.variable("foo_array").orElseThrow().size()).isEqualTo(24);
            assertThat(obj.variable("nothing")).isEmpty();
            assertThatThrownBy(() -> tunable.setLong(1)).isInstanceOf(VariableException.class)
                    .hasMessageContaining("'tunable' has 4 bytes, not 8");

            obj.load(LoadOptions.builder().verify(false).build());
            BpfProgram write = obj.program("global_data_write").orElseThrow();
            assertThat(write.testRun(TestRunInput.empty()).retval()).isZero();
            assertThat(obj.variable("counter").orElseThrow().getInt()).isEqualTo(42);
            assertThat(obj.variable("foo_counter").orElseThrow().getInt()).isEqualTo(15);
            byte[] zeroes = obj.variable("zeroes").orElseThrow().get();
            assertThat(zeroes[8]).isEqualTo((byte) 9);
            // write it back and the program sees it: counter++ then CHECK(counter == 42)
            obj.variable("counter").orElseThrow().setInt(41);
            obj.variable("foo_counter").orElseThrow().setInt(5);
            assertThat(write.testRun(TestRunInput.empty()).retval()).isZero();
            // .rodata is frozen after load, as libbpf freezes it
            assertThat(obj.map(".rodata").orElseThrow().isFrozen()).isTrue();
            assertThat(obj.variable("tunable").orElseThrow().getInt()).isEqualTo(100);
            assertThatThrownBy(() -> obj.variable("tunable").orElseThrow().setInt(1)).isInstanceOf(VariableException.class)
                    .hasMessageContaining("read-only after load");
        }
    }

    @Test
    void testRunTakesLoaderInputsAndSaysWhatANullInputShouldBe() {
        try (BpfObject obj = BpfObject.open(TestData.object("global_data.v3.el.o"), OPTIONS)) {
            obj.load(LoadOptions.builder().verify(false).build());
            BpfProgram check = obj.program("global_data_check").orElseThrow();
            assertThatThrownBy(() -> check.testRun(null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("TestRunInput.empty()");
            TestRunResult r = check.testRun(TestRunInput.empty());
            assertThat(r.retval()).isZero();
            assertThat(r.trace()).isEmpty();
        }
    }

    @Test
    void bpfPrintkOutputIsOnTheResultAndInTheObjectsTraceLog() {
        try (BpfObject obj = BpfObject.open(TestData.object("helpers.v3.el.o"), OPTIONS)) {
            obj.load(LoadOptions.builder().verify(false).build());
            TestRunResult r = obj.program("helpers_check").orElseThrow().testRun(TestRunInput.empty());
            assertThat(r.retval()).isZero();
            // bpf_printk("helpers ok after %llu ns", t1 - t0)
            assertThat(r.trace()).singleElement().asString().matches("helpers ok after \\d+ ns");
            assertThat(obj.traceLog()).isEqualTo(r.trace());
            assertThat(obj.drainTraceLog()).hasSize(1);
            assertThat(obj.traceLog()).isEmpty();
        }
    }

    @Test
    void refusedInputAndRuntimeFaultsAreLoaderExceptions() {
        try (BpfObject obj = BpfObject.open(TestData.object("maps_hash_array.v3.el.o"), OPTIONS)) {
            obj.load(LoadOptions.builder().verify(false).build());
            // the kernel refuses an XDP test packet shorter than an Ethernet header with EINVAL
            assertThatThrownBy(() -> obj.program("maps_count_xdp").orElseThrow().testRun(TestRunInput.ofData(new byte[2])))
                    .isInstanceOf(TestRunRefusedException.class)
                    .satisfies(e -> assertThat(((TestRunRefusedException) e).errno()).isEqualTo(22));
        }
        // r0 = *(u64 *)(r1 + 1000); exit — on 8 bytes of memory
        byte[] code = {0x79, 0x10, (byte) 0xe8, 0x03, 0, 0, 0, 0, (byte) 0x95, 0, 0, 0, 0, 0, 0, 0};
        StandaloneProgram p = StandaloneProgram.decode(code);
        assertThat(p.instructions().size()).isEqualTo(2);
        assertThatThrownBy(() -> p.runOnMemory(new byte[8])).isInstanceOf(ProgramFaultException.class)
                .satisfies(e -> {
                    ProgramFaultException f = (ProgramFaultException) e;
                    assertThat(f.kind()).isEqualTo(ProgramFaultException.Kind.MEMORY);
                    assertThat(f.pc()).isZero();
                });
        // r0 = 7; exit
        byte[] seven = {(byte) 0xb7, 0, 0, 0, 7, 0, 0, 0, (byte) 0x95, 0, 0, 0, 0, 0, 0, 0};
        assertThat(StandaloneProgram.decode(seven).runOnMemory(new byte[0])).isEqualTo(7);
    }

    /**
     * net/bpf/test_run.c refuses a syscall program's ctx_in shorter than the verifier's
     * max_ctx_offset with EINVAL (bpf_prog_test_run_syscall), before the program runs.
     */
    @Test
    void aSyscallContextShorterThanTheProgramReadsIsRefusedAsTheKernelRefusesIt() {
        // r0 = *(u64 *)(r1 + 8); exit — reads context bytes 8..15
        byte[] code = {0x79, 0x10, 8, 0, 0, 0, 0, 0, (byte) 0x95, 0, 0, 0, 0, 0, 0, 0};
        io.bpf4j.testdata.CraftedElf w = new io.bpf4j.testdata.CraftedElf();
        w.add("syscall", io.bpf4j.testdata.CraftedElf.PROGBITS, io.bpf4j.testdata.CraftedElf.ALLOC | io.bpf4j.testdata.CraftedElf.EXEC,
                code, 0, 0, 0);
        w.add(".strtab", io.bpf4j.testdata.CraftedElf.STRTAB, 0, io.bpf4j.testdata.CraftedElf.strings("prog"), 0, 0, 0);
        w.add(".symtab", io.bpf4j.testdata.CraftedElf.SYMTAB, 0, io.bpf4j.testdata.CraftedElf.concat(
                io.bpf4j.testdata.CraftedElf.symbol(0, 0, 0, 0, 0),
                io.bpf4j.testdata.CraftedElf.symbol(1, 0x12, 1, 0, code.length)), 2, 1, 24);
        w.add("license", io.bpf4j.testdata.CraftedElf.PROGBITS, io.bpf4j.testdata.CraftedElf.ALLOC,
                io.bpf4j.testdata.CraftedElf.strings("GPL"), 0, 0, 0);
        try (BpfObject obj = BpfObject.open(w.bytes(), OPTIONS)) {
            obj.load();
            BpfProgram p = obj.program("prog").orElseThrow();
            assertThat(p.verification().orElseThrow().maxContextOffset()).isEqualTo(16);
            assertThatThrownBy(() -> p.testRun(TestRunInput.empty())).isInstanceOf(TestRunRefusedException.class)
                    .hasMessageContaining("the program reads 16 bytes of its context")
                    .satisfies(e -> assertThat(((TestRunRefusedException) e).errno()).isEqualTo(22));
            byte[] ctx = new byte[16];
            ctx[8] = 42;
            assertThat(p.testRun(TestRunInput.ofContext(ctx)).retval()).isEqualTo(42);
        }
    }

    @Test
    void disassemblyIsOneCallOnTheProgram() {
        try (BpfObject obj = BpfObject.open(TestData.object("maps_hash_array.v3.el.o"), OPTIONS)) {
            List<String> lines = obj.program("maps_count_xdp").orElseThrow().disassemble();
            assertThat(lines).anyMatch(l -> l.contains("map[counters]"));
            assertThat(lines.get(lines.size() - 1)).endsWith("exit");
        }
    }
}
