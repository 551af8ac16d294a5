package io.bpf4j.elf.spec;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.ElfSection;
import io.bpf4j.elf.ElfSymbol;
import io.bpf4j.elf.SymbolBinding;
import io.bpf4j.elf.SymbolType;
import io.bpf4j.elf.SymbolVisibility;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.elf.btf.VarLinkage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * libbpf's DATASEC fix-up ({@code btf_fixup_datasec}) computed without changing the BTF: clang
 * leaves DATASEC sizes and variable offsets at 0, libbpf takes them from the ELF section and
 * symbols, turns hidden globals static and sorts variables by offset.
 */
public final class DataSecs {
    private DataSecs() {}

    /** The DATASEC named {@code sectionName}, if the BTF has one. */
    public static Optional<BtfType.DataSec> find(Btf btf, String sectionName) {
        return btf.findByName(sectionName, io.bpf4j.elf.btf.BtfKind.DATASEC).map(t -> (BtfType.DataSec) t);
    }

    /** The fixed-up size of a DATASEC: its own size, or the size of the ELF section of the same name. */
    public static long size(ElfObject elf, BtfType.DataSec sec) {
        if (sec.size() != 0) {
            return sec.size();
        }
        Optional<ElfSection> s = elf.section(sec.name());
        if (s.isEmpty() || s.get().size() == 0) {
            throw new DeclarationException("sec '" + sec.name() + "': failed to determine size from ELF: -2", null, sec.name());
        }
        return s.get().size();
    }

    /**
     * The variables of a DATASEC with offsets and linkage as libbpf fixes them, sorted by offset.
     * {@code .kconfig} and {@code .ksyms} are laid out by extern collection instead.
     */
    public static List<DataSecVar> vars(ElfObject elf, Btf btf, BtfType.DataSec sec) {
        List<DataSecVar> out = new ArrayList<>(sec.vars().size());
        boolean externSection = sec.name().equals(".kconfig") || sec.name().equals(".ksyms");
        for (BtfType.VarSecInfo info : sec.vars()) {
            BtfType t = btf.type(info.type());
            if (!(t instanceof BtfType.Var)) {
                out.add(new DataSecVar(t.name(), info.type(), info.type(), info.offset(), info.size(), VarLinkage.STATIC));
                continue;
            }
            BtfType.Var v = (BtfType.Var) t;
            long offset = info.offset();
            VarLinkage linkage = v.linkage();
            if (!externSection && linkage == VarLinkage.GLOBAL_ALLOCATED) {
                ElfSymbol sym = findObjectSymbol(elf, v.name());
                if (sym == null) {
                    throw new DeclarationException("sec '" + sec.name() + "': failed to find ELF symbol for variable '"
                            + v.name() + "'", v.name(), sec.name());
                }
                offset = sym.value();
                if (sym.visibility() == SymbolVisibility.HIDDEN || sym.visibility() == SymbolVisibility.INTERNAL) {
                    linkage = VarLinkage.STATIC;
                }
            }
            out.add(new DataSecVar(v.name(), v.id(), v.type(), offset, info.size(), linkage));
        }
        out.sort(Comparator.comparingLong(DataSecVar::offset));
        return out;
    }

    private static ElfSymbol findObjectSymbol(ElfObject elf, String name) {
        for (ElfSymbol s : elf.symbols()) {
            if (s.type() == SymbolType.OBJECT && (s.binding() == SymbolBinding.GLOBAL || s.binding() == SymbolBinding.WEAK)
                    && s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
