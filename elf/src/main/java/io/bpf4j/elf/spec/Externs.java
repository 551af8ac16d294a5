package io.bpf4j.elf.spec;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.ElfSymbol;
import io.bpf4j.elf.SymbolBinding;
import io.bpf4j.elf.SymbolType;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfException;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.elf.btf.FuncLinkage;
import io.bpf4j.elf.btf.VarLinkage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * libbpf's extern collection ({@code bpf_object__collect_externs}): every undefined global
 * symbol is matched to its BTF VAR or FUNC and the DATASEC ({@code .kconfig} or
 * {@code .ksyms}) holding it; kconfig externs are sorted and laid out in the {@code .kconfig}
 * map value as libbpf lays them out.
 */
public final class Externs {
    private Externs() {}

    /** Whether a symbol is an extern: undefined, global or weak, no type. */
    public static boolean isExtern(ElfSymbol s) {
        return s.sectionIndex() == ElfSymbol.UNDEFINED && s.index() != 0
                && (s.binding() == SymbolBinding.GLOBAL || s.binding() == SymbolBinding.WEAK)
                && s.type() == SymbolType.NOTYPE;
    }

    /**
     * Collects the externs of {@code elf}, in libbpf's order (kconfig first by alignment
     * descending, size ascending, then name; then kernel symbols by name).
     *
     * @param btf the object's BTF, null when it has none
     */
    public static List<Extern> collect(ElfObject elf, Btf btf) {
        List<Extern> out = new ArrayList<>();
        for (ElfSymbol s : elf.symbols()) {
            if (!isExtern(s) || s.name().isEmpty()) {
                continue;
            }
            if (btf == null) {
                throw new DeclarationException("BTF is required, but is missing or corrupted.", s.name(), null);
            }
            int btfId = findExternBtfId(btf, s.name());
            BtfType t = btf.type(btfId);
            int secId = findExternSection(btf, btfId);
            if (secId <= 0) {
                throw new DeclarationException("failed to find BTF for extern '" + s.name() + "' [" + btfId + "] section: -2",
                        s.name(), null);
            }
            String secName = btf.type(secId).name();
            boolean weak = s.binding() == SymbolBinding.WEAK;
            boolean func = t instanceof BtfType.Func;
            if (secName.equals(".kconfig")) {
                if (func) {
                    throw new DeclarationException("extern function " + t.name() + " is unsupported under .kconfig section",
                            t.name(), secName);
                }
                int varType = ((BtfType.Var) t).type();
                long size;
                try {
                    size = btf.sizeOf(varType);
                } catch (BtfException e) {
                    size = -22;
                }
                if (size <= 0) {
                    throw new DeclarationException("failed to resolve size of extern (kcfg) '" + s.name() + "': " + size,
                            s.name(), secName);
                }
                int align = alignOf(btf, varType, 0);
                if (align <= 0) {
                    throw new DeclarationException("failed to determine alignment of extern (kcfg) '" + s.name() + "': " + align,
                            s.name(), secName);
                }
                boolean[] signed = new boolean[1];
                Extern.KcfgType type = kcfgType(btf, varType, signed);
                if (type == null) {
                    throw new DeclarationException("extern (kcfg) '" + s.name() + "': type is unsupported", s.name(), secName);
                }
                out.add(new Extern(t.name(), s.index(), Extern.Kind.KCONFIG, btfId, weak, false, type, (int) size, align,
                        signed[0], 0, 0));
            } else if (secName.equals(".ksyms")) {
                int typeId = 0;
                if (!func) {
                    BtfType target = btf.resolve(((BtfType.Var) t).type());
                    typeId = target.id();
                } else {
                    typeId = ((BtfType.Func) t).type();
                }
                out.add(new Extern(t.name(), s.index(), Extern.Kind.KSYM, btfId, weak, func, null, 0, 0, false, 0, typeId));
            } else {
                throw new DeclarationException("unrecognized extern section '" + secName + "'", s.name(), secName);
            }
        }
        out.sort(Comparator.comparingInt((Extern e) -> e.kind().ordinal())
                .thenComparing((a, b) -> a.kind() == Extern.Kind.KCONFIG ? Integer.compare(b.align(), a.align()) : 0)
                .thenComparing((a, b) -> a.kind() == Extern.Kind.KCONFIG ? Integer.compare(a.size(), b.size()) : 0)
                .thenComparing(Extern::name, Externs::compareBytes));
        List<Extern> laidOut = new ArrayList<>(out.size());
        int off = 0;
        for (Extern e : out) {
            if (e.kind() == Extern.Kind.KCONFIG) {
                int dataOff = (off + e.align() - 1) / e.align() * e.align();
                off = dataOff + e.size();
                e = new Extern(e.name(), e.symbolIndex(), e.kind(), e.btfId(), e.weak(), false, e.kcfgType(), e.size(),
                        e.align(), e.signed(), dataOff, 0);
            }
            laidOut.add(e);
        }
        return List.copyOf(laidOut);
    }

    /** The size of the {@code .kconfig} map value: the end of the last kconfig extern; 0 when there is none. */
    public static int kconfigSize(List<Extern> externs) {
        int end = 0;
        for (Extern e : externs) {
            if (e.kind() == Extern.Kind.KCONFIG) {
                end = Math.max(end, e.dataOffset() + e.size());
            }
        }
        return end;
    }

    // strcmp order: unsigned bytes of the UTF-8 name
    private static int compareBytes(String a, String b) {
        byte[] x = a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] y = b.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.util.Arrays.compareUnsigned(x, y);
    }

    private static int findExternBtfId(Btf btf, String name) {
        for (int id = 1; id < btf.typeCount(); id++) {
            BtfType t = btf.type(id);
            if (!t.name().equals(name)) {
                continue;
            }
            if (t instanceof BtfType.Var) {
                if (((BtfType.Var) t).linkage() != VarLinkage.GLOBAL_EXTERN) {
                    throw new DeclarationException("failed to find BTF for extern '" + name + "': -22", name, null);
                }
                return id;
            }
            if (t instanceof BtfType.Func) {
                if (((BtfType.Func) t).linkage() != FuncLinkage.EXTERN) {
                    throw new DeclarationException("failed to find BTF for extern '" + name + "': -22", name, null);
                }
                return id;
            }
        }
        throw new DeclarationException("failed to find BTF for extern '" + name + "': -2", name, null);
    }

    private static int findExternSection(Btf btf, int btfId) {
        for (int id = 1; id < btf.typeCount(); id++) {
            BtfType t = btf.type(id);
            if (t instanceof BtfType.DataSec) {
                for (BtfType.VarSecInfo v : ((BtfType.DataSec) t).vars()) {
                    if (v.type() == btfId) {
                        return id;
                    }
                }
            }
        }
        return -2;
    }

    private static Extern.KcfgType kcfgType(Btf btf, int typeId, boolean[] signed) {
        BtfType t = btf.resolve(typeId);
        if (t instanceof BtfType.Int) {
            BtfType.Int i = (BtfType.Int) t;
            if (i.isBool()) {
                return i.size() == 1 ? Extern.KcfgType.BOOL : null;
            }
            if (signed != null) {
                signed[0] = i.isSigned();
            }
            if (i.size() == 1) {
                return Extern.KcfgType.CHAR;
            }
            long sz = i.size();
            return sz < 1 || sz > 8 || (sz & (sz - 1)) != 0 ? null : Extern.KcfgType.INT;
        }
        if (t instanceof BtfType.Enum) {
            return ((BtfType.Enum) t).size() == 4 && t.name().equals("libbpf_tristate") ? Extern.KcfgType.TRISTATE : null;
        }
        if (t instanceof BtfType.Enum64) {
            return t.name().equals("libbpf_tristate") ? Extern.KcfgType.TRISTATE : null;
        }
        if (t instanceof BtfType.Array) {
            BtfType.Array a = (BtfType.Array) t;
            if (a.elements() == 0) {
                return null;
            }
            return kcfgType(btf, a.elementType(), null) == Extern.KcfgType.CHAR ? Extern.KcfgType.CHAR_ARRAY : null;
        }
        return null;
    }

    /** libbpf's {@code btf__align_of} with 8-byte pointers; a non-positive result is an errno. */
    static int alignOf(Btf btf, int id, int depth) {
        if (depth > Btf.MAX_RESOLVE_DEPTH) {
            return -22;
        }
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Int) {
            return (int) Math.min(8, ((BtfType.Int) t).size());
        }
        if (t instanceof BtfType.Enumeration) {
            return (int) Math.min(8, ((BtfType.Enumeration) t).size());
        }
        if (t instanceof BtfType.Float) {
            return (int) Math.min(8, ((BtfType.Float) t).size());
        }
        if (t instanceof BtfType.Ptr) {
            return 8;
        }
        if (t instanceof BtfType.Reference) {
            return alignOf(btf, ((BtfType.Reference) t).type(), depth + 1);
        }
        if (t instanceof BtfType.Array) {
            return alignOf(btf, ((BtfType.Array) t).elementType(), depth + 1);
        }
        if (t instanceof BtfType.Composite) {
            BtfType.Composite c = (BtfType.Composite) t;
            int max = 1;
            for (BtfType.Member m : c.members()) {
                int a = alignOf(btf, m.type(), depth + 1);
                if (a <= 0) {
                    return a;
                }
                max = Math.max(max, a);
                if (m.bitOffset() % (8L * a) != 0) {
                    return 1;
                }
            }
            return c.size() % max != 0 ? 1 : max;
        }
        return -22;
    }
}
