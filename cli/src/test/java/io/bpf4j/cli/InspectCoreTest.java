package io.bpf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.btf.BtfExtSection;
import io.bpf4j.elf.btf.CoreRelo;
import io.bpf4j.testdata.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code inspect --core} lists every CO-RE record of the object, as .BTF.ext holds them. */
class InspectCoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyRecordIsListedWithItsAccessString() throws Exception {
        Path obj = TestData.object("core_reads.v3.el.o");
        Path vmlinux = Path.of("/sys/kernel/btf/vmlinux");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(vmlinux), "needs the host's BTF as CO-RE target");
        CliRun run = CliRun.of("-j", "inspect", "--core", "--btf", vmlinux.toString(), obj.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode root = JSON.readTree(run.out());
        List<String> listed = new ArrayList<>();
        root.fields().forEachRemaining(e -> e.getValue().forEach(r -> listed.add(r.get("kind").asText() + " " + r.get("access").asText())));
        List<String> records = new ArrayList<>();
        ElfObject elf = ElfObject.read(Files.readAllBytes(obj));
        for (BtfExtSection<CoreRelo> s : elf.btfExt().orElseThrow().coreRelos()) {
            for (CoreRelo r : s.records()) {
                records.add(r.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + r.accessString());
            }
        }
        // Programs share no section here, so each record is relocated exactly once.
        assertThat(listed).containsExactlyInAnyOrderElementsOf(records);
        assertThat(listed).hasSizeGreaterThan(20);
    }

    @Test
    void objectWithoutCoreSaysSo() {
        CliRun run = CliRun.of("inspect", "--core", TestData.object("minimal.v1.el.o").toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("no CO-RE relocations\n");
    }
}
