package io.bpf4j.loader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpf4j.isa.InstructionCodec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * With the host's facts (Kconfig from /proc/config.gz, kernel version, /proc/kallsyms), the
 * loader gives what libbpf gave on this machine (testdata/goldens/libbpf/kconfig.v1.el.o.json,
 * captured on this kernel).
 */
@Tag("kernel")
class HostTest {
    @Test
    void kconfigAndTypelessKsymsFromTheHostMatchLibbpf() throws IOException {
        boolean require = Boolean.getBoolean("bpf4j.requireKernel");
        Path root = Path.of(System.getProperty("bpf4j.root"));
        JsonNode golden = new ObjectMapper().readTree(root.resolve("testdata/goldens/libbpf/kconfig.v1.el.o.json").toFile());
        assumeTrue(require || HostFacts.kernelVersion() == golden.get("programs").get(0).get("kern_version").asInt()
                && !HostFacts.kallsyms(java.util.Set.of("bpf_prog_put")).getOrDefault("bpf_prog_put", 0L).equals(0L),
                "not the kernel the golden was captured on, or kallsyms addresses hidden");
        try (BpfObject obj = BpfObject.open(root.resolve("testdata/objects/kconfig.v1.el.o"))) {
            obj.load(LoadOptions.builder().verify(false).build());
            byte[] kconfig = obj.map("kconfig.kconfig").orElseThrow().runtime().orElseThrow().lookup(new byte[4]);
            String want = null;
            for (JsonNode u : golden.get("map_updates")) {
                if (u.get("map").asText().equals("kconfig.kconfig")) {
                    want = u.get("value").asText();
                }
            }
            assertThat(HexFormat.of().formatHex(kconfig)).isEqualTo(want);
            byte[] insns = InstructionCodec.encode(obj.program("kconfig_check").orElseThrow().instructions(), ByteOrder.LITTLE_ENDIAN);
            JsonNode g = golden.get("programs").get(0).get("insns");
            for (int i = 0; i < g.size(); i++) {
                String w = g.get(i).asText();
                if (w.startsWith("18") && (Integer.parseInt(w.substring(2, 4), 16) >> 4) == 2) {
                    continue; // map value references carry fds
                }
                if (i > 0 && g.get(i - 1).asText().startsWith("18") && (Integer.parseInt(g.get(i - 1).asText().substring(2, 4), 16) >> 4) == 2) {
                    assertThat(HexFormat.of().formatHex(insns, i * 8, i * 8 + 8)).as("slot %d", i).isEqualTo(w);
                    continue;
                }
                assertThat(HexFormat.of().formatHex(insns, i * 8, i * 8 + 8)).as("slot %d", i).isEqualTo(w);
            }
        }
    }
}
