package io.bpf4j.relocator;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.spec.MapSpec;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The project corpus (testdata/objects): big-endian twins and the legacy maps libbpf 1.x refuses. */
class CorpusTest {
    static final Path OBJECTS = Path.of(System.getProperty("bpf4j.root", "."), "testdata/objects");

    static ObjectSpec open(Path p) throws IOException {
        RelocatorOptions o = RelocatorOptions.builder().kernelVersion(0x06122c).kconfig("CONFIG_HZ=250\nCONFIG_BPF_SYSCALL=y\n")
                .build();
        return Relocator.open(ElfObject.read(Files.readAllBytes(p)), "obj", o);
    }

    /**
     * Every big-endian object opens and relocates as its little-endian twin: same programs, maps,
     * subprograms appended in the same order, the same maps referenced, as many func_info records
     * and relocations of each kind. (Code itself may differ: clang emits byte-order dependent
     * sequences, even of other lengths, per target.)
     */
    @TestFactory
    List<DynamicTest> bigEndianTwinsRelocateAlike() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> s = Files.list(OBJECTS)) {
            for (Path eb : s.filter(p -> p.toString().endsWith(".eb.o")).sorted().toList()) {
                Path el = eb.resolveSibling(eb.getFileName().toString().replace(".eb.o", ".el.o"));
                tests.add(DynamicTest.dynamicTest(eb.getFileName().toString(), () -> compareTwins(el, eb)));
            }
        }
        assertThat(tests).hasSizeGreaterThan(10);
        return tests;
    }

    private static void compareTwins(Path el, Path eb) throws IOException {
        Throwable elFailure = catchThrowable(() -> open(el));
        Throwable ebFailure = catchThrowable(() -> open(eb));
        if (elFailure != null) {
            // refused alike, with the same message
            assertThat(ebFailure).isNotNull().hasMessage(elFailure.getMessage());
            return;
        }
        assertThat(ebFailure).isNull();
        ObjectSpec a = open(el);
        ObjectSpec b = open(eb);
        assertThat(b.programs()).extracting(ProgramSpec::name).isEqualTo(a.programs().stream().map(ProgramSpec::name).toList());
        assertThat(b.maps()).extracting(MapSpec::name).isEqualTo(a.maps().stream().map(MapSpec::name).toList());
        for (ProgramSpec p : a.programs()) {
            RelocatedProgram x = Relocator.relocate(a, p.name());
            RelocatedProgram y = Relocator.relocate(b, p.name());
            assertThat(y.subprograms()).as(p.name()).isEqualTo(x.subprograms());
            assertThat(y.mapReferences()).extracting(MapReference::mapName).as(p.name())
                    .containsExactlyInAnyOrderElementsOf(x.mapReferences().stream().map(MapReference::mapName).toList());
            assertThat(y.funcInfo()).extracting(FuncInfoRecord::typeId).as(p.name())
                    .isEqualTo(x.funcInfo().stream().map(FuncInfoRecord::typeId).toList());
            assertThat(y.relocations()).extracting(RelocationRecord::kind).as(p.name())
                    .containsExactlyInAnyOrderElementsOf(x.relocations().stream().map(RelocationRecord::kind).toList());
        }
    }

    @Test
    void legacyMapsAreReadAsLibbpf0xReadThem() throws IOException {
        ObjectSpec obj = open(OBJECTS.resolve("legacy_maps.v1.el.o"));
        assertThat(obj.maps()).extracting(MapSpec::name, MapSpec::typeId, MapSpec::keySize, MapSpec::valueSize,
                MapSpec::maxEntries, MapSpec::flags).startsWith(
                org.assertj.core.groups.Tuple.tuple("legacy_array", 2, 4, 8, 16, 0),
                org.assertj.core.groups.Tuple.tuple("legacy_hash", 1, 4, 4, 256, 1),
                org.assertj.core.groups.Tuple.tuple("legacy_progs", 3, 4, 4, 4, 0));
        assertThat(obj.maps().get(0).kind()).isEqualTo(MapSpec.Kind.LEGACY);
        RelocatedProgram p = Relocator.relocate(obj, "legacy_socket");
        assertThat(p.mapReferences()).extracting(MapReference::mapName).contains("legacy_array", "legacy_hash", "legacy_progs");
        // both byte orders of the relocator's own legacy object
        for (String name : List.of("reloc_legacy.el.o", "reloc_legacy.eb.o")) {
            ObjectSpec o = open(Path.of("src/test/resources/objects", name));
            assertThat(o.maps()).extracting(MapSpec::name, MapSpec::typeId, MapSpec::keySize, MapSpec::valueSize,
                    MapSpec::maxEntries, MapSpec::flags).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("counts", 2, 4, 8, 16, 0),
                    org.assertj.core.groups.Tuple.tuple("seen", 1, 4, 4, 256, 1));
            assertThat(Relocator.relocate(o, "legacy").mapReferences()).extracting(MapReference::mapName)
                    .containsExactly("counts", "seen");
        }
    }
}
