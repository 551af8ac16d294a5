package io.bpf4j.loader;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.relocator.RelocationException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BpfObjectTest {
    static Path object(String name) {
        return Path.of(System.getProperty("bpf4j.root"), "relocator/src/test/resources/objects", name);
    }

    static OpenOptions options() {
        return OpenOptions.builder().readHostKconfig(false).kconfig("CONFIG_HZ", "100").kernelVersion(0x06122c).build();
    }

    @Test
    void opensFromAPathWithLibbpfsObjectName() {
        try (BpfObject obj = BpfObject.open(object("reloc_rich.el.o"), options())) {
            assertThat(obj.state()).isEqualTo(ObjectState.OPENED);
            assertThat(obj.name()).isEqualTo("reloc_rich");
            assertThat(obj.programs()).extracting(BpfProgram::name).containsExactly("tail1", "s1", "s2", "kp", "xdp_prog", "maybe");
            assertThat(obj.maps()).extracting(BpfMap::name).startsWith("in1", "in2", "outer", "jmp").contains("reloc_ri.rodata",
                    "reloc_r.kconfig");
            BpfProgram kp = obj.program("kp").orElseThrow();
            assertThat(kp.type()).isEqualTo(ProgramType.KPROBE);
            assertThat(kp.attachTarget()).contains("do_nanosleep");
            assertThat(kp.license()).isEqualTo("GPL");
            ProgramInfo info = kp.info();
            assertThat(info.subprograms()).containsExactly("loop_cb", "global_helper", "static_helper");
            assertThat(info.insnCount()).isEqualTo(86);
            assertThat(info.ownInsnCount()).isEqualTo(66);
            assertThat(info.maps()).contains("hsh", "rb", "bloom", "jmp", "reloc_r.kconfig");
            assertThat(obj.program("xdp_prog").orElseThrow().info().expectedAttachType()).isEqualTo("xdp");
            assertThat(kp.info().expectedAttachType()).isNull();
        }
    }

    @Test
    void opensFromBytesAndStreamsWithTheGivenName() throws IOException {
        byte[] bytes = Files.readAllBytes(object("reloc_minimal.el.o"));
        OpenOptions named = OpenOptions.builder().objectName("mini").readHostKconfig(false).build();
        try (BpfObject a = BpfObject.open(bytes, named); BpfObject b = BpfObject.open(new ByteArrayInputStream(bytes), named)) {
            assertThat(a.name()).isEqualTo("mini");
            assertThat(b.program("classify").orElseThrow().instructions())
                    .isEqualTo(a.program("classify").orElseThrow().instructions());
            // the version section gives kern_version, whatever the host runs
            assertThat(a.program("classify").orElseThrow().kernelVersion()).isEqualTo(0x060c00);
        }
    }

    @Test
    void openPhaseAdjustmentsThenLoadThenFrozen() {
        try (BpfObject obj = BpfObject.open(object("reloc_rich.el.o"), options())) {
            obj.map("hsh").orElseThrow().setMaxEntries(128);
            obj.map("reloc_ri.rodata").orElseThrow().setVariable("ro_global", new byte[] {5, 0, 0, 0});
            obj.program("maybe").orElseThrow().setAutoload(true);
            assertThat(obj.map("reloc_ri.rodata").orElseThrow().variables()).extracting(v -> v.name())
                    .contains("ro_global", "ro_table");
            obj.load(LoadOptions.builder().verify(false).build());
            assertThat(obj.state()).isEqualTo(ObjectState.LOADED);
            io.bpf4j.maps.BpfMap hsh = obj.map("hsh").orElseThrow().runtime().orElseThrow();
            assertThat(hsh.maxEntries()).isEqualTo(128);
            io.bpf4j.maps.BpfMap ro = obj.map("reloc_ri.rodata").orElseThrow().runtime().orElseThrow();
            assertThat(ro.lookup(new byte[4])).startsWith(5, 0, 0, 0);
            io.bpf4j.maps.BpfMap kconfig = obj.map("reloc_r.kconfig").orElseThrow().runtime().orElseThrow();
            assertThat(kconfig.lookup(new byte[4])).containsExactly(0, 0, 0, 0, 100, 0, 0, 0, 0x2c, 0x12, 0x06, 0);
            assertThat(obj.map("outer").orElseThrow().runtime().orElseThrow().type()).isEqualTo(MapType.ARRAY_OF_MAPS);
            assertThat(obj.program("maybe").orElseThrow().instructions()).isNotEmpty();
            assertThatThrownBy(() -> obj.map("hsh").orElseThrow().setMaxEntries(1)).isInstanceOf(ObjectStateException.class)
                    .hasMessage("map 'hsh': can't change after the object is loaded (state loaded)");
            assertThatThrownBy(obj::load).isInstanceOf(ObjectStateException.class);
        }
    }

    @Test
    void closedObjectRefusesUse() {
        BpfObject obj = BpfObject.open(object("reloc_rich.el.o"), options());
        obj.close();
        assertThat(obj.state()).isEqualTo(ObjectState.CLOSED);
        assertThatThrownBy(obj::programs).isInstanceOf(ObjectStateException.class).hasMessage("object 'reloc_rich' is closed");
    }

    @Test
    void strongKconfigExternWithoutAValueFailsAtLoadLikeLibbpf() {
        OpenOptions none = OpenOptions.builder().readHostKconfig(false).kernelVersion(0x06122c).build();
        try (BpfObject obj = BpfObject.open(object("reloc_rich.el.o"), none)) {
            assertThatThrownBy(obj::load).isInstanceOf(RelocationException.class)
                    .hasMessage("extern 'CONFIG_HZ' (strong): not resolved");
            assertThat(obj.state()).isEqualTo(ObjectState.OPENED);
        }
    }

    @Test
    void infoRecordsAreJsonable() throws IOException {
        try (BpfObject obj = BpfObject.open(object("reloc_rich.el.o"), options())) {
            ObjectMapper json = new ObjectMapper();
            String p = json.writeValueAsString(obj.program("s2").orElseThrow().info());
            String m = json.writeValueAsString(obj.map("jmp").orElseThrow().info());
            assertThat(json.readTree(p).get("subprograms").toString()).isEqualTo("[\"global_helper\",\"static_helper\"]");
            assertThat(json.readTree(m).get("initialSlots").get("2").asText()).isEqualTo("tail1");
            assertThat(json.readTree(m).get("type").asText()).isEqualTo("prog_array");
        }
    }

    @Test
    void bigEndianObjectOpens() {
        try (BpfObject el = BpfObject.open(object("reloc_rich.el.o"), options());
             BpfObject eb = BpfObject.open(object("reloc_rich.eb.o"), options())) {
            assertThat(eb.program("kp").orElseThrow().instructions()).isEqualTo(el.program("kp").orElseThrow().instructions());
        }
    }

    @Test
    void kernelReleaseParsesAsLibbpfDoes() {
        assertThat(HostFacts.parseRelease("6.18.44-fc-v657")).isEqualTo(397868);
        assertThat(HostFacts.parseRelease("5.4.300")).isEqualTo((5 << 16) + (4 << 8) + 255);
    }
}
