package io.bpf4j.relocator.core;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.ElfSection;
import io.bpf4j.elf.ElfSymbol;
import io.bpf4j.elf.SymbolType;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfExtSection;
import io.bpf4j.elf.btf.CoreRelo;
import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.isa.Instructions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** The committed CO-RE test objects and target BTFs, and libbpf's relocation order over them. */
final class CoreFixtures {
    private static Btf vmlinux;

    private CoreFixtures() {}

    static byte[] resource(String path) {
        try (InputStream in = CoreFixtures.class.getResourceAsStream("/core/" + path)) {
            if (in == null) throw new IllegalArgumentException("no test resource /core/" + path);
            return path.endsWith(".gz") ? new GZIPInputStream(in).readAllBytes() : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ElfObject object(String name) {
        return ElfObject.read(resource("objects/" + name));
    }

    /** The target BTF a golden names: "vmlinux" (this machine's, committed) or a file under targets/. */
    static synchronized Btf target(String name) {
        if (name.equals("vmlinux")) {
            if (vmlinux == null) vmlinux = Btf.parse(resource("targets/vmlinux.btf.gz"));
            return vmlinux;
        }
        return CoreTarget.parseBtf(resource("targets/" + name));
    }

    /** A program carved from its section the way libbpf does: one global function symbol each. */
    record Program(String name, String section, int firstSlot, Instructions insns) {}

    /** The object's entry programs, section by section in file order, by offset within a section. */
    static List<Program> programs(ElfObject obj) {
        List<Program> out = new ArrayList<>();
        for (ElfSection sec : obj.sections()) {
            if (!sec.isExecutable() || sec.size() == 0) continue;
            List<ElfSymbol> funcs = new ArrayList<>();
            for (ElfSymbol s : obj.symbolsIn(sec)) {
                if (s.type() == SymbolType.FUNC) funcs.add(s);
            }
            funcs.sort(Comparator.comparingLong(ElfSymbol::value));
            byte[] bytes = sec.bytes();
            for (ElfSymbol f : funcs) {
                Instructions insns = InstructionCodec.decode(bytes, (int) f.value(), (int) f.size(), obj.byteOrder());
                out.add(new Program(f.name(), sec.name(), (int) (f.value() / 8), insns));
            }
        }
        return out;
    }

    /** Everything one CO-RE pass over an object produced. */
    record ObjectResult(Map<String, CoreRelocation> programs, List<String> log, CoreRelocationException failure) {}

    /**
     * Relocates every program of the object with one session, in libbpf's order (the
     * {@code .BTF.ext} blocks in order, the programs of each block's section by offset).
     */
    static ObjectResult relocateObject(ElfObject obj, CoreTarget target) {
        Btf local = obj.btf().orElseThrow();
        CoreRelocator relocator = new CoreRelocator(local, target);
        List<Program> programs = programs(obj);
        Map<String, CoreRelocation> done = new LinkedHashMap<>();
        List<String> log = new ArrayList<>();
        for (BtfExtSection<CoreRelo> block : obj.btfExt().orElseThrow().coreRelos()) {
            for (Program p : programs) {
                if (!p.section().equals(block.sectionName())) continue;
                try {
                    CoreRelocation r = relocator.relocate(p.name(), p.insns(), block.records(), p.firstSlot());
                    done.put(p.name(), r);
                    log.addAll(r.log());
                } catch (CoreRelocationException e) {
                    log.addAll(e.log());
                    return new ObjectResult(done, log, e);
                }
            }
        }
        for (Program p : programs) done.putIfAbsent(p.name(), new CoreRelocation(p.insns(), List.of(), List.of()));
        return new ObjectResult(done, log, null);
    }

    static List<String> hexSlots(Instructions insns) {
        byte[] b = InstructionCodec.encode(insns, ByteOrder.LITTLE_ENDIAN);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < b.length; i += 8) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < 8; k++) sb.append(String.format("%02x", b[i + k] & 0xff));
            out.add(sb.toString());
        }
        return out;
    }
}
