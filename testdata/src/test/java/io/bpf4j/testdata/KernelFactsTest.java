package io.bpf4j.testdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * The live-capture code against simulated kernels: a capture from another build (other BTF ids,
 * kallsyms, Kconfig) is reported fact by fact; a refusal for a helper the build lacks is told
 * apart from one of the program; a BTF blob renumbered as another build would number it keeps
 * its meaning. The kernel-tagged test loads an object one of whose programs the kernel refuses
 * for a helper, and gets the other program loaded and the refused one named with the reason.
 */
class KernelFactsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A committed capture of kconfig.v1.el.o, and the same with this boot's and build's facts changed. */
    @Test
    void aCaptureFromAnotherBuildIsReportedFactByFact() throws Exception {
        JsonNode committed = JSON.readTree(TestData.dir().resolve("goldens/libbpf-relo/kconfig.v1.el.json").toFile());
        ObjectNode other = committed.deepCopy();
        other.put("host_kconfig", committed.get("host_kconfig").asText().replace("-fc-v657", "-fc-v1300"));
        ObjectNode load = (ObjectNode) other.get("loads").get(0);
        ((com.fasterxml.jackson.databind.node.ArrayNode) load.get("prog_load").get("insns")).set(48,
                JSON.getNodeFactory().textNode("1801000000d0ad8b"));
        ((ObjectNode) load.get("map_creates").get(1).get("updates").get(0)).put("value", "changed");
        ((ObjectNode) other.get("maps").get(0)).put("pin_path", "/sys/fs/bpf/elsewhere");

        List<KernelFacts.Change> changes = KernelFacts.diff(committed, other);

        assertThat(changes).extracting(KernelFacts.Change::fact).containsExactly(
                "host_kconfig",
                "loads[kconfig_check].map_creates[kconfig.kconfig].updates[0].value",
                "loads[kconfig_check].prog_load.insns[48]");
        assertThat(changes.get(2).toString())
                .isEqualTo("loads[kconfig_check].prog_load.insns[48]: committed 18010000f0384d81, live 1801000000d0ad8b");
        assertThat(KernelFacts.diff(committed, committed.deepCopy())).isEmpty();
    }

    @Test
    void aProgramOrLoadThatDisappearsIsAChangedFact() throws Exception {
        JsonNode a = JSON.readTree("{\"loads\":[{\"program\":\"p\",\"prog_load\":{\"accepted\":true}},{\"program\":\"q\"}]}");
        JsonNode b = JSON.readTree("{\"loads\":[{\"program\":\"p\",\"prog_load\":{\"accepted\":false}}]}");
        assertThat(KernelFacts.diff(a, b)).extracting(Object::toString).containsExactly(
                "loads.length: committed 2, live 1",
                "loads[p].prog_load.accepted: committed true, live false");
    }

    /** What libbpf 1.1 printed on the -fc-v1300 build for the jit test's XDP object (issue 9). */
    @Test
    void aHelperTheBuildLacksIsARefusalOfTheBuild() {
        String out = String.join("\n",
                "prog xdp_adjust",
                "libbpf: prog 'xdp_adjust': BPF program load failed: Invalid argument",
                "libbpf: prog 'xdp_adjust': -- BEGIN PROG LOAD LOG --",
                "0: R1=ctx() R10=fp0",
                "12: (85) call bpf_xdp_adjust_meta#54",
                "program of this type cannot use helper bpf_xdp_adjust_meta#54",
                "processed 13 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0",
                "-- END PROG LOAD LOG --",
                "libbpf: prog 'xdp_adjust': failed to load: -22",
                "libbpf: failed to load object 'xdp.bpf.o'");
        Refusal r = new Refusal("xdp_adjust", Refusal.reason(out));
        assertThat(r.reason()).isEqualTo("program of this type cannot use helper bpf_xdp_adjust_meta#54");
        assertThat(r.ofTheKernelBuild()).isTrue();

        String lockdown = String.join("\n",
                "libbpf: prog 'sec_fentry': BPF program load failed: Operation not permitted",
                "libbpf: permission error while running as root; try raising 'ulimit -l'? current value: 8.0 MiB",
                "libbpf: prog 'sec_fentry': failed to load: -1",
                "libbpf: failed to load object 'sections.v1.el.o'");
        assertThat(Refusal.reason(lockdown)).isEqualTo("Operation not permitted (empty log)");
        assertThat(new Refusal("sec_fentry", Refusal.reason(lockdown)).ofTheKernelBuild()).isTrue();

        Refusal program = new Refusal("p", "R1 invalid mem access 'scalar'");
        assertThat(program.ofTheKernelBuild()).isFalse();
    }

    @Test
    void refusedAbortsTheTestNamingProgramAndReason() {
        assertThatThrownBy(() -> {
            throw KernelFacts.refused("(simulated) xdp.bpf.o xdp_adjust", "program of this type cannot use helper bpf_xdp_adjust_meta#54");
        }).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("refuses (simulated) xdp.bpf.o xdp_adjust: program of this type cannot use helper bpf_xdp_adjust_meta#54");
    }

    /** A refusal is skipped when the committed survey records it or the build explains it, and fails otherwise. */
    @Test
    void aRefusalIsSkippedOnlyWhenSomethingExplainsIt() {
        assertThat(KernelFacts.refusedProgram("sections.v1.el.o", new Refusal("sec_fentry", "Operation not permitted (empty log)")))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("records it rejected too");
        assertThat(KernelFacts.refusedProgram("minimal.v1.el.o",
                new Refusal("xdp_pass", "program of this type cannot use helper bpf_xdp_adjust_meta#54")))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("a limit of this build");
        assertThatThrownBy(() -> KernelFacts.refusedProgram("minimal.v1.el.o", new Refusal("xdp_pass", "R1 invalid mem access 'scalar'")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("not one of its build");
    }

    /** Two types (int, a pointer to it, a struct with an int member, a func proto) moved up by 3. */
    @Test
    void shiftedBtfRenumbersEveryReference() {
        ByteBuffer t = ByteBuffer.allocate(12 + 4 + 12 + 12 + 12 + 12 + 8).order(ByteOrder.LITTLE_ENDIAN);
        t.putInt(1).putInt(1 << 24).putInt(4).putInt(32);             // [1] INT "a" size 4, 32 bits
        t.putInt(0).putInt(2 << 24).putInt(1);                         // [2] PTR -> [1]
        t.putInt(3).putInt(4 << 24 | 1).putInt(4);                     // [3] STRUCT "c" size 4, 1 member
        t.putInt(5).putInt(1).putInt(0);                               //     member "e" type [1] offset 0
        t.putInt(0).putInt(13 << 24 | 1).putInt(2);                    // [4] FUNC_PROTO returns [2], 1 param
        t.putInt(0).putInt(0);                                         //     param: void (varargs)
        byte[] strings = "\0a\0c\0e\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuffer btf = ByteBuffer.allocate(24 + t.capacity() + strings.length).order(ByteOrder.LITTLE_ENDIAN);
        btf.putShort((short) 0xeb9f).put((byte) 1).put((byte) 0).putInt(24).putInt(0).putInt(t.capacity())
                .putInt(t.capacity()).putInt(strings.length).put(t.array()).put(strings);

        ByteBuffer s = ByteBuffer.wrap(ShiftedBtf.shift(btf.array(), 3)).order(ByteOrder.LITTLE_ENDIAN);
        int types = 24 + 3 * 12;
        assertThat(s.getInt(12)).as("type_len").isEqualTo(t.capacity() + 36);
        assertThat(s.getInt(24 + 4)).as("padding is a PTR").isEqualTo(2 << 24);
        assertThat(s.getInt(types + 8)).as("INT size").isEqualTo(4);
        assertThat(s.getInt(types + 16 + 8)).as("PTR now -> [4]").isEqualTo(4);
        assertThat(s.getInt(types + 28 + 12 + 4)).as("member type now [4]").isEqualTo(4);
        assertThat(s.getInt(types + 52 + 8)).as("return type now [5]").isEqualTo(5);
        assertThat(s.getInt(types + 52 + 12 + 4)).as("void param stays void").isEqualTo(0);
        byte[] tail = new byte[strings.length];
        s.get(s.capacity() - strings.length, tail);
        assertThat(tail).isEqualTo(strings);
    }

    /**
     * The running kernel refuses one program of an object for a helper (as a build without
     * bpf_xdp_adjust_meta refuses xdp_adjust): the other is loaded and runs, the refused one is
     * named with the verifier's reason.
     */
    @Test
    @Tag("kernel")
    void aProgramTheKernelRefusesIsLeftOutByNameWithTheReason() {
        KernelFacts.assumeKernel();
        Path object = Path.of("src/test/resources/refused_helper.el.o");
        try (LiveKernel k = LiveKernel.load(object, List.of("*"))) {
            assertThat(k.refused()).containsOnlyKeys("xdp_lacks_helper");
            Refusal r = k.refused().get("xdp_lacks_helper");
            assertThat(r.reason()).isEqualTo("program of this type cannot use helper bpf_skb_load_bytes#26");
            assertThat(r.ofTheKernelBuild()).isTrue();
            assertThat(k.run("xdp_fine", new byte[64], null).retval()).isEqualTo(2);
        }
    }
}
