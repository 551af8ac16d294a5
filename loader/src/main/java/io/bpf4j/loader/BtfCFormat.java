package io.bpf4j.loader;

import io.bpf4j.isa.BpfException;

import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BTF as C declarations, in the order and the form of libbpf 1.1's {@code btf_dump} that
 * {@code bpftool btf dump file F format c} (bpftool 7.1) prints: the {@code vmlinux.h} of CO-RE
 * programs.
 *
 * <p>Two passes per type, as libbpf's: a topological order in which every type a definition
 * needs by value comes first (a pointer only needs a forward declaration, which breaks cycles),
 * then emission of each queued type, declaring forward what a definition refers to before it
 * is complete. Names that collide get libbpf's {@code ___N} suffix at first use.
 */
final class BtfCFormat {
    private enum Order { NONE, ORDERING, ORDERED }

    private enum Emit { NONE, EMITTING, EMITTED }

    private final Btf btf;
    private final int count;
    private final Order[] order;
    private final Emit[] emit;
    private final boolean[] fwdEmitted;
    private final boolean[] referenced;
    private final String[] resolvedNames;
    private final boolean[] nameResolved;
    private final Map<String, Integer> typeNames = new HashMap<>();
    private final Map<String, Integer> identNames = new HashMap<>();
    private final int ptrSize;
    private final StringBuilder out = new StringBuilder();
    private final List<Integer> queue = new ArrayList<>();
    /**
     * Padding lines left for the whole dump. A gap between members is written one {@code long: 64;}
     * line per 64 bits, as bpftool does, so a crafted BTF with a bit offset near 2^35 would need
     * half a billion lines; real kernels need a few thousand.
     */
    private long paddingLinesLeft = MAX_PADDING_LINES;
    private int currentComposite;
    /** On the current {@link #orderType} path: the depth each type was entered at (-1: not on it), the path's depth, the innermost struct or union's depth. */
    private final int[] enteredAt;
    private int depth;
    private int compositeDepth = -1;

    /** Deeper than any real kernel's types nest (a few dozen), shallow enough for any thread's stack. */
    static final int MAX_DEPTH = 1000;

    static final long MAX_PADDING_LINES = 1L << 20;

    private BtfCFormat(Btf btf) {
        this.btf = btf;
        this.count = btf.typeCount();
        order = new Order[count];
        emit = new Emit[count];
        fwdEmitted = new boolean[count];
        referenced = new boolean[count];
        resolvedNames = new String[count];
        nameResolved = new boolean[count];
        enteredAt = new int[count];
        java.util.Arrays.fill(enteredAt, -1);
        java.util.Arrays.fill(order, Order.NONE);
        java.util.Arrays.fill(emit, Emit.NONE);
        order[0] = Order.ORDERED;
        emit[0] = Emit.EMITTED;
        ptrSize = pointerSize(btf);
        markReferenced();
    }

    /** The whole {@code vmlinux.h}: guard, the preserve_access_index pragma, every type, and the closing lines. */
    static String format(Btf btf) {
        BtfCFormat f = new BtfCFormat(btf);
        f.out.append("#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n");
        f.out.append("#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n");
        f.out.append("#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n");
        f.out.append("#endif\n\n");
        for (int id = btf.firstTypeId(); id < f.count; id++) {
            f.dumpType(id);
        }
        f.out.append("#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n");
        f.out.append("#endif /* __VMLINUX_H__ */\n");
        return f.out.toString();
    }

    /** libbpf's btf__pointer_size: the size of {@code long}, or 8 when the BTF has none. */
    private static int pointerSize(Btf btf) {
        List<String> longs = List.of("long int", "long unsigned int", "long", "unsigned long", "unsigned long int");
        for (BtfType t : btf.types()) {
            if (t instanceof BtfType.Int i && longs.contains(i.name()) && (i.size() == 4 || i.size() == 8)) {
                return (int) i.size();
            }
        }
        return 8;
    }

    private BtfType type(int id) {
        return btf.type(id);
    }

    private static boolean named(BtfType t) {
        return !t.name().isEmpty();
    }

    private void markReferenced() {
        for (int id = btf.firstTypeId(); id < count; id++) {
            BtfType t = type(id);
            if (t instanceof BtfType.Reference r) {
                ref(r.type());
            } else if (t instanceof BtfType.Func f) {
                ref(f.type());
            } else if (t instanceof BtfType.Var v) {
                ref(v.type());
            } else if (t instanceof BtfType.DeclTag d) {
                ref(d.type());
            } else if (t instanceof BtfType.Array a) {
                ref(a.indexType());
                ref(a.elementType());
            } else if (t instanceof BtfType.Composite c) {
                c.members().forEach(m -> ref(m.type()));
            } else if (t instanceof BtfType.FuncProto f) {
                f.params().forEach(p -> ref(p.type()));
            } else if (t instanceof BtfType.DataSec d) {
                d.vars().forEach(v -> ref(v.type()));
            }
        }
    }

    private void ref(int id) {
        if (id >= 0 && id < count) {
            referenced[id] = true;
        }
    }

    private void dumpType(int id) {
        queue.clear();
        if (orderType(id, false) < 0) {
            return;
        }
        for (int q : new ArrayList<>(queue)) {
            emitType(q, 0);
        }
    }

    // ---- ordering ---------------------------------------------------------------------------

    /** 1 when the type is a strong (by value) dependency that is now ordered, 0 when weak, -1 on an unsatisfiable cycle. */
    private int orderType(int id, boolean throughPtr) {
        if (order[id] == Order.ORDERED) {
            return 1;
        }
        BtfType t = type(id);
        // A cycle must pass through a struct or union (whose ORDERING state ends it); a typedef,
        // modifier, pointer, array or prototype met again with no struct or union in between is
        // a loop that names no type, such as a typedef of itself, and would recurse until the
        // stack runs out.
        boolean composite = t instanceof BtfType.Composite;
        if (!composite && enteredAt[id] > compositeDepth) {
            throw new BpfException("btf: [" + id + "] " + t.kind() + " '" + t.name()
                    + "' refers back to itself through typedefs, modifiers, pointers or arrays");
        }
        if (depth >= MAX_DEPTH) {
            throw new BpfException("btf: [" + id + "] " + t.kind() + " '" + t.name() + "' is nested more than "
                    + MAX_DEPTH + " types deep");
        }
        int savedEntry = enteredAt[id];
        int savedComposite = compositeDepth;
        depth++;
        if (composite) {
            compositeDepth = depth;
        } else {
            enteredAt[id] = depth;
        }
        try {
            return orderTypeAt(id, t, throughPtr);
        } finally {
            enteredAt[id] = savedEntry;
            compositeDepth = savedComposite;
            depth--;
        }
    }

    private int orderTypeAt(int id, BtfType t, boolean throughPtr) {
        if (order[id] == Order.ORDERING) {
            if (t instanceof BtfType.Composite && throughPtr && named(t)) {
                return 0;
            }
            return -1;
        }
        if (t instanceof BtfType.Int || t instanceof BtfType.Float) {
            order[id] = Order.ORDERED;
            return 0;
        } else if (t instanceof BtfType.Ptr p) {
            int r = orderType(p.type(), true);
            order[id] = Order.ORDERED;
            return r;
        } else if (t instanceof BtfType.Array a) {
            return orderType(a.elementType(), false);
        } else if (t instanceof BtfType.Composite c) {
            if (throughPtr && named(t)) {
                return 0;
            }
            order[id] = Order.ORDERING;
            for (BtfType.Member m : c.members()) {
                if (orderType(m.type(), false) < 0) {
                    return -1;
                }
            }
            if (named(t)) {
                queue.add(id);
            }
            order[id] = Order.ORDERED;
            return 1;
        } else if (t instanceof BtfType.Enumeration || t instanceof BtfType.Fwd) {
            // a named or unreferenced enum is a top-level declaration; an anonymous referenced one is inline
            if (named(t) || !referenced[id]) {
                queue.add(id);
            }
            order[id] = Order.ORDERED;
            return 1;
        } else if (t instanceof BtfType.Typedef td) {
            int strong = orderType(td.type(), throughPtr);
            if (strong < 0) {
                return strong;
            }
            if (throughPtr && strong == 0) {
                return 0;
            }
            queue.add(id);
            order[id] = Order.ORDERED;
            return 1;
        } else if (t instanceof BtfType.Reference r) {
            // volatile, const, restrict, type tag
            return orderType(r.type(), throughPtr);
        } else if (t instanceof BtfType.FuncProto f) {
            int r = orderType(f.returnType(), throughPtr);
            if (r < 0) {
                return r;
            }
            boolean strong = r > 0;
            for (BtfType.Param p : f.params()) {
                r = orderType(p.type(), throughPtr);
                if (r < 0) {
                    return r;
                }
                strong |= r > 0;
            }
            return strong ? 1 : 0;
        }
        // FUNC, VAR, DATASEC, DECL_TAG: nothing to declare
        order[id] = Order.ORDERED;
        return 0;
    }

    // ---- emission ---------------------------------------------------------------------------

    private void emitType(int id, int containerId) {
        if (emit[id] == Emit.EMITTED) {
            return;
        }
        boolean topLevel = containerId == 0;
        BtfType t = type(id);
        if (emit[id] == Emit.EMITTING) {
            if (fwdEmitted[id]) {
                return;
            }
            if (t instanceof BtfType.Composite) {
                if (id == containerId || !named(t)) {
                    return;
                }
                declareStructFwd(id, t);
            } else if (t instanceof BtfType.Typedef td) {
                emitTypedefStatement(id, td);
                fwdEmitted[id] = true;
            }
            return;
        }
        if (t instanceof BtfType.Int) {
            emitMissingAlias(id);
            emit[id] = Emit.EMITTED;
        } else if (t instanceof BtfType.Enumeration e) {
            if (topLevel) {
                emitEnumDef(id, e, 0);
                out.append(";\n\n");
            }
            emit[id] = Emit.EMITTED;
        } else if (t instanceof BtfType.Array a) {
            emitType(a.elementType(), containerId);
        } else if (t instanceof BtfType.Fwd f) {
            emitFwdDef(id, f);
            out.append(";\n\n");
            emit[id] = Emit.EMITTED;
        } else if (t instanceof BtfType.Typedef td) {
            emit[id] = Emit.EMITTING;
            emitType(td.type(), id);
            // a typedef someone reached through a pointer may have been emitted as its own forward declaration
            if (!fwdEmitted[id]) {
                emitTypedefStatement(id, td);
            }
            emit[id] = Emit.EMITTED;
        } else if (t instanceof BtfType.Reference r) {
            // pointer, volatile, const, restrict, type tag
            emitType(r.type(), containerId);
        } else if (t instanceof BtfType.Composite c) {
            emit[id] = Emit.EMITTING;
            if (topLevel || !named(t)) {
                int newContainer = named(t) ? id : containerId;
                for (BtfType.Member m : c.members()) {
                    emitType(m.type(), newContainer);
                }
            } else if (!fwdEmitted[id] && id != containerId) {
                declareStructFwd(id, t);
            }
            if (topLevel) {
                emitStructDef(id, c, 0);
                out.append(";\n\n");
                emit[id] = Emit.EMITTED;
            } else {
                emit[id] = Emit.NONE;
            }
        } else if (t instanceof BtfType.FuncProto f) {
            emitType(f.returnType(), containerId);
            for (BtfType.Param p : f.params()) {
                emitType(p.type(), containerId);
            }
        }
    }

    /** {@code struct name;} once: the forward declaration a reference from inside its own definition needs. */
    private void declareStructFwd(int id, BtfType t) {
        emitStructFwd(id, t);
        out.append(";\n\n");
        fwdEmitted[id] = true;
    }

    /** {@code typedef ... name;} as a statement, unless the name is a compiler built-in. */
    private void emitTypedefStatement(int id, BtfType.Typedef td) {
        if (!blacklisted(td)) {
            emitTypedefDef(id, td, 0);
            out.append(";\n\n");
        }
    }

    private static boolean blacklisted(BtfType t) {
        // a compiler built-in: redefining it breaks compilation with another compiler
        return t.name().equals("__builtin_va_list");
    }

    private void emitMissingAlias(int id) {
        String name = typeName(id);
        String alias = switch (name) {
            case "__Poly8_t" -> "unsigned char";
            case "__Poly16_t" -> "unsigned short";
            case "__Poly64_t" -> "unsigned long long";
            case "__Poly128_t" -> "unsigned __int128";
            default -> null;
        };
        if (alias != null) {
            out.append("typedef ").append(alias).append(' ').append(name).append(";\n\n");
        }
    }

    private void emitStructFwd(int id, BtfType t) {
        out.append(t instanceof BtfType.Struct ? "struct" : "union").append(named(t) ? " " : "").append(typeName(id));
    }

    private void emitFwdDef(int id, BtfType.Fwd f) {
        out.append(f.union() ? "union " : "struct ").append(typeName(id));
    }

    private void emitTypedefDef(int id, BtfType.Typedef t, int lvl) {
        String name = identName(id);
        if (t.type() == 0 && name.equals("__gnuc_va_list")) {
            out.append("typedef __builtin_va_list __gnuc_va_list");
            return;
        }
        out.append("typedef ");
        emitTypeDecl(t.type(), name, lvl);
    }

    private void emitEnumDef(int id, BtfType.Enumeration e, int lvl) {
        List<BtfType.EnumValue> values = e.values();
        out.append("enum").append(named(e) ? " " : "").append(typeName(id));
        if (values.isEmpty()) {
            return;
        }
        out.append(" {");
        boolean is64 = e instanceof BtfType.Enum64;
        for (BtfType.EnumValue v : values) {
            int dups = dup(identNames, v.name());
            out.append('\n').append(pfx(lvl + 1)).append(v.name());
            if (dups > 1) {
                out.append("___").append(dups);
            }
            out.append(" = ");
            if (is64) {
                out.append(e.signed() ? Long.toString(v.value()) + "LL" : Long.toUnsignedString(v.value()) + "ULL");
            } else {
                int val = (int) v.value();
                out.append(e.signed() ? Integer.toString(val) : Integer.toUnsignedString(val));
            }
            out.append(',');
        }
        out.append('\n').append(pfx(lvl)).append('}');
        // libbpf 1.1 (what bpftool 7.1 links) writes no mode attribute for enums of other sizes than 4
    }

    private void emitStructDef(int id, BtfType.Composite c, int lvl) {
        boolean isStruct = c instanceof BtfType.Struct;
        currentComposite = id;
        int align = alignOf(id);
        boolean packed = isStruct && isPacked(c);
        out.append(isStruct ? "struct" : "union").append(named(c) ? " " : "").append(typeName(id)).append(" {");
        long off = 0;
        boolean prevBitfield = false;
        for (BtfType.Member m : c.members()) {
            long mSize = m.bitfieldSize();
            long mOff = m.bitOffset();
            int mAlign = packed ? 1 : alignOf(m.type());
            boolean inBitfield = prevBitfield && mSize != 0;
            emitBitPadding(off, mOff, mAlign, inBitfield, lvl + 1);
            out.append('\n').append(pfx(lvl + 1));
            emitTypeDecl(m.type(), m.name(), lvl + 1);
            if (mSize != 0) {
                out.append(": ").append(mSize);
                off = mOff + mSize;
                prevBitfield = true;
            } else {
                long sz = Math.max(0, resolveSize(m.type()));
                off = mOff + sz * 8;
                prevBitfield = false;
            }
            out.append(';');
        }
        if (isStruct) {
            emitBitPadding(off, c.size() * 8, align, false, lvl + 1);
        }
        if (!c.members().isEmpty() || c.size() != 0) {
            out.append('\n').append(pfx(lvl)).append('}');
        } else {
            out.append('}');
        }
        if (packed) {
            out.append(" __attribute__((packed))");
        }
    }

    private boolean isPacked(BtfType.Composite c) {
        int maxAlign = 1;
        for (BtfType.Member m : c.members()) {
            int align = alignOf(m.type());
            if (align != 0 && m.bitfieldSize() == 0 && m.bitOffset() % (8L * align) != 0) {
                return true;
            }
            maxAlign = Math.max(align, maxAlign);
        }
        return c.size() % maxAlign != 0;
    }

    private void emitBitPadding(long curOff, long nextOff, int nextAlign, boolean inBitfield, int lvl) {
        if (curOff >= nextOff) {
            return;
        }
        String[] names = {"long", "int", "short", "char"};
        int[] bitsOf = {ptrSize * 8, 32, 16, 8};
        long newOff = 0;
        int padBits = 0;
        String padType = null;
        for (int i = 0; i < names.length; i++) {
            padBits = bitsOf[i];
            padType = names[i];
            newOff = roundUp(curOff, padBits);
            if (newOff <= nextOff) {
                break;
            }
        }
        if (newOff > curOff && newOff <= nextOff) {
            if (inBitfield || newOff == nextOff && roundUp(curOff, nextAlign * 8L) != newOff
                    || newOff != nextOff && nextOff - newOff <= newOff - curOff) {
                out.append('\n').append(pfx(lvl)).append(padType).append(": ").append(inBitfield ? newOff - curOff : 0).append(';');
            }
            curOff = newOff;
        }
        // at most one line per 64 bits, plus one per narrower type at the end
        if ((nextOff - curOff) / 64 + names.length > paddingLinesLeft) {
            throw new BpfException("btf: [" + currentComposite + "] " + typeName(currentComposite) + ": a gap of "
                    + (nextOff - curOff) + " bits at bit offset " + curOff + " needs more than the C dump's "
                    + MAX_PADDING_LINES + " padding lines");
        }
        while (curOff != nextOff) {
            paddingLinesLeft--;
            long bits = Math.min(nextOff - curOff, padBits);
            if (bits == padBits) {
                out.append('\n').append(pfx(lvl)).append(padType).append(": ").append(padBits).append(';');
                curOff += bits;
                continue;
            }
            for (int i = names.length - 1; i >= 0; i--) {
                padType = names[i];
                padBits = bitsOf[i];
                if (padBits < bits) {
                    continue;
                }
                out.append('\n').append(pfx(lvl)).append(padType).append(": ").append(bits).append(';');
                curOff += bits;
                break;
            }
        }
    }

    /** {@code x} rounded up to a multiple of {@code y}; a type of no alignment (a crafted INT of size 0) leaves it. */
    private static long roundUp(long x, long y) {
        if (y <= 0) {
            return x;
        }
        return (x + y - 1) / y * y;
    }

    private static String pfx(int lvl) {
        return "\t".repeat(Math.min(lvl, 13));
    }

    // ---- declarations -----------------------------------------------------------------------

    /** A declaration of {@code name} with type {@code id}: C's inside-out declarator syntax. */
    private void emitTypeDecl(int id, String name, int lvl) {
        List<Integer> stack = new ArrayList<>();
        while (true) {
            stack.add(id);
            if (id == 0) {
                break;
            }
            BtfType t = type(id);
            if (t instanceof BtfType.Ptr || isMod(t)) {
                id = ((BtfType.Reference) t).type();
            } else if (t instanceof BtfType.FuncProto f) {
                id = f.returnType();
            } else if (t instanceof BtfType.Array a) {
                id = a.elementType();
            } else {
                break;
            }
        }
        emitTypeChain(stack, name, lvl);
    }

    private static boolean isMod(BtfType t) {
        return t instanceof BtfType.Volatile || t instanceof BtfType.Const || t instanceof BtfType.Restrict
                || t instanceof BtfType.TypeTag;
    }

    private void emitMods(List<Integer> stack) {
        while (!stack.isEmpty()) {
            BtfType t = type(stack.get(stack.size() - 1));
            if (t instanceof BtfType.Volatile) {
                out.append("volatile ");
            } else if (t instanceof BtfType.Const) {
                out.append("const ");
            } else if (t instanceof BtfType.Restrict) {
                out.append("restrict ");
            } else {
                return;
            }
            stack.remove(stack.size() - 1);
        }
    }

    private void dropMods(List<Integer> stack) {
        while (!stack.isEmpty() && isMod(type(stack.get(stack.size() - 1)))) {
            stack.remove(stack.size() - 1);
        }
    }

    private void emitName(String name, boolean lastWasPtr) {
        if (!name.isEmpty() && !lastWasPtr) {
            out.append(' ');
        }
        out.append(name);
    }

    private void emitTypeChain(List<Integer> decls, String fname, int lvl) {
        boolean lastWasPtr = true;
        while (!decls.isEmpty()) {
            int id = decls.remove(decls.size() - 1);
            if (id == 0) {
                emitMods(decls);
                out.append("void");
                lastWasPtr = false;
                continue;
            }
            BtfType t = type(id);
            if (t instanceof BtfType.Int || t instanceof BtfType.Float) {
                emitMods(decls);
                out.append(t.name());
            } else if (t instanceof BtfType.Composite c) {
                emitMods(decls);
                if (!named(t)) {
                    emitStructDef(id, c, lvl);
                } else {
                    emitStructFwd(id, t);
                }
            } else if (t instanceof BtfType.Enumeration e) {
                emitMods(decls);
                if (!named(t)) {
                    emitEnumDef(id, e, lvl);
                } else {
                    out.append("enum ").append(typeName(id));
                }
            } else if (t instanceof BtfType.Fwd f) {
                emitMods(decls);
                emitFwdDef(id, f);
            } else if (t instanceof BtfType.Typedef) {
                emitMods(decls);
                out.append(identName(id));
            } else if (t instanceof BtfType.Ptr) {
                out.append(lastWasPtr ? "*" : " *");
            } else if (t instanceof BtfType.Volatile) {
                out.append(" volatile");
            } else if (t instanceof BtfType.Const) {
                out.append(" const");
            } else if (t instanceof BtfType.Restrict) {
                out.append(" restrict");
            } else if (t instanceof BtfType.TypeTag) {
                emitMods(decls);
                out.append(" __attribute__((btf_type_tag(\"").append(t.name()).append("\")))");
            } else if (t instanceof BtfType.Array a) {
                dropMods(decls);
                if (decls.isEmpty()) {
                    emitName(fname, lastWasPtr);
                    out.append('[').append(a.elements()).append(']');
                    return;
                }
                boolean multidim = type(decls.get(decls.size() - 1)) instanceof BtfType.Array;
                if (!fname.isEmpty() && !lastWasPtr) {
                    out.append(' ');
                }
                if (!multidim) {
                    out.append('(');
                }
                emitTypeChain(decls, fname, lvl);
                if (!multidim) {
                    out.append(')');
                }
                out.append('[').append(a.elements()).append(']');
                return;
            } else if (t instanceof BtfType.FuncProto f) {
                dropMods(decls);
                if (!decls.isEmpty()) {
                    out.append(" (");
                    emitTypeChain(decls, fname, lvl);
                    out.append(')');
                } else {
                    emitName(fname, lastWasPtr);
                }
                out.append('(');
                List<BtfType.Param> params = f.params();
                if (params.isEmpty() || params.size() == 1 && params.get(0).type() == 0) {
                    out.append("void)");
                    return;
                }
                for (int i = 0; i < params.size(); i++) {
                    BtfType.Param p = params.get(i);
                    if (i > 0) {
                        out.append(", ");
                    }
                    if (i == params.size() - 1 && p.type() == 0) {
                        out.append("...");
                        break;
                    }
                    emitTypeDecl(p.type(), p.name(), lvl);
                }
                out.append(')');
                return;
            } else {
                return;
            }
            lastWasPtr = t instanceof BtfType.Ptr;
        }
        emitName(fname, lastWasPtr);
    }

    // ---- sizes, alignment and names ---------------------------------------------------------

    /** libbpf's btf__align_of; 0 for what has no alignment (void, functions, forward declarations). */
    private int alignOf(int id) {
        BtfType t = type(id);
        if (t instanceof BtfType.Int i) {
            return (int) Math.min(ptrSize, i.size());
        } else if (t instanceof BtfType.Enumeration e) {
            return (int) Math.min(ptrSize, e.size());
        } else if (t instanceof BtfType.Float f) {
            return (int) Math.min(ptrSize, f.size());
        } else if (t instanceof BtfType.Ptr) {
            return ptrSize;
        } else if (t instanceof BtfType.Reference r) {
            return alignOf(r.type());
        } else if (t instanceof BtfType.Array a) {
            return alignOf(a.elementType());
        } else if (t instanceof BtfType.Composite c) {
            int max = 1;
            for (BtfType.Member m : c.members()) {
                int a = alignOf(m.type());
                if (a <= 0) {
                    return a;
                }
                max = Math.max(max, a);
                // a member off its type's alignment: the struct is packed
                if (m.bitfieldSize() == 0 && m.bitOffset() % (8L * a) != 0) {
                    return 1;
                }
            }
            return c.size() % max != 0 ? 1 : max;
        }
        return 0;
    }

    /** libbpf's btf__resolve_size; -1 for what has no size. */
    private long resolveSize(int id) {
        long n = 1;
        for (int depth = 0; depth < 32 && id != 0; depth++) {
            BtfType t = type(id);
            if (t instanceof BtfType.Int i) {
                return n * i.size();
            } else if (t instanceof BtfType.Composite c) {
                return n * c.size();
            } else if (t instanceof BtfType.Enumeration e) {
                return n * e.size();
            } else if (t instanceof BtfType.Float f) {
                return n * f.size();
            } else if (t instanceof BtfType.DataSec d) {
                return n * d.size();
            } else if (t instanceof BtfType.Ptr) {
                return n * ptrSize;
            } else if (t instanceof BtfType.Reference r) {
                id = r.type();
            } else if (t instanceof BtfType.Var v) {
                id = v.type();
            } else if (t instanceof BtfType.Array a) {
                n *= a.elements();
                id = a.elementType();
            } else {
                return -1;
            }
        }
        return -1;
    }

    private String typeName(int id) {
        return resolveName(id, typeNames);
    }

    private String identName(int id) {
        return resolveName(id, identNames);
    }

    private String resolveName(int id, Map<String, Integer> names) {
        BtfType t = type(id);
        if (!named(t)) {
            return "";
        }
        if (nameResolved[id]) {
            return resolvedNames[id] != null ? resolvedNames[id] : t.name();
        }
        nameResolved[id] = true;
        if (t instanceof BtfType.Fwd || t instanceof BtfType.Enum e && e.values().isEmpty()) {
            return t.name();
        }
        int dups = dup(names, t.name());
        if (dups > 1) {
            resolvedNames[id] = t.name() + "___" + dups;
        }
        return resolvedNames[id] != null ? resolvedNames[id] : t.name();
    }

    private static int dup(Map<String, Integer> names, String name) {
        return names.merge(name, 1, Integer::sum);
    }
}
