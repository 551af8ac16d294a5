package io.bpf4j.cli;

import io.bpf4j.loader.BpfObject;
import io.bpf4j.loader.ElfView;
import io.bpf4j.loader.BpfProgram;
import io.bpf4j.loader.XlatedInstruction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
            "--format=xlated (default): each entry program after relocation, as",
            "  bpftool prog dump xlated prints it, with maps by name, calls as",
            "  call pc+N#callee and function addresses as subprog[+N]#callee.",
            "--format=llvm: exactly what llvm-objdump -dr prints (the object as compiled);",
            "  --llvm=19 for llvm-objdump-19's syntax, 22 (default) for llvm-objdump-22's."})
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

    @Option(names = "--prog", paramLabel = "NAME", description = "Only this program (with --format=llvm: its function, as llvm-objdump --disassemble-symbols does).")
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
            ElfView elf = ObjectFile.read(object);
            String listing = llvm(elf);
            if (out.json()) {
                // llvm-objdump has no JSON: the listing's lines, as one document
                out.printJson(Map.of("llvm_objdump", List.of(listing.split("\n"))));
            } else {
                out.out().print(listing);
            }
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
                    m.put("insns", insns(p));
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
                for (String line : p.disassemble(opcodes)) {
                    out.println(line);
                }
            }
        }
        return 0;
    }

    /** Every instruction's fields and what it references, keyed as bpftool -j keys them. */
    private static List<Map<String, Object>> insns(BpfProgram p) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (XlatedInstruction x : p.xlatedInstructions()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pc", x.pc());
            m.put("code", x.code());
            m.put("dst_reg", x.dstReg());
            m.put("src_reg", x.srcReg());
            m.put("off", x.off());
            m.put("imm", x.imm());
            if (x.immHi() != null) {
                m.put("imm_hi", x.immHi());
            }
            if (x.map() != null) {
                m.put("map", x.map());
            }
            if (x.callee() != null) {
                m.put("callee", x.callee());
            }
            m.put("disasm", x.disasm());
            out.add(m);
        }
        return out;
    }

    private List<BpfProgram> selected(BpfObject obj) {
        if (prog == null) {
            return obj.programs();
        }
        return List.of(obj.program(prog).orElseThrow(() -> new CliException(object + ": no program named '" + prog + "'")));
    }

    private int llvmVersion() {
        String digits = llvm.replaceAll("(?i)^llvm-?", "");
        if (!digits.equals("19") && !digits.equals("22")) {
            throw new CliException("--llvm: '" + llvm + "' is not an llvm-objdump version this syntax knows (19, 22)");
        }
        return Integer.parseInt(digits);
    }

    /** llvm-objdump's listing, of the program's section only when --prog names one. */
    private String llvm(ElfView elf) {
        String text;
        try {
            if (prog == null) {
                return elf.disassembleLlvm(llvmVersion(), mcpu);
            }
            text = elf.disassembleLlvm(llvmVersion(), mcpu, prog);
            if (text.isEmpty()) {
                throw new CliException(object + ": no program named '" + prog + "'");
            }
        } catch (IllegalArgumentException e) {
            throw new CliException("--mcpu: " + e.getMessage());
        }
        return text;
    }
}
