package io.bpf4j.cli;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.ObjdumpListings;
import io.bpf4j.isa.text.LlvmSyntax;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code bpf4j dump}: disassembly of an object's programs. */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Disassemble an object: --format=llvm prints what llvm-objdump -dr prints.")
final class DumpCommand implements Callable<Integer> {
    /** The dialects {@code dump} speaks. */
    enum Format { llvm }

    @ParentCommand
    Bpf4j root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "OBJ", description = "A BPF ELF object.")
    Path object;

    @Option(names = "--format", description = "Output dialect: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).", defaultValue = "llvm")
    Format format;

    @Option(names = "--mcpu", description = "llvm-objdump --mcpu syntax: v1 (default, as plain llvm-objdump), v2, v3, v4.", defaultValue = "v1")
    String mcpu;

    @Override
    public Integer call() throws Exception {
        ElfObject elf = ObjectFile.read(object);
        Output out = root.output(spec.commandLine().getOut());
        out.out().print(ObjdumpListings.of(elf, LlvmSyntax.of(cpu())).render());
        return 0;
    }

    private LlvmSyntax.Cpu cpu() {
        try {
            return LlvmSyntax.Cpu.valueOf(mcpu.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CliException("--mcpu: '" + mcpu + "' is not one of v1, v2, v3, v4");
        }
    }
}
