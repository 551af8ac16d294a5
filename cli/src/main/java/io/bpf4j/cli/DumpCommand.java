package io.bpf4j.cli;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.ObjdumpListings;
import io.bpf4j.isa.text.LlvmSyntax;
import io.bpf4j.loader.BpfObject;
import io.bpf4j.loader.BpfProgram;
import io.bpf4j.elf.spec.MapSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code bpf4j dump}: an object's programs, relocated (bpftool xlated syntax) or as compiled (llvm-objdump). */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"Disassemble an object's programs.",
            "--format=xlated (default): each entry program after relocation, as bpftool prog dump xlated prints it,",
            "with maps by name, calls as call pc+N#callee and function addresses as subprog[+N]#callee.",
            "--format=llvm: exactly what llvm-objdump -dr prints (the object as compiled); --llvm=19 for",
            "llvm-objdump-19's syntax, 22 (default) for llvm-objdump-22's."})
final class DumpCommand implements Callable<Integer> {
    /** The dialects {@code dump} speaks. */
    enum Format { xlated, llvm }

    @ParentCommand
    Bpf4j root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "OBJ", description = "A BPF ELF object.")
    Path object;

    @Option(names = "--format", description = "Output dialect: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).", defaultValue = "xlated")
    Format format;

    @Option(names = "--prog", paramLabel = "NAME", description = "Only this program (xlated).")
    String prog;

    @Option(names = "--opcodes", description = "Print each instruction's raw bytes beneath it, as bpftool's opcodes keyword does (xlated).")
    boolean opcodes;

    @Option(names = "--llvm", paramLabel = "VERSION", description = "Which llvm-objdump to print as: 19 or 22 (default: ${DEFAULT-VALUE}) (llvm).", defaultValue = "22")
    String llvm;

    @Option(names = "--mcpu", description = "llvm-objdump --mcpu syntax: v1, v2, v3, v4 (default: what plain llvm-objdump of that version decodes, v1 for 19, v3 for 22) (llvm).")
    String mcpu;

    @Override
    public Integer call() throws Exception {
        Output out = root.output(spec.commandLine().getOut());
        if (format == Format.llvm) {
            ElfObject elf = ObjectFile.read(object);
            LlvmSyntax.Version version = version();
            out.out().print(ObjdumpListings.of(elf, LlvmSyntax.of(version, mcpu == null ? version.defaultCpu() : cpu())).render());
            return 0;
        }
        try (BpfObject obj = ObjectFile.open(object, root.openOptions().build())) {
            List<BpfProgram> programs = selected(obj);
            if (out.json()) {
                List<Object> json = new ArrayList<>();
                for (BpfProgram p : programs) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", p.name());
                    m.put("section", p.sectionName());
                    m.put("type", p.type().displayName());
                    m.put("insns", dumper(obj, p).json());
                    json.add(m);
                }
                out.printJson(json);
                return 0;
            }
            boolean headers = programs.size() > 1;
            for (int i = 0; i < programs.size(); i++) {
                BpfProgram p = programs.get(i);
                if (headers) {
                    if (i > 0) {
                        out.println("");
                    }
                    out.println("prog '" + p.name() + "' section '" + p.sectionName() + "' type " + p.type().displayName() + ":");
                }
                for (String line : dumper(obj, p).lines(opcodes)) {
                    out.println(line);
                }
            }
        }
        return 0;
    }

    private static XlatedDump dumper(BpfObject obj, BpfProgram p) {
        // table loads carry the object's map count plus the index of the program's own table map
        List<MapSpec> maps = new java.util.ArrayList<>(obj.spec().maps());
        p.relocated().indirect().tables().forEach(t -> maps.add(t.spec()));
        return new XlatedDump(p.relocated(), maps, obj.spec().btf().orElse(null));
    }

    private List<BpfProgram> selected(BpfObject obj) {
        if (prog == null) {
            return obj.programs();
        }
        return List.of(obj.program(prog).orElseThrow(() -> new CliException(object + ": no program named '" + prog + "'")));
    }

    private LlvmSyntax.Version version() {
        try {
            return LlvmSyntax.Version.parse(llvm);
        } catch (IllegalArgumentException e) {
            throw new CliException("--llvm: " + e.getMessage());
        }
    }

    private LlvmSyntax.Cpu cpu() {
        try {
            return LlvmSyntax.Cpu.valueOf(mcpu.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CliException("--mcpu: '" + mcpu + "' is not one of v1, v2, v3, v4");
        }
    }
}
