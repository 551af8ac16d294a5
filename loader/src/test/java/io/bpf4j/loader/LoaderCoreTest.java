package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpf4j.isa.InstructionCodec;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import io.bpf4j.testdata.KernelFacts;
import io.bpf4j.testdata.LibbpfCapture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * CO-RE inside {@link BpfObject#load()}: against the open options' target BTF (an ELF here,
 * as libbpf's btf_custom_path accepts), and by default against the running kernel's BTF.
 * Expected programs are what libbpf 1.7 handed to BPF_PROG_LOAD for the same object and BTF
 * (testdata/libbpf-capture/capture.sh core).
 */
class LoaderCoreTest {
    private static final Path CORE = Path.of("../relocator/src/test/resources/core");

    private static void assertProgramsEqual(BpfObject obj, String golden) throws IOException {
        JsonNode g = new ObjectMapper().readTree(CORE.resolve("goldens-1.7").resolve(golden).toFile());
        for (JsonNode p : g.get("programs")) {
            if (p.get("insns").isNull()) continue;
            List<String> expected = new ArrayList<>();
            p.get("insns").forEach(n -> expected.add(n.asText()));
            byte[] b = InstructionCodec.encode(obj.program(p.get("name").asText()).orElseThrow().instructions(), ByteOrder.LITTLE_ENDIAN);
            List<String> got = new ArrayList<>();
            for (int i = 0; i < b.length; i += 8) {
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < 8; k++) sb.append(String.format("%02x", b[i + k] & 0xff));
                got.add(sb.toString());
            }
            assertThat(got).as("program '%s'", p.get("name").asText()).hasSameSizeAs(expected);
            for (int i = 0; i < got.size(); i++) {
                String want = expected.get(i);
                // byte 1 is src << 4 | dst: a map load holds libbpf's fd where bpf4j keeps the map index
                if (want.startsWith("18") && (want.charAt(2) == '1' || want.charAt(2) == '2')) {
                    assertThat(got.get(i).substring(0, 8)).isEqualTo(want.substring(0, 8));
                    i++;
                    continue;
                }
                assertThat(got.get(i)).as("program '%s' slot %d", p.get("name").asText(), i).isEqualTo(want);
            }
        }
    }

    @Test
    void targetBtfFromOptionsIsTheCoreTarget() throws IOException {
        OpenOptions options = OpenOptions.builder().targetBtf(CORE.resolve("targets/core_target.o")).build();
        try (BpfObject obj = BpfObject.open(CORE.resolve("objects/core_kernel.el.o"), options)) {
            obj.load(LoadOptions.builder().verify(false).build());
            assertProgramsEqual(obj, "core_kernel.el@core_target.o.json");
        }
    }

    @Test
    void theCorpusCoreProgramLoadsRelocated() throws IOException {
        Path object = Path.of(System.getProperty("bpf4j.root", ".."), "testdata/objects/core_reads.v3.el.o");
        OpenOptions options = OpenOptions.builder().readHostKconfig(false).targetBtf(CORE.resolve("targets/core_target.btf")).build();
        try (BpfObject obj = BpfObject.open(object, options)) {
            obj.load(LoadOptions.builder().verify(false).build());
            assertThat(obj.program("core_kprobe").orElseThrow().relocated().coreSites()).isNotEmpty();
            assertProgramsEqual(obj, "core_reads.v3.el@core_target.btf.json");
        }
    }

    @Test
    void eachRelocationPhaseRunsOncePerObjectState() {
        Path object = Path.of(System.getProperty("bpf4j.root", ".."), "testdata/objects/core_reads.v3.el.o");
        OpenOptions options = OpenOptions.builder().readHostKconfig(false).targetBtf(CORE.resolve("targets/core_target.btf")).build();
        try (BpfObject obj = BpfObject.open(object, options)) {
            BpfProgram p = obj.program("core_kprobe").orElseThrow();
            var first = p.relocated();
            assertThat(obj.coreRelocations()).containsKey("core_kprobe");
            assertThat(p.relocated()).isSameAs(first);
            p.setAutoload(true); // any change of spec drops the phases computed for the old one
            var again = p.relocated();
            assertThat(again).isNotSameAs(first);
            assertThat(again.instructions()).isEqualTo(first.instructions());
            // the target lacks a field the program reads: CO-RE poisons the call, which the verifier refuses as the kernel would
            obj.load(LoadOptions.builder().verify(false).build());
            assertThat(p.relocated()).isSameAs(again);
        }
    }

    /**
     * Without a target in the options, CO-RE goes against the running kernel's BTF: the
     * instructions equal what this machine's libbpf hands this kernel for the same object,
     * captured in the same run (field offsets and attach ids differ between builds of one
     * kernel version: the committed corpus capture is only diffed against the live one).
     */
    @Test
    @Tag("kernel")
    void theRunningKernelIsTheDefaultTarget() throws IOException {
        KernelFacts.assume(Files.isReadable(Path.of("/sys/kernel/btf/vmlinux")) ? LibbpfCapture.unavailableReason() : "no kernel BTF on this host");
        Path root = Path.of(System.getProperty("bpf4j.root", ".."));
        for (Path object : List.of(CORE.resolve("objects/core_kernel.el.o"), root.resolve("testdata/objects/core_reads.v3.el.o"))) {
            Path committed = root.resolve("testdata/goldens/libbpf-relo/" + object.getFileName().toString().replace(".o", ".json"));
            JsonNode live = Files.exists(committed) ? LibbpfCapture.liveComparedWith(committed, object) : LibbpfCapture.live(object);
            try (BpfObject obj = BpfObject.open(object, OpenOptions.builder().build())) {
                obj.load(LoadOptions.builder().verify(false).build());
                int compared = 0;
                for (JsonNode load : live.get("loads")) {
                    JsonNode pl = load.get("prog_load");
                    if (pl == null || pl.isNull()) continue;
                    assertSlotsEqual(obj, load.get("program").asText(), pl.get("insns"));
                    compared++;
                }
                assertThat(compared).as("programs of %s libbpf loaded", object.getFileName()).isPositive();
            }
        }
    }

    private static void assertSlotsEqual(BpfObject obj, String program, JsonNode insns) {
        List<String> expected = new ArrayList<>();
        insns.forEach(n -> expected.add(n.asText()));
        byte[] b = InstructionCodec.encode(obj.program(program).orElseThrow().instructions(), ByteOrder.LITTLE_ENDIAN);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < b.length; i += 8) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < 8; k++) sb.append(String.format("%02x", b[i + k] & 0xff));
            got.add(sb.toString());
        }
        assertThat(got).as("program '%s'", program).hasSameSizeAs(expected);
        for (int i = 0; i < got.size(); i++) {
            String want = expected.get(i);
            // byte 1 is src << 4 | dst: a map load holds libbpf's fd where bpf4j keeps the map index
            if (want.startsWith("18") && (want.charAt(2) == '1' || want.charAt(2) == '2')) {
                assertThat(got.get(i).substring(0, 8)).isEqualTo(want.substring(0, 8));
                i++;
                continue;
            }
            assertThat(got.get(i)).as("program '%s' slot %d", program, i).isEqualTo(want);
        }
    }
}
