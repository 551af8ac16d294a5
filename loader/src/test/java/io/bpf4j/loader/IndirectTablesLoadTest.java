package io.bpf4j.loader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpf4j.maps.BpfMap;
import io.bpf4j.maps.InsnArray;
import io.bpf4j.relocator.tables.TableMap;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Call and jump tables through the loader API: inspect records, and the frozen instruction arrays made at load. */
class IndirectTablesLoadTest {
    static Path corpus(String name) {
        return Path.of(System.getProperty("bpf4j.root"), "testdata/objects", name);
    }

    @Test
    void callTableIsListedAndCreatedAsAFrozenCallTableArray() throws Exception {
        try (BpfObject obj = BpfObject.open(corpus("calculon_table.v1.el.o"), BpfObjectTest.options())) {
            BpfProgram p = obj.program("calculon_run").orElseThrow();
            List<TableInfo> before = p.tables();
            assertThat(before).singleElement().satisfies(t -> {
                assertThat(t.kind()).isEqualTo("call_table");
                assertThat(t.map()).isEqualTo("calculon_ops");
                assertThat(t.mapType()).isEqualTo("insn_array");
                assertThat(t.mapExtra()).isEqualTo(1);
                assertThat(t.targets()).extracting(TableInfo.Target::function)
                        .containsExactly("calculon_add", "calculon_sub", "calculon_mul");
                assertThat(t.loads()).hasSize(1);
            });
            assertThat(p.tableMaps()).isEmpty();
            assertThat(p.indirectTargets().indirectlyCallable()).containsExactly("calculon_add", "calculon_sub", "calculon_mul");
            obj.load(LoadOptions.builder().verify(false).build());
            List<BpfMap> maps = p.tableMaps();
            TableMap spec = p.indirectTargets().tables().get(0);
            assertThat(maps).singleElement().isInstanceOf(InsnArray.class);
            InsnArray a = (InsnArray) maps.get(0);
            assertThat(a.isCallTable()).isTrue();
            assertThat(a.isFrozen()).isTrue();
            for (int k = 0; k < spec.entries().size(); k++) {
                assertThat(a.origOffset(k)).isEqualTo(spec.entries().get(k).targetSlot());
            }
            JsonNode json = new ObjectMapper().valueToTree(before.get(0));
            assertThat(json.get("targets").get(0).get("function").asText()).isEqualTo("calculon_add");
        }
    }

    @Test
    void jumpTablesGiveOneArrayPerTableAndProgram() {
        try (BpfObject obj = BpfObject.open(corpus("jumptables.v4.el.o"), BpfObjectTest.options())) {
            obj.load(LoadOptions.builder().verify(false).build());
            BpfProgram computed = obj.program("jt_computed").orElseThrow();
            assertThat(computed.tables()).extracting(TableInfo::table).containsExactly("BPF.JT.2.0", "BPF.JT.2.1");
            assertThat(computed.tables()).extracting(TableInfo::map).containsOnly(".jumptables");
            assertThat(computed.tableMaps()).hasSize(2).allSatisfy(m -> {
                assertThat(((InsnArray) m).isCallTable()).isFalse();
                assertThat(m.isFrozen()).isTrue();
            });
            assertThat(((InsnArray) computed.tableMaps().get(0)).origOffset(2)).isEqualTo(12);
            BpfProgram a = obj.program("jt_sub_a").orElseThrow();
            BpfProgram b = obj.program("jt_sub_b").orElseThrow();
            assertThat(a.tableMaps().get(0)).isNotSameAs(b.tableMaps().get(0));
            assertThat(((InsnArray) b.tableMaps().get(0)).origOffset(0) - ((InsnArray) a.tableMaps().get(0)).origOffset(0))
                    .isEqualTo(8);
        }
    }
}
