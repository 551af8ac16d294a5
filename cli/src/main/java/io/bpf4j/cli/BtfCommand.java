package io.bpf4j.cli;

import io.bpf4j.loader.BpfBtf;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code bpf4j btf dump FILE}: the BTF of an object or a raw BTF file as {@code bpftool btf dump file FILE} prints it. */
@Command(name = "btf", description = "Inspect BTF, as bpftool btf does.", mixinStandardHelpOptions = true,
        subcommands = BtfCommand.Dump.class)
final class BtfCommand {
    @ParentCommand
    Bpf4j root;

    @Command(name = "dump", mixinStandardHelpOptions = true,
            description = "Dump the BTF of an object or of a raw BTF file (/sys/kernel/btf/vmlinux) in bpftool's raw format.")
    static final class Dump implements Callable<Integer> {
        @ParentCommand
        BtfCommand btf;

        @Parameters(index = "0", paramLabel = "FILE", description = "A BPF ELF object or a raw BTF file.")
        Path object;

        @Parameters(index = "1..*", arity = "0..2", paramLabel = "format raw|c",
                description = {"'format raw' (default): one line per type;", "'format c': C declarations, as in a vmlinux header."})
        java.util.List<String> format = new java.util.ArrayList<>();

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            boolean c = cFormat();
            ObjectFile.bytes(object); // the same checks and messages as every other command
            BpfBtf data;
            try {
                data = BpfBtf.read(object);
            } catch (io.bpf4j.isa.BpfException e) {
                throw new CliException(object + ": " + e.getMessage(), e);
            }
            Output out = btf.root.output(spec.commandLine().getOut());
            if (c) {
                if (out.json()) {
                    // bpftool prints C even under -j; one JSON document here instead
                    out.printJson(java.util.Map.of("format_c", data.formatC()));
                } else {
                    out.out().print(data.formatC());
                }
            } else if (out.json()) {
                out.printJson(data.toJson());
            } else {
                out.out().print(data.dump());
            }
            return 0;
        }

        private boolean cFormat() {
            if (format.isEmpty()) {
                return false;
            }
            if (format.size() != 2 || !format.get(0).equals("format") || !format.get(1).matches("raw|c")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "expected 'format raw' or 'format c' after FILE, not '" + String.join(" ", format) + "'");
            }
            return format.get(1).equals("c");
        }
    }
}
