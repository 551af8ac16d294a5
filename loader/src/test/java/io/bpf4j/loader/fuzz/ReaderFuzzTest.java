package io.bpf4j.loader.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bpf4j.isa.BpfException;
import io.bpf4j.loader.BpfBtf;
import io.bpf4j.loader.BpfMap;
import io.bpf4j.loader.BpfObject;
import io.bpf4j.loader.BpfProgram;
import io.bpf4j.loader.ElfView;
import io.bpf4j.loader.OpenOptions;
import java.nio.file.Path;

/**
 * The ELF and BTF reader alone (issue 20): any bytes through what {@code inspect}, {@code dump} and
 * {@code btf dump} read, without loading or running. It is its own class because Jazzer fuzzes only
 * the first {@code @FuzzTest} of a class; without loading, an input costs microseconds, so a long
 * run reaches millions of executions where {@link ObjectFuzzTest#openInspectLoadRun} reaches hundreds.
 * The dictionary holds the size fields' edge values. CO-RE resolves against a small fixed target
 * BTF, never the host's, so an input gives the same answer on every machine and an execution does
 * not parse 5 MB of vmlinux BTF.
 *
 * <p>A long run (the regression inputs run in every build):
 * {@code JAZZER_FUZZ=1 JAZZER_INSTRUMENT='io.bpf4j.**' mvn -o -pl loader -am verify -Dtest=ReaderFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false} fuzzes for the annotation's {@code maxDuration}; new corpus
 * entries go to {@code loader/.cifuzz-corpus}, findings next to the committed inputs.
 */
class ReaderFuzzTest {
    private static final OpenOptions OPEN = OpenOptions.builder().objectName("fuzz").readHostKconfig(false).kernelVersion(0x061200)
            .targetBtf(Path.of("../relocator/src/test/resources/core/targets/core_target.btf"))
            .maxGlobalData(16L << 20).build();

    @FuzzTest(maxDuration = "15m")
    @DictionaryFile(resourcePath = "reader.dict")
    void openAndInspect(byte[] file) {
        try {
            ElfView elf = ElfView.parse(file);
            elf.sections().forEach(Object::toString);
            elf.symbols().forEach(Object::toString);
            elf.functions().forEach(Object::toString);
            elf.relocations().forEach(Object::toString);
        } catch (BpfException expected) {
            // a typed refusal of bad input is the right answer
        }
        try {
            BpfBtf btf = BpfBtf.parse(file);
            btf.dump();
            btf.toJson();
            btf.formatC();
        } catch (BpfException expected) {
            // raw BTF: most inputs are not
        }
        try (BpfObject obj = BpfObject.open(file, OPEN)) {
            BpfBtf.of(obj).ifPresent(b -> {
                b.dump();
                b.formatC();
            });
            for (BpfProgram p : obj.programs()) {
                p.instructions().forEach(Object::toString);
                p.disassemble();
            }
            for (BpfMap m : obj.maps()) {
                m.info().toString();
            }
        } catch (BpfException expected) {
            // a typed refusal of bad input is the right answer
        }
    }
}
