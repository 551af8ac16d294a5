package io.bpf4j.cli;

import io.bpf4j.isa.BpfException;
import io.bpf4j.loader.BpfObject;
import io.bpf4j.loader.BpfStructOps;
import io.bpf4j.loader.OpenOptions;
import io.bpf4j.loader.CoreRelocation;
import io.bpf4j.loader.ElfView;
import java.util.Locale;
import picocli.CommandLine.Option;
import io.bpf4j.loader.MapInfo;
import io.bpf4j.loader.ProgramInfo;
import io.bpf4j.loader.TableInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code bpf4j inspect OBJ}: what an object contains, as tables (or JSON with -j). */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "List an object's programs, maps and tables as libbpf's open phase makes them, then its sections, "
                + "symbols, functions and relocations (BTF relocations only with --all).")
final class InspectCommand implements Callable<Integer> {
    @ParentCommand
    Bpf4j root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "OBJ", description = "A BPF ELF object.")
    Path object;

    @Option(names = "--core", description = "List each CO-RE relocation: access string, local and target types, the value computed.")
    boolean core;

    @Option(names = "--all", description = "Also list the relocations of .BTF and .BTF.ext (debug data, not code).")
    boolean all;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "compiled", description = {
        "For programs with call or jump tables: load each one on this engine (${COMPLETION-CANDIDATES}, default"
            + " ${DEFAULT-VALUE}; verified, or unverified when the verifier rejects it) and show each instruction array"
            + " entry's xlated_off and jitted_off as that engine fills them."})
    RunCommand.EngineName engine;

    @Option(names = "--btf", paramLabel = "FILE", description = "Target BTF for CO-RE (raw BTF or an ELF with .BTF); default /sys/kernel/btf/vmlinux.")
    Path targetBtf;

    @Override
    public Integer call() throws Exception {
        if (core) {
            return inspectCore();
        }
        ElfView elf = ObjectFile.read(object);
        Output out = root.output(spec.commandLine().getOut());
        // libbpf's open phase on top of the ELF view; an object it rejects still shows its ELF tables.
        List<ProgramInfo> programs = new ArrayList<>();
        List<MapInfo> maps = new ArrayList<>();
        List<TableInfo> tables = new ArrayList<>();
        List<Map<String, Object>> structOps = new ArrayList<>();
        String rejected = null;
        try (BpfObject obj = ObjectFile.open(object, root.openOptions().build())) {
            obj.programs().forEach(p -> programs.add(p.info()));
            obj.maps().forEach(m -> maps.add(m.info()));
            for (io.bpf4j.loader.BpfProgram p : obj.programs()) {
                tables.addAll(loadedTables(p.name(), p.tables()));
            }
            obj.structOps().forEach(st -> structOps.add(structOpsModel(st)));
        } catch (CliException e) {
            rejected = e.getMessage();
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("programs", programs);
        model.put("maps", maps);
        if (!tables.isEmpty()) {
            model.put("tables", tables);
        }
        if (!structOps.isEmpty()) {
            model.put("struct_ops", structOps);
        }
        model.putAll(model(elf, all));
        if (out.json()) {
            if (rejected != null) {
                // one JSON document: what was read, and why the rest was not
                model.put("error", rejected);
                out.printJson(model);
                return 1;
            }
            out.printJson(model);
        } else {
            printOpened(out, programs, maps);
            printTables(out, tables);
            printStructOps(out, structOps);
            printText(out, elf, all);
        }
        if (rejected != null) {
            throw new CliException(rejected);
        }
        return 0;
    }

    private int inspectCore() throws Exception {
        Output out = root.output(spec.commandLine().getOut());
        OpenOptions options = root.openOptions().targetBtf(targetBtf).build();
        Map<String, List<CoreRelocation>> results;
        try (BpfObject obj = ObjectFile.open(object, options)) {
            results = obj.coreRelocations();
        } catch (BpfException e) {
            throw new CliException(object + ": " + e.getMessage(), e);
        }
        if (out.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            results.forEach((prog, list) -> {
                List<Object> rows = new ArrayList<>();
                for (CoreRelocation r : list) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("relo", r.reloIndex());
                    m.put("insn", r.insnIndex());
                    m.put("kind", r.kind());
                    m.put("access", r.accessString());
                    m.put("local_type_id", r.localTypeId());
                    m.put("local_type", r.localType());
                    m.put("local_spec", r.localSpec());
                    m.put("target_type_id", r.targetTypeId());
                    m.put("target_type", r.targetType());
                    m.put("target_btf", r.targetBtf());
                    m.put("target_spec", r.targetSpec());
                    m.put("candidates", r.candidates());
                    m.put("original_value", r.originalValue());
                    m.put("new_value", r.newValue());
                    m.put("poisoned", r.poisoned());
                    if (r.poisoned()) {
                        m.put("reason", r.poisonReason());
                    }
                    rows.add(m);
                }
                json.put(prog, rows);
            });
            out.printJson(json);
            return 0;
        }
        if (results.isEmpty()) {
            out.println("no CO-RE relocations");
            return 0;
        }
        Table t = new Table("PROG", "RELO", "INSN", "KIND", "ACCESS", "LOCAL", "TARGET TYPE", "VALUE", "RESULT");
        results.forEach((prog, list) -> {
            for (CoreRelocation r : list) {
                String target = r.targetTypeId() == 0 ? r.targetType() : "[" + r.targetTypeId() + "] " + r.targetType();
                String value = r.poisoned() ? "poisoned" : r.originalValue() + " -> " + r.newValue();
                t.row(prog, "#" + r.reloIndex(), r.insnIndex(), r.kind(), r.accessString(),
                        r.localSpec().replaceFirst("^<\\w+> ", ""), target, value, r.poisoned() ? r.poisonReason() : "ok");
            }
        });
        t.print(out.out());
        return 0;
    }

    private static void printOpened(Output out, List<ProgramInfo> programs, List<MapInfo> maps) {
        out.println("Programs (after relocation):");
        Table t = new Table("NAME", "SECTION", "TYPE", "ATTACH", "INSNS", "OWN", "SUBPROGRAMS", "MAPS", "AUTOLOAD");
        for (ProgramInfo p : programs) {
            String attach = p.expectedAttachType() == null ? "-" : p.expectedAttachType();
            if (p.attachTarget() != null) {
                attach += " " + p.attachTarget();
            }
            t.row(p.name(), p.section(), p.type() + (p.sleepable() ? " (sleepable)" : ""), attach, p.insnCount(), p.ownInsnCount(),
                    p.subprograms().isEmpty() ? "-" : String.join(",", p.subprograms()),
                    p.maps().isEmpty() ? "-" : String.join(",", p.maps()), p.autoload());
        }
        t.print(out.out());
        out.println("");
        out.println("Maps:");
        Table m = new Table("NAME", "KIND", "TYPE", "KEY", "VALUE", "MAX_ENTRIES", "FLAGS", "MAP_EXTRA", "INNER", "PINNING", "INITIAL", "SECTION");
        for (MapInfo i : maps) {
            String initial = i.initialDataSize() > 0 ? i.initialDataSize() + " bytes"
                    : i.initialSlots().isEmpty() ? "-" : i.initialSlots().toString();
            // key_size, value_size and max_entries are u32 in bpf_attr: 2^32-1 is not -1
            m.row(i.name(), i.kind(), i.type(), Integer.toUnsignedString(i.keySize()), Integer.toUnsignedString(i.valueSize()),
                    Integer.toUnsignedString(i.maxEntries()), "0x" + Integer.toHexString(i.flags()),
                    i.mapExtra(), i.innerMap() == null ? "-" : i.innerMap(), i.pinning(), initial, i.section());
        }
        m.print(out.out());
        out.println("");
    }

    /**
     * The program's tables once loaded alone on {@link #engine}, with their entries' offsets; the
     * open-phase tables when it has none or cannot be loaded.
     */
    private List<TableInfo> loadedTables(String prog, List<TableInfo> opened) {
        if (opened.isEmpty()) {
            return opened;
        }
        for (boolean verify : new boolean[] {true, false}) {
            try (BpfObject o = ObjectFile.open(object, root.openOptions().build())) {
                o.programs().forEach(x -> x.setAutoload(x.name().equals(prog)));
                o.load(io.bpf4j.loader.LoadOptions.builder().verify(verify).engine(engine.engine).build());
                return o.program(prog).orElseThrow().tables();
            } catch (io.bpf4j.loader.ProgramRejectedException e) {
                // shown unverified, as run --no-verify would run it
            } catch (BpfException | java.io.IOException e) {
                return opened;
            }
        }
        return opened;
    }

    /** Each program's call and jump tables: the instruction array the loader makes and where its entries lead. */
    private static void printTables(Output out, List<TableInfo> tables) {
        if (tables.isEmpty()) {
            return;
        }
        out.println("Tables (one instruction array per program and table):");
        Table t = new Table("PROGRAM", "MAP", "KIND", "TABLE", "TYPE", "MAX_ENTRIES", "MAP_EXTRA", "LOADS", "TARGETS");
        for (TableInfo i : tables) {
            List<String> targets = new ArrayList<>();
            i.targets().forEach(x -> targets.add(x.key() + ":" + x.slot() + "(" + x.function() + ")"));
            t.row(i.program(), i.map(), i.kind(), i.table(), i.mapType(), i.maxEntries(), i.mapExtra(), i.loads().toString(),
                    String.join(",", targets));
        }
        t.print(out.out());
        out.println("");
        if (tables.stream().allMatch(i -> i.engine() == null)) {
            return;
        }
        out.println("Instruction arrays after load (struct bpf_insn_array_value; jitted_off: the bytecode offset in the"
                + " generated method, or the slot on the interpreter):");
        Table v = new Table("PROGRAM", "MAP", "KEY", "ORIG_OFF", "XLATED_OFF", "JITTED_OFF", "JITTED_AT", "ENGINE");
        for (TableInfo i : tables) {
            if (i.engine() == null) {
                continue;
            }
            for (TableInfo.Target x : i.targets()) {
                v.row(i.program(), i.map(), x.key(), x.slot(), x.xlatedOff(), x.jittedOff(),
                        x.jittedMethod() == null ? "-" : x.jittedMethod() + "+0x" + Integer.toHexString(x.jittedOff()), i.engine());
            }
        }
        v.print(out.out());
        out.println("");
    }

    /** A struct_ops map as inspect shows it: the map, its struct type, each member's program or data. */
    private static Map<String, Object> structOpsModel(BpfStructOps st) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", st.name());
        m.put("struct", st.typeName());
        m.put("section", st.sectionName());
        m.put("map_type", "struct_ops");
        m.put("map_flags", st.flags());
        m.put("link", st.link());
        m.put("autocreate", st.autocreate());
        m.put("value_size", st.valueSize());
        List<Object> members = new ArrayList<>();
        for (BpfStructOps.Member mem : st.members()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", mem.name());
            e.put("offset", mem.offset());
            e.put("size", mem.size());
            if (mem.functionPointer()) {
                e.put("program", mem.program().orElse(null));
            } else {
                e.put("data", hex(mem.data()));
                String text = cString(mem.data());
                if (text != null) {
                    e.put("string", text);
                }
            }
            members.add(e);
        }
        m.put("members", members);
        return m;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }

    /** The bytes as a C string when they are printable text followed by NULs only, else null. */
    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            if (b[n] < 0x20 || b[n] > 0x7e) {
                return null;
            }
            n++;
        }
        if (n == 0 || b.length < 2) {
            return null;
        }
        for (int i = n; i < b.length; i++) {
            if (b[i] != 0) {
                return null;
            }
        }
        return new String(b, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Each struct_ops map and its members: member -> program, or the member's data. */
    @SuppressWarnings("unchecked")
    private static void printStructOps(Output out, List<Map<String, Object>> structOps) {
        if (structOps.isEmpty()) {
            return;
        }
        out.println("Struct ops (BPF_MAP_TYPE_STRUCT_OPS maps):");
        Table t = new Table("MAP", "STRUCT", "SECTION", "FLAGS", "AUTOCREATE", "MEMBER", "OFFSET", "SIZE", "VALUE");
        for (Map<String, Object> st : structOps) {
            for (Object o : (List<Object>) st.get("members")) {
                Map<String, Object> mem = (Map<String, Object>) o;
                String value;
                if (mem.containsKey("program")) {
                    value = mem.get("program") == null ? "-" : "-> " + mem.get("program");
                } else {
                    value = mem.containsKey("string") ? "\"" + mem.get("string") + "\"" : "0x" + mem.get("data");
                }
                t.row(st.get("name"), st.get("struct"), st.get("section"), "0x" + Integer.toHexString((Integer) st.get("map_flags")),
                        st.get("autocreate"), mem.get("name"), mem.get("offset"), mem.get("size"), value);
            }
        }
        t.print(out.out());
        out.println("");
    }

    private static Map<String, Object> model(ElfView elf, boolean all) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("byte_order", elf.byteOrder());
        List<Object> sections = new ArrayList<>();
        for (ElfView.Section s : elf.sections()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("index", s.index());
            e.put("name", s.name());
            e.put("type", s.type());
            e.put("flags", s.flags());
            e.put("size", s.size());
            sections.add(e);
        }
        m.put("sections", sections);
        List<Object> symbols = new ArrayList<>();
        for (ElfView.Symbol sym : elf.symbols()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("index", sym.index());
            e.put("name", sym.name());
            e.put("value", sym.value());
            e.put("size", sym.size());
            e.put("type", sym.type().toLowerCase(Locale.ROOT));
            e.put("binding", sym.binding().toLowerCase(Locale.ROOT));
            e.put("visibility", sym.visibility().toLowerCase(Locale.ROOT));
            e.put("section", sym.section());
            symbols.add(e);
        }
        m.put("symbols", symbols);
        m.put("functions", elf.functions());
        List<Object> relocations = new ArrayList<>();
        int hidden = 0;
        for (ElfView.Relocation r : elf.relocations()) {
            if (r.btf() && !all) {
                hidden++;
                continue;
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("section", r.section());
            e.put("offset", r.offset());
            e.put("type", r.type());
            e.put("symbol", r.symbol());
            relocations.add(e);
        }
        m.put("relocations", relocations);
        m.put("btf_relocations_not_shown", hidden);
        return m;
    }

    private static void printText(Output out, ElfView elf, boolean all) {
        out.println("Sections:");
        Table sections = new Table("IDX", "NAME", "TYPE", "FLAGS", "SIZE");
        for (ElfView.Section s : elf.sections()) {
            sections.row(s.index(), s.name(), s.typeName(), "0x" + Long.toHexString(s.flags()), s.size());
        }
        sections.print(out.out());
        out.println("");
        out.println("Symbols:");
        Table symbols = new Table("IDX", "NAME", "VALUE", "SIZE", "TYPE", "BIND", "VIS", "SECTION");
        for (ElfView.Symbol sym : elf.symbols()) {
            symbols.row(sym.index(), sym.name(), sym.value(), sym.size(), sym.type(), sym.binding(), sym.visibility(), sym.section());
        }
        symbols.print(out.out());
        out.println("");
        out.println("Programs (entry points) and subprograms:");
        Table fns = new Table("SECTION", "FUNCTION", "KIND", "OFFSET", "INSNS", "BIND");
        for (ElfView.Function f : elf.functions()) {
            fns.row(f.section(), f.name(), f.subprogram() ? "subprog" : "program", f.offset(), f.instructions(), f.binding());
        }
        fns.print(out.out());
        out.println("");
        out.println("Relocations:");
        Table relos = new Table("SECTION", "OFFSET", "TYPE", "SYMBOL");
        int hidden = 0;
        for (ElfView.Relocation r : elf.relocations()) {
            if (r.btf() && !all) {
                hidden++;
                continue;
            }
            relos.row(r.section(), "0x" + Long.toHexString(r.offset()), r.type(), r.symbol());
        }
        relos.print(out.out());
        if (hidden > 0) {
            out.println("(" + hidden + " relocations of .BTF and .BTF.ext not shown; --all shows them)");
        }
    }
}
