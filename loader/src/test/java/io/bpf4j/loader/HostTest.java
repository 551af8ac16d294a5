package io.bpf4j.loader;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.testdata.KernelFacts;
import io.bpf4j.testdata.LibbpfCapture;
import io.bpf4j.testdata.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the host's facts (Kconfig from /boot or /proc/config.gz, kernel version, /proc/kallsyms),
 * the loader gives what this machine's libbpf gives this machine's kernel for the same object,
 * captured in the same run ({@link LibbpfCapture}): the Kconfig map's contents (LOCALVERSION
 * differs between builds) and every instruction, typeless ksym addresses included (KASLR moves
 * them every boot). The committed capture (testdata/goldens/libbpf-relo) is only diffed
 * against the live one, to report which facts changed.
 */
@Tag("kernel")
class HostTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void kconfigAndTypelessKsymsFromTheHostMatchLibbpf() {
        KernelFacts.assume(LibbpfCapture.unavailableReason());
        Path object = TestData.object("kconfig.v1.el.o");
        JsonNode live = LibbpfCapture.liveComparedWith(TestData.dir().resolve("goldens/libbpf-relo/kconfig.v1.el.json"), object);
        JsonNode load = live.get("loads").get(0);
        JsonNode pl = load.get("prog_load");
        assertThat(pl.get("accepted").asBoolean()).as("the kernel accepted kconfig_check").isTrue();
        String want = null;
        for (JsonNode m : load.get("map_creates")) {
            if (m.get("name").asText().equals("kconfig.kconfig")) {
                want = m.get("updates").get(0).get("value").asText();
            }
        }
        assertThat(want).as("libbpf wrote the Kconfig map").isNotNull();
        try (BpfObject obj = BpfObject.open(object)) {
            obj.load();
            byte[] kconfig = obj.map("kconfig.kconfig").orElseThrow().runtime().orElseThrow().lookup(new byte[4]);
            assertThat(HEX.formatHex(kconfig)).as("kconfig.kconfig").isEqualTo(want);
            byte[] insns = InstructionCodec.encode(obj.program(load.get("program").asText()).orElseThrow().instructions(),
                    ByteOrder.LITTLE_ENDIAN);
            Set<Integer> mapRefs = new HashSet<>();
            pl.get("map_refs").forEach(r -> mapRefs.add(r.get("slot").asInt()));
            JsonNode g = pl.get("insns");
            assertThat(insns.length / 8).as("slots").isEqualTo(g.size());
            for (int i = 0; i < g.size(); i++) {
                String w = g.get(i).asText();
                String got = HEX.formatHex(insns, i * 8, i * 8 + 8);
                if (mapRefs.contains(i)) {
                    assertThat(got.substring(0, 8)).as("slot %d (the imm is libbpf's map fd)", i).isEqualTo(w.substring(0, 8));
                } else {
                    assertThat(got).as("slot %d", i).isEqualTo(w);
                }
            }
        }
    }
}
