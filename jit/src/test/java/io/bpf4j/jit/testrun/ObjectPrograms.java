package io.bpf4j.jit.testrun;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.ElfSection;
import io.bpf4j.elf.ElfSymbol;
import io.bpf4j.elf.Relocation;
import io.bpf4j.elf.SymbolType;
import io.bpf4j.isa.Call;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.LoadImm64;
import io.bpf4j.isa.Register;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.jit.Executable;
import io.bpf4j.jit.interpreter.Interpreter;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.helpers.StandardHelpers;
import io.bpf4j.maps.BpfMap;
import io.bpf4j.maps.MapDefinition;
import io.bpf4j.maps.MapFactory;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The programs of a clang-built object made runnable by the interpreter with the least
 * relocation these test objects need, standing in for the loader (built elsewhere): each entry
 * function is cut out of its section, the whole {@code .text} is appended after it (callbacks
 * live there), calls and function addresses into {@code .text} are pointed at the copy, and
 * {@code ld_imm64} of a {@code .maps} symbol names an in-process map created from the
 * definition the kernel reports for the same map ({@code bpftool map show}), so both sides
 * run the same instructions on maps of the same shape.
 */
final class ObjectPrograms {
    final Map<String, BpfMap> maps = new LinkedHashMap<>();
    final Map<String, Executable> programs = new LinkedHashMap<>();

    ObjectPrograms(byte[] object, KernelOracle kernel, ProgramType type, int cpus) throws IOException {
        ElfObject elf = ElfObject.read(object);
        ElfSection mapsSection = elf.section(".maps").orElse(null);
        if (mapsSection != null) {
            for (ElfSymbol s : elf.symbolsIn(mapsSection)) {
                maps.put(s.name(), createLike(kernel.mapInfo(s.name()), s.name(), cpus));
            }
        }
        ElfSection text = elf.section(".text").orElse(null);
        Instructions textInsns = text == null ? Instructions.of() : elf.instructions(text);
        for (ElfSection sec : elf.sections()) {
            if (!sec.isExecutable() || sec == text) {
                continue;
            }
            for (ElfSymbol f : elf.symbolsIn(sec)) {
                if (f.type() != SymbolType.FUNC) {
                    continue;
                }
                programs.put(f.name(), prepare(elf, sec, f, text, textInsns, type));
            }
        }
    }

    private Executable prepare(ElfObject elf, ElfSection sec, ElfSymbol f, ElfSection text, Instructions textInsns, ProgramType type) {
        byte[] bytes = sec.bytes();
        int start = (int) f.value();
        int size = (int) f.size();
        byte[] code = new byte[size + textInsns.slotCount() * 8];
        System.arraycopy(bytes, start, code, 0, size);
        if (text != null) {
            System.arraycopy(text.bytes(), 0, code, size, textInsns.slotCount() * 8);
        }
        Instructions insns = InstructionCodec.decode(code, ByteOrder.LITTLE_ENDIAN);
        int textBase = size / 8;
        List<String> names = new ArrayList<>(maps.keySet());
        for (Relocation r : elf.relocationsFor(sec)) {
            if (r.offset() >= start && r.offset() < start + size) {
                insns = relocate(elf, insns, (int) (r.offset() - start) / 8, r, textBase, names);
            }
        }
        if (text != null) {
            for (Relocation r : elf.relocationsFor(text)) {
                insns = relocate(elf, insns, textBase + (int) r.offset() / 8, r, textBase, names);
            }
        }
        ProgramImage.Builder b = ProgramImage.builder(insns).name(f.name()).helpers(StandardHelpers.forProgramType(type));
        for (int i = 0; i < names.size(); i++) {
            b.map(i + 1, maps.get(names.get(i)));
        }
        return Interpreter.INSTANCE.prepare(b.build());
    }

    private static Instructions relocate(ElfObject elf, Instructions insns, int slot, Relocation r, int textBase, List<String> mapNames) {
        int index = insns.indexAtSlot(slot);
        Instruction insn = insns.get(index);
        ElfSymbol sym = r.symbol();
        ElfSection target = elf.section(sym.sectionIndex());
        Register dst = Register.of(insn.dstReg());
        if (target.name().equals(".maps")) {
            return insns.with(index, LoadImm64.of(dst, 1, mapNames.indexOf(sym.name()) + 1, 0));
        }
        if (!target.name().equals(".text")) {
            throw new IllegalArgumentException("relocation against " + target.name() + " is not handled by this test relocator");
        }
        if (insn instanceof Call) {
            int callee = textBase + (int) (sym.value() / 8) + insn.imm() + 1;
            return insns.with(index, Call.local(callee - slot - 1));
        }
        int callee = textBase + (int) ((sym.value() + insn.imm()) / 8);
        return insns.with(index, LoadImm64.of(dst, 4, callee - slot - 1, 0));
    }

    private static BpfMap createLike(JsonNode info, String name, int cpus) {
        MapType type = MapType.valueOf(info.get("type").asText().toUpperCase(Locale.ROOT));
        MapDefinition d = new MapDefinition(type, info.get("bytes_key").asInt(), info.get("bytes_value").asInt(),
                info.get("max_entries").asInt(), info.get("flags").asInt(), 0, name, null, cpus, -1);
        return MapFactory.create(d);
    }
}
