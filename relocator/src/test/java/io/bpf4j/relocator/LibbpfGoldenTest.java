package io.bpf4j.relocator;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpf4j.elf.ElfObject;
import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.isa.Slot;
import io.bpf4j.elf.spec.MapSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares the relocator with libbpf 1.1 on every object that has a libbpf golden: programs
 * and maps after open, and for each program the instructions, func_info and line_info libbpf
 * handed to the kernel (map references compared by map name, since fds differ), and the
 * initial data it wrote into each global-data map.
 */
class LibbpfGoldenTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final Map<String, Integer> COUNTS = new HashMap<>();

    @AfterAll
    static void report() {
        System.out.println("libbpf goldens compared: " + COUNTS);
    }

    private static void count(String what) {
        synchronized (COUNTS) {
            COUNTS.merge(what, 1, Integer::sum);
        }
    }

    static ObjectSpec open(LibbpfGolden g) {
        JsonNode j = g.json();
        RelocatorOptions options = RelocatorOptions.builder()
                .kconfig(j.get("host_kconfig").asText())
                .kernelVersion(j.get("kern_version").asInt())
                .build();
        return Relocator.open(ElfObject.read(g.object()), j.get("object_name").asText(), options);
    }

    @TestFactory
    List<DynamicTest> goldens() {
        List<DynamicTest> tests = new ArrayList<>();
        for (LibbpfGolden g : LibbpfGolden.all()) {
            if (!g.opened() || g.name().equals("reloc_ksym.el.o")) {
                continue; // reloc_ksym needs the kernel's BTF and documents a 1.1 difference: KsymTest
            }
            tests.add(DynamicTest.dynamicTest(g.name() + ": programs and maps after open", () -> compareOpen(g)));
            for (JsonNode load : g.json().get("loads")) {
                JsonNode pl = load.get("prog_load");
                if (pl == null || pl.isNull()) {
                    continue;
                }
                String prog = load.get("program").asText();
                tests.add(DynamicTest.dynamicTest(g.name() + ": " + prog + (pl.get("accepted").asBoolean() ? "" : " (rejected by the kernel)"),
                        () -> compareLoad(g, load)));
            }
        }
        assertThat(tests).isNotEmpty();
        return tests;
    }

    private static void compareOpen(LibbpfGolden g) {
        ObjectSpec obj = open(g);
        count("objects");
        JsonNode programs = g.json().get("programs");
        List<ProgramSpec> ours = obj.programs();
        assertThat(ours).hasSize(programs.size());
        for (int i = 0; i < programs.size(); i++) {
            JsonNode p = programs.get(i);
            ProgramSpec o = ours.get(i);
            assertThat(o.name()).isEqualTo(p.get("name").asText());
            assertThat(o.section().name()).isEqualTo(p.get("section").asText());
            assertThat(o.section().programType().id()).as("type of %s", o.name()).isEqualTo(p.get("type").asInt());
            assertThat(o.section().expectedAttachTypeId()).as("attach of %s", o.name())
                    .isEqualTo(p.get("expected_attach_type").asInt());
            assertThat(o.autoload()).as("autoload of %s", o.name()).isEqualTo(p.get("autoload").asBoolean());
            assertThat(o.slotCount()).as("insn_cnt of %s", o.name()).isEqualTo(p.get("insn_cnt").asInt());
        }
        JsonNode maps = g.json().get("maps");
        assertThat(obj.maps()).extracting(MapSpec::name)
                .containsExactlyElementsOf(() -> maps.findValuesAsText("name").stream().filter(n -> true).iterator());
        for (int i = 0; i < maps.size(); i++) {
            JsonNode m = maps.get(i);
            MapSpec o = obj.maps().get(i);
            String n = o.name();
            assertThat(o.typeId()).as("type of %s", n).isEqualTo(m.get("type").asInt());
            assertThat(o.keySize()).as("key_size of %s", n).isEqualTo(m.get("key_size").asInt());
            assertThat(o.valueSize()).as("value_size of %s", n).isEqualTo(m.get("value_size").asInt());
            assertThat(o.maxEntries()).as("max_entries of %s", n).isEqualTo(m.get("max_entries").asInt());
            assertThat(o.flags()).as("map_flags of %s", n).isEqualTo(m.get("map_flags").asInt());
            assertThat(o.numaNode()).as("numa_node of %s", n).isEqualTo(m.get("numa_node").asInt());
            assertThat(o.mapExtra()).as("map_extra of %s", n).isEqualTo(m.get("map_extra").asLong());
            assertThat(o.keyTypeId()).as("btf_key_type_id of %s", n).isEqualTo(m.get("btf_key_type_id").asInt());
            assertThat(o.valueTypeId()).as("btf_value_type_id of %s", n).isEqualTo(m.get("btf_value_type_id").asInt());
            assertThat(o.innerMap() == null ? null : o.innerMap().name()).as("inner map of %s", n)
                    .isEqualTo(m.get("inner_map").isNull() ? null : m.get("inner_map").asText());
            if (!m.get("initial_value").isNull() && o.kind() != MapSpec.Kind.KCONFIG) {
                assertThat(HEX.formatHex(o.initialData())).as("initial value of %s", n).isEqualTo(m.get("initial_value").asText());
            }
            count("maps");
        }
    }

    private static void compareLoad(LibbpfGolden g, JsonNode load) {
        ObjectSpec obj = Relocator.resolveExterns(open(g));
        String name = load.get("program").asText();
        JsonNode pl = load.get("prog_load");
        RelocatedProgram rp = Relocator.relocate(obj, name);
        count("programs");
        if (pl.get("accepted").asBoolean()) {
            count("programs the kernel accepted");
        }
        assertThat(rp.programType().id()).isEqualTo(pl.get("type").asInt());
        assertThat(rp.expectedAttachTypeId()).isEqualTo(pl.get("expected_attach_type").asInt());
        assertThat(rp.license()).isEqualTo(pl.get("license").asText());
        assertThat(rp.kernelVersion()).isEqualTo(pl.get("kern_version").asInt());

        byte[] ours = InstructionCodec.encode(rp.instructions(), ByteOrder.LITTLE_ENDIAN);
        JsonNode insns = pl.get("insns");
        assertThat(ours.length / 8).as("slot count").isEqualTo(insns.size());
        Map<Integer, String> refs = new HashMap<>();
        for (JsonNode r : pl.get("map_refs")) {
            refs.put(r.get("slot").asInt(), r.get("map").asText());
        }
        Map<Integer, MapReference> ourRefs = new HashMap<>();
        for (MapReference r : rp.mapReferences()) {
            ourRefs.put(r.slot(), r);
        }
        assertThat(ourRefs.keySet()).as("slots referring to maps").isEqualTo(refs.keySet());
        java.util.Set<Integer> core = coreSlots(obj, rp);
        // typeless __ksym addresses come from the host's /proc/kallsyms (KASLR): not part of relocation
        for (RelocationRecord r : rp.relocations()) {
            if (r.kind() == RelocationKind.EXTERN_LD64 && obj.externs().get(r.externIndex()).typeless()) {
                core.add(r.slot());
                core.add(r.slot() + 1);
                count("typeless ksym slots not compared");
            }
        }
        if (!core.isEmpty()) {
            count("CO-RE-patched slots not compared");
        }
        for (int i = 0; i < insns.size(); i++) {
            if (core.contains(i)) {
                continue; // CO-RE is not implemented yet: these slots keep clang's values
            }
            String want = insns.get(i).asText();
            String got = HEX.formatHex(ours, i * 8, i * 8 + 8);
            if (refs.containsKey(i)) {
                // the imm holds libbpf's fd and our map index: compare everything else, and the map by name
                assertThat(got.substring(0, 8)).as("slot %d of %s", i, name).isEqualTo(want.substring(0, 8));
                assertThat(ourRefs.get(i).mapName()).as("map at slot %d of %s", i, name).isEqualTo(refs.get(i));
            } else {
                assertThat(got).as("slot %d of %s", i, name).isEqualTo(want);
            }
        }
        if (!pl.get("has_btf").asBoolean()) {
            // the kernel refused the object's BTF (e.g. clang's empty parameter names of __naked
            // functions), so libbpf loaded it without BTF, func_info and line_info: a host outcome,
            // not part of relocation
            count("programs loaded by libbpf without BTF (func/line info not compared)");
        } else {
            compareExtInfo(rp, pl);
        }
        compareMaps(obj, load);
    }

    private static void compareExtInfo(RelocatedProgram rp, JsonNode pl) {
        assertThat(rp.funcInfoRecordSize()).isEqualTo(pl.get("func_info_rec_size").asInt());
        List<String> wantFi = new ArrayList<>();
        pl.get("func_info").forEach(r -> wantFi.add(r.get(0).asInt() + ":" + r.get(1).asInt()));
        assertThat(rp.funcInfo()).extracting(f -> f.insnOffset() + ":" + f.typeId()).containsExactlyElementsOf(wantFi);
        assertThat(rp.lineInfoRecordSize()).isEqualTo(pl.get("line_info_rec_size").asInt());
        List<String> wantLi = new ArrayList<>();
        pl.get("line_info").forEach(r -> wantLi.add(r.get(0).asLong() + ":" + r.get(1).asLong() + ":" + r.get(2).asLong()
                + ":" + r.get(3).asLong()));
        assertThat(rp.lineInfo()).extracting(l -> l.insnOffset() + ":" + l.fileNameOffset() + ":" + l.lineOffset() + ":"
                + Integer.toUnsignedLong(l.lineCol())).containsExactlyElementsOf(wantLi);
    }

    /** Slots of the relocated program that a CO-RE record of the object patches (both halves of an ld_imm64). */
    private static java.util.Set<Integer> coreSlots(ObjectSpec obj, RelocatedProgram rp) {
        java.util.Set<Integer> out = new java.util.HashSet<>();
        for (CoreSite c : rp.coreSites()) {
            out.add(c.slot());
            int idx = rp.instructions().indexAtSlot(c.slot());
            if (idx >= 0 && rp.instructions().get(idx).slots() == 2) {
                out.add(c.slot() + 1);
            }
        }
        return out;
    }

    private static void compareMaps(ObjectSpec obj, JsonNode load) {
        // what libbpf wrote into each map it created for this program's object
        for (JsonNode mc : load.get("map_creates")) {
            if (mc.get("errno").asInt() != 0) {
                continue; // libbpf retries without BTF; the retry is the map
            }
            String mapName = mc.get("name").asText();
            MapSpec m = mapName.endsWith(".inner") ? innerOf(obj, mapName) : obj.map(mapName).orElseThrow();
            assertThat(m.typeId()).as("created type of %s", mapName).isEqualTo(mc.get("type").asInt());
            assertThat(m.keySize()).isEqualTo(mc.get("key_size").asInt());
            assertThat(m.valueSize()).isEqualTo(mc.get("value_size").asInt());
            assertThat(m.maxEntries()).isEqualTo(mc.get("max_entries").asInt());
            assertThat(m.flags()).isEqualTo(mc.get("map_flags").asInt());
            assertThat(m.mapExtra()).isEqualTo(mc.get("map_extra").asLong());
            JsonNode updates = mc.get("updates");
            if (m.initialData() != null) {
                assertThat(updates).as("initial data written to %s", mapName).hasSize(1);
                assertThat(HEX.formatHex(m.initialData())).as("initial data of %s", mapName)
                        .isEqualTo(updates.get(0).get("value").asText());
                assertThat(mc.get("frozen").asBoolean()).as("frozen %s", mapName).isEqualTo(m.readOnlyForPrograms());
                count("map images");
            } else if (!m.initialSlots().isEmpty() && updates.size() > 0) {
                // a prog-array slot is filled only when its program was loaded too, and each
                // capture session loads one program: libbpf's filled slots are a subset of ours
                List<Integer> slots = new ArrayList<>();
                updates.forEach(u -> slots.add(Integer.parseUnsignedInt(u.get("key").asText().substring(0, 2), 16)));
                assertThat(m.initialSlots().keySet()).as("initial slots of %s", mapName).containsAll(slots);
            }
        }
    }

    private static MapSpec innerOf(ObjectSpec obj, String name) {
        for (MapSpec m : obj.maps()) {
            if (m.innerMap() != null && m.innerMap().name().equals(name)) {
                return m.innerMap();
            }
        }
        throw new AssertionError("no inner map " + name);
    }

    static Slot slot(String hex) {
        byte[] b = HEX.parseHex(hex);
        return InstructionCodec.readSlot(b, 0, ByteOrder.LITTLE_ENDIAN);
    }
}
