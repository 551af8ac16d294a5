package io.bpf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.Relocation;
import io.bpf4j.elf.RelocationSection;
import io.bpf4j.testdata.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code inspect} lists each struct_ops map with its members: every member a program is bound
 * to is exactly a relocation of the object's {@code .rel.struct_ops*} sections (read here from
 * the ELF, independently of the relocator), in both byte orders.
 */
class InspectStructOpsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void membersBoundAsTheStructOpsRelocationsSay() throws Exception {
        for (String o : new String[] {"struct_ops_tcp.v3.el.o", "struct_ops_tcp.v3.eb.o", "struct_ops_optional.v3.el.o"}) {
            Path obj = TestData.object(o);
            CliRun run = CliRun.of("-j", "inspect", obj.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode root = JSON.readTree(run.out());
            // section name + offset in section -> program, from the JSON
            Map<String, String> listed = new TreeMap<>();
            ElfObject elf = ElfObject.read(Files.readAllBytes(obj));
            Map<String, String> relocated = new TreeMap<>();
            for (RelocationSection rs : elf.relocationSections()) {
                if (rs.target().name().matches("\\??\\.struct_ops(\\.link)?")) {
                    for (Relocation r : rs.relocations()) {
                        relocated.put(rs.target().name() + "+" + r.offset(), r.symbol().name());
                    }
                }
            }
            // the variables' offsets in their sections, from the symbol table
            Map<String, Long> varOffset = new TreeMap<>();
            elf.symbols().forEach(s -> varOffset.put(s.name(), s.value()));
            for (JsonNode st : root.get("struct_ops")) {
                assertThat(st.get("struct").asText()).isEqualTo("tcp_congestion_ops");
                long base = varOffset.get(st.get("name").asText());
                for (JsonNode mem : st.get("members")) {
                    if (mem.has("program") && !mem.get("program").isNull()) {
                        listed.put(st.get("section").asText() + "+" + (base + mem.get("offset").asLong()), mem.get("program").asText());
                    }
                }
            }
            assertThat(listed).as(o).isEqualTo(relocated);
            assertThat(listed).isNotEmpty();
            CliRun text = CliRun.of("inspect", obj.toString());
            assertThat(text.out()).contains("Struct ops (BPF_MAP_TYPE_STRUCT_OPS maps):");
        }
    }
}
