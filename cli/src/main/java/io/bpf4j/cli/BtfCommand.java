package io.bpf4j.cli;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfDumper;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code bpf4j btf dump OBJ}: the object's BTF as {@code bpftool btf dump file OBJ} prints it. */
@Command(name = "btf", description = "Inspect BTF, as bpftool btf does.", mixinStandardHelpOptions = true,
        subcommands = BtfCommand.Dump.class)
final class BtfCommand {
    @ParentCommand
    Bpf4j root;

    @Command(name = "dump", description = "Dump the BTF of an object in bpftool's raw format.", mixinStandardHelpOptions = true)
    static final class Dump implements Callable<Integer> {
        @ParentCommand
        BtfCommand btf;

        @Parameters(paramLabel = "OBJ", description = "A BPF ELF object.")
        Path object;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ElfObject elf = ObjectFile.read(object);
            Btf btf = elf.btf().orElseThrow(() -> new CliException(object + ": no .BTF section"));
            Output out = btf().root.output(spec.commandLine().getOut());
            if (out.json()) {
                out.printJson(BtfJson.types(btf));
            } else {
                out.out().print(BtfDumper.dump(btf));
            }
            return 0;
        }

        private BtfCommand btf() {
            return btf;
        }
    }
}
