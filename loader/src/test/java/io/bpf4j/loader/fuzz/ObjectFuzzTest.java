package io.bpf4j.loader.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bpf4j.isa.BpfException;
import io.bpf4j.loader.BpfMap;
import io.bpf4j.loader.BpfObject;
import io.bpf4j.loader.BpfProgram;
import io.bpf4j.loader.LoadOptions;
import io.bpf4j.loader.OpenOptions;
import io.bpf4j.loader.TestRunInput;
import io.bpf4j.testdata.CraftedElf;

/**
 * Coverage-guided fuzz targets (issue 20). Without {@code JAZZER_FUZZ=1} each target runs its
 * committed inputs ({@code ObjectFuzzTestInputs/<target>/} in the test resources) as a regression
 * test in the normal build; with it, Jazzer mutates them for {@code -Djazzer.max_duration} or
 * {@code max_duration} in the annotation. A finding is any exception that is not one of bpf4j's
 * typed input errors ({@link BpfException}): a JDK exception, an OutOfMemoryError, a hang.
 */
class ObjectFuzzTest {
    /** No file, host Kconfig or BTF: the same input gives the same answer on every machine. */
    private static final OpenOptions OPEN = OpenOptions.builder().objectName("fuzz").readHostKconfig(false).kernelVersion(0x061200)
            .maxGlobalData(16L << 20).build();

    /** Any bytes as an object file: open, read every program and map as {@code inspect} does, load (verifying), run. */
    @FuzzTest(maxDuration = "30s")
    void openInspectLoadRun(byte[] file) {
        try (BpfObject obj = BpfObject.open(file, OPEN)) {
            for (BpfProgram p : obj.programs()) {
                p.instructions().forEach(Object::toString);
                // the xlated dump walks functions, func_info and line_info
                p.disassemble();
            }
            for (BpfMap m : obj.maps()) {
                m.info().toString();
            }
            obj.load();
            for (BpfProgram p : obj.programs()) {
                run(p);
            }
        } catch (BpfException expected) {
            // a typed refusal of bad input is the right answer
        }
    }

    /** Any bytes as the instructions of an XDP program: verify as load() does, and run what the verifier accepts. */
    @FuzzTest(maxDuration = "30s")
    void verifyAndRunProgram(FuzzedDataProvider data) {
        boolean verify = data.consumeBoolean();
        byte[] packet = data.consumeBytes(data.consumeInt(0, 256));
        byte[] code = data.consumeRemainingAsBytes();
        CraftedElf w = new CraftedElf();
        w.add("xdp", CraftedElf.PROGBITS, CraftedElf.ALLOC | CraftedElf.EXEC, code, 0, 0, 0);
        w.add(".strtab", CraftedElf.STRTAB, 0, CraftedElf.strings("prog"), 0, 0, 0);
        w.add(".symtab", CraftedElf.SYMTAB, 0, CraftedElf.concat(CraftedElf.symbol(0, 0, 0, 0, 0),
                CraftedElf.symbol(1, 0x12, 1, 0, code.length)), 2, 1, 24);
        w.add("license", CraftedElf.PROGBITS, CraftedElf.ALLOC, CraftedElf.strings("GPL"), 0, 0, 0);
        try (BpfObject obj = BpfObject.open(w.bytes(), OPEN)) {
            obj.load(LoadOptions.builder().verify(verify).build());
            for (BpfProgram p : obj.programs()) {
                p.testRun(TestRunInput.ofData(packet));
            }
        } catch (BpfException expected) {
            // refused at open, by the verifier, or a fault of the run: all typed
        }
    }

    private static void run(BpfProgram p) {
        try {
            p.testRun(TestRunInput.ofContext(new byte[64]));
        } catch (BpfException expected) {
            // not every program type takes a 64-byte context; a refusal is typed
        }
    }
}
