package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpf4j.testdata.Libbpf15;
import io.bpf4j.testdata.TestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * struct_ops objects loaded by bpf4j against the running kernel's BTF, compared with what
 * libbpf 1.5 hands the same kernel in the same test run ({@link Libbpf15}: the map attributes
 * at open and at BPF_MAP_CREATE, the value image of BPF_MAP_UPDATE_ELEM when each created map is
 * attached, each program's attach_btf_id and expected_attach_type at BPF_PROG_LOAD, which
 * programs load at all). Nothing kernel-derived is committed: the BTF ids differ per build.
 */
@Tag("kernel")
class StructOpsLibbpfTest {
    /** Counts over every object, printed for the closing note. */
    static final Map<String, int[]> COUNTS = new LinkedHashMap<>();

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }

    private static byte[] unhex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"struct_ops_tcp.v3.el.o", "struct_ops_optional.v3.el.o"})
    void equalToLibbpf15(String name) {
        Path object = TestData.object(name);
        List<JsonNode> events = Libbpf15.capture(object);
        Map<String, JsonNode> openMaps = new LinkedHashMap<>();
        Map<String, JsonNode> openProgs = new LinkedHashMap<>();
        Map<String, JsonNode> created = new LinkedHashMap<>();
        Map<String, JsonNode> loaded = new LinkedHashMap<>();
        Map<Long, String> progByFd = new HashMap<>();
        Map<String, JsonNode> attachedValue = new LinkedHashMap<>();
        String attaching = null;
        boolean loadOk = false;
        for (JsonNode e : events) {
            switch (e.get("ev").asText()) {
                case "map" -> openMaps.put(e.get("name").asText(), e);
                case "program" -> openProgs.put(e.get("name").asText(), e);
                case "map_create" -> created.put(e.get("name").asText(), e);
                case "prog_load" -> {
                    loaded.put(e.get("name").asText(), e);
                    progByFd.put(e.get("ret").asLong(), e.get("name").asText());
                }
                case "load_result" -> loadOk = e.get("err").asInt() == 0;
                case "attach" -> attaching = e.get("map").asText();
                case "map_update" -> {
                    if (attaching != null) {
                        attachedValue.put(attaching, e);
                        attaching = null;
                    }
                }
                default -> { }
            }
        }
        assertThat(loadOk).as("libbpf 1.5 loads %s: %s", name, events).isTrue();

        int maps = 0, mapsEqual = 0, progs = 0, progsEqual = 0;
        try (BpfObject obj = BpfObject.open(object)) {
            // after open: names, flags, autocreate, the object's struct type id
            for (BpfStructOps st : obj.structOps()) {
                JsonNode m = openMaps.get(st.name());
                assertThat(m).as("libbpf's map %s", st.name()).isNotNull();
                assertThat(m.get("type").asInt()).isEqualTo(26);
                assertThat(m.get("map_flags").asInt()).as("%s map_flags", st.name()).isEqualTo(st.flags());
                assertThat(m.get("value_size").asInt()).as("%s value_size at open", st.name()).isEqualTo(st.valueSize());
                assertThat(m.get("autocreate").asBoolean()).as("%s autocreate", st.name()).isEqualTo(st.autocreate());
                assertThat(m.get("btf_value_type_id").asInt()).as("%s btf_value_type_id", st.name()).isEqualTo(st.btfValueTypeId());
            }
            obj.load(LoadOptions.builder().verify(false).build());
            for (BpfStructOps st : obj.structOps()) {
                if (!st.autocreate()) {
                    assertThat(created).as("libbpf creates no map for %s", st.name()).doesNotContainKey(st.name());
                    continue;
                }
                maps++;
                JsonNode c = created.get(st.name().length() > 15 ? st.name().substring(0, 15) : st.name());
                assertThat(c).as("BPF_MAP_CREATE of %s", st.name()).isNotNull();
                assertThat(c.get("type").asInt()).isEqualTo(26);
                assertThat(c.get("key_size").asInt()).isEqualTo(4);
                assertThat(c.get("max_entries").asInt()).isEqualTo(1);
                assertThat(c.get("map_flags").asInt()).as("%s map_flags", st.name()).isEqualTo(st.flags());
                assertThat(c.get("value_size").asInt()).as("%s value_size", st.name()).isEqualTo(st.valueSize());
                assertThat(c.get("btf_vmlinux_value_type_id").asInt()).as("%s btf_vmlinux_value_type_id", st.name())
                        .isEqualTo(st.kernelValueTypeId().orElseThrow());
                // the value: libbpf's program fds where bpf4j says a program goes, the rest byte for byte
                byte[] theirs = unhex(attachedValue.get(st.name()).get("value").asText());
                byte[] ours = st.kernelValue().orElseThrow();
                assertThat(theirs).hasSameSizeAs(ours);
                for (Map.Entry<Long, String> slot : st.kernelProgramSlots().entrySet()) {
                    int off = slot.getKey().intValue();
                    long fd = 0;
                    for (int k = 7; k >= 0; k--) {
                        fd = fd << 8 | (theirs[off + k] & 0xff);
                    }
                    assertThat(progByFd.get(fd)).as("%s slot +%d", st.name(), off).isEqualTo(truncate(slot.getValue()));
                    java.util.Arrays.fill(theirs, off, off + 8, (byte) 0);
                }
                assertThat(hex(ours)).as("%s value image", st.name()).isEqualTo(hex(theirs));
                mapsEqual++;
            }
            List<String> ourLoaded = new ArrayList<>();
            for (BpfProgram p : obj.programs()) {
                progs++;
                JsonNode l = loaded.get(truncate(p.name()));
                java.util.Optional<int[]> attach = BpfStructOps.attachOf(obj, p.name());
                if (l == null) {
                    assertThat(attach).as("%s: libbpf loads no such program", p.name()).isEmpty();
                    assertThat(openProgs).containsKey(p.name());
                } else {
                    ourLoaded.add(p.name());
                    assertThat(attach).as("%s attach", p.name()).isPresent();
                    assertThat(l.get("attach_btf_id").asInt()).as("%s attach_btf_id", p.name()).isEqualTo(attach.get()[0]);
                    assertThat(l.get("expected_attach_type").asInt()).as("%s expected_attach_type", p.name())
                            .isEqualTo(attach.get()[1]);
                    assertThat(l.get("type").asInt()).isEqualTo(27);
                }
                progsEqual++;
            }
            assertThat(ourLoaded).hasSize((int) loaded.keySet().stream().filter(n -> openProgs.keySet().stream()
                    .anyMatch(p -> truncate(p).equals(n))).count());
        }
        COUNTS.put(name, new int[] {maps, mapsEqual, progs, progsEqual});
        System.out.printf("struct_ops vs libbpf 1.5: %s: maps %d/%d equal, programs %d/%d equal%n", name, mapsEqual, maps,
                progsEqual, progs);
    }

    private static String truncate(String s) {
        return s.length() > 15 ? s.substring(0, 15) : s;
    }
}
