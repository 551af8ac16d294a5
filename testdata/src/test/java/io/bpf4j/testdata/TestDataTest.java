package io.bpf4j.testdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TestDataTest {

    @Test
    void everyObjectHasBothGoldensAndTheyDescribeIt() throws IOException {
        List<Path> objects = TestData.objects();
        assertThat(objects).hasSizeGreaterThanOrEqualTo(60);
        for (Path o : objects) {
            Path dump = TestData.golden("llvm-objdump", o);
            Path btf = TestData.golden("btf", o);
            assertThat(dump).as("objdump golden of %s", o).isRegularFile();
            assertThat(btf).as("btf golden of %s", o).isRegularFile();
            String text = Files.readString(dump);
            assertThat(text).contains(o.getFileName() + ":\tfile format elf64-bpf");
            assertThat(Files.readString(btf)).contains("[1] ");
        }
    }

    @Test
    void noGoldenWithoutObject() throws IOException {
        Set<String> names = TestData.objects().stream().map(p -> p.getFileName().toString())
                .collect(Collectors.toSet());
        for (String kind : List.of("llvm-objdump", "btf")) {
            try (Stream<Path> s = Files.list(TestData.dir().resolve("goldens").resolve(kind))) {
                s.forEach(g -> assertThat(names).contains(g.getFileName().toString().replaceAll("\\.txt$", "")));
            }
        }
    }

    @Test
    void manifestMatchesObjectsAndEverySourceProducedAnObject() throws IOException {
        List<String> lines = Files.readAllLines(TestData.manifest());
        Set<String> listed = new TreeSet<>();
        Set<String> builtSources = new TreeSet<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            assertThat(f).hasSize(6);
            Path obj = TestData.object(f[0]);
            assertThat(f[1]).isEqualTo(TestData.sourceName(f[0]) + ".bpf.c");
            assertThat(f[2]).isEqualTo("-mcpu=" + TestData.cpu(obj));
            assertThat(f[4]).isEqualTo(TestData.isBigEndian(obj) ? "bpfeb" : "bpfel");
            assertThat(f[5]).isEqualTo(TestData.toolchain(obj));
            listed.add(f[0]);
            builtSources.add(f[1]);
        }
        assertThat(listed).containsExactlyElementsOf(
                TestData.objects().stream().map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
        Set<String> sources;
        try (Stream<Path> s = Files.list(TestData.dir().resolve("src"))) {
            sources = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".bpf.c"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(builtSources).isEqualTo(sources);
        for (String src : sources) {
            assertThat(TestData.source(src)).isRegularFile();
        }
    }

    @Test
    void byteOrderInTheNameMatchesTheElfHeader() throws IOException {
        for (Path o : TestData.objects()) {
            byte[] head = Files.readAllBytes(o);
            assertThat(head[0]).isEqualTo((byte) 0x7f);
            // EI_DATA: 1 little endian, 2 big endian; e_machine 247 (EM_BPF) in that order
            ByteOrder order = TestData.isBigEndian(o) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            assertThat(head[5]).as("EI_DATA of %s", o).isEqualTo((byte) (order == ByteOrder.BIG_ENDIAN ? 2 : 1));
            int machine = order == ByteOrder.BIG_ENDIAN ? ((head[18] & 0xff) << 8) | (head[19] & 0xff)
                    : ((head[19] & 0xff) << 8) | (head[18] & 0xff);
            assertThat(machine).isEqualTo(247);
        }
    }

    @Test
    void everyLittleEndianObjectIsInTheKernelSurvey() throws IOException {
        Set<String> surveyed = Files.readAllLines(TestData.kernelAccepts()).stream()
                .filter(l -> !l.startsWith("#"))
                .map(l -> l.substring(0, l.indexOf(' ')))
                .collect(Collectors.toSet());
        for (Path o : TestData.objects()) {
            if (!TestData.isBigEndian(o)) {
                assertThat(surveyed).contains(o.getFileName().toString());
            }
        }
    }

    @Test
    void theKernelComputedTheTalksCalculonResults() throws IOException {
        List<String> runs = Files.readAllLines(TestData.kernelRuns());
        assertThat(runs).contains(
                "calculon_switch.v1.el.o calculon_selftest zero-ctx retval 0",
                "calculon_switch.v1.el.o calculon_run 1234567++++++ result 28 status 0",
                "calculon_switch.v1.el.o calculon_run 2222222***** result 128 status 0",
                "calculon_switch.v1.el.o calculon_run 34+6522*321+*+*+*222**16+39-41+4321+*+*+*+-3+ result 11 status 0");
    }

    @Test
    void libbpfGoldensBelongToLittleEndianObjects() throws IOException {
        Path dir = TestData.dir().resolve("goldens").resolve("libbpf");
        List<Path> goldens;
        try (Stream<Path> s = Files.list(dir)) {
            goldens = s.sorted().collect(Collectors.toList());
        }
        assertThat(goldens).isNotEmpty();
        for (Path g : goldens) {
            String object = g.getFileName().toString().replaceAll("\\.json$", "");
            Path o = TestData.object(object);
            assertThat(TestData.isBigEndian(o)).isFalse();
            assertThat(TestData.golden("libbpf", o)).isEqualTo(g);
            assertThat(Files.readString(g)).startsWith("{\n  \"object\": \"" + object + "\"");
        }
        assertThat(TestData.golden("libbpf", TestData.object("map_in_map.v3.el.o"))).isRegularFile();
    }

    @Test
    void namesAndLookups() {
        Path o = TestData.object("calculon_switch.v1.el.o");
        assertThat(TestData.cpu(o)).isEqualTo("v1");
        assertThat(TestData.isBigEndian(o)).isFalse();
        assertThat(TestData.isBigEndian(TestData.object("minimal.v2.eb.o"))).isTrue();
        assertThat(TestData.source("calculon_switch")).isEqualTo(TestData.source("calculon_switch.v1.el.o"));
        assertThat(TestData.golden("llvm-objdump", o).getFileName().toString())
                .isEqualTo("calculon_switch.v1.el.o.txt");
        assertThat(TestData.objectsStartingWith("calculon_")).isNotEmpty()
                .allMatch(p -> p.getFileName().toString().startsWith("calculon_"));
        assertThatThrownBy(() -> TestData.object("nope.v1.el.o")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nope.v1.el.o'");
        assertThatThrownBy(() -> TestData.isBigEndian(Path.of("minimal.o")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
