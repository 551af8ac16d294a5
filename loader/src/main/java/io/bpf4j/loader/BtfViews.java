package io.bpf4j.loader;

import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfKind;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.verifier.BtfNode;
import io.bpf4j.verifier.BtfView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * elf's BTF as the verifier reads it ({@link BtfView}): each type converted on first use and
 * kept, one view per parsed BTF (vmlinux is large; a verification touches a few dozen types).
 */
final class BtfViews implements BtfView {
    private static final Map<Btf, BtfViews> VIEWS = new WeakHashMap<>();

    private final Btf btf;
    private final Map<Integer, BtfNode> nodes = new ConcurrentHashMap<>();

    private BtfViews(Btf btf) {
        this.btf = btf;
    }

    /** The view of {@code btf}, shared by every verification against it. */
    static synchronized BtfView of(Btf btf) {
        return VIEWS.computeIfAbsent(btf, BtfViews::new);
    }

    /**
     * A view of the BTF {@code btf} supplies, which is asked for (and parsed) only when the
     * verifier first reads a type: for programs that may walk kernel structs without needing to
     * (a map pointer's struct is read only if the program loads through it).
     */
    static BtfView lazy(java.util.function.Supplier<Btf> btf) {
        return new BtfView() {
            private BtfView view;

            private synchronized BtfView view() {
                if (view == null) {
                    view = of(btf.get());
                }
                return view;
            }

            @Override
            public BtfNode type(int id) {
                return view().type(id);
            }

            @Override
            public OptionalInt findStruct(String name) {
                return view().findStruct(name);
            }

            @Override
            public OptionalInt findFunc(String name) {
                return view().findFunc(name);
            }
        };
    }

    /** The type with this id as a node, converted once; void for 0 and for ids out of range. */
    @Override
    public BtfNode type(int id) {
        if (id <= 0 || id >= btf.typeCount()) {
            return BtfNode.Void.INSTANCE;
        }
        return nodes.computeIfAbsent(id, this::convert);
    }

    /** The id of the struct named {@code name}, if the BTF has one. */
    @Override
    public OptionalInt findStruct(String name) {
        return btf.findByName(name, BtfKind.STRUCT).map(t -> OptionalInt.of(t.id())).orElse(OptionalInt.empty());
    }

    /** The id of the FUNC named {@code name}, if the BTF has one. */
    @Override
    public OptionalInt findFunc(String name) {
        return btf.findByName(name, BtfKind.FUNC).map(t -> OptionalInt.of(t.id())).orElse(OptionalInt.empty());
    }

    private BtfNode convert(int id) {
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Int i) {
            return new BtfNode.Int(i.name(), (int) i.size());
        } else if (t instanceof BtfType.Enum e) {
            return new BtfNode.Enum(e.name(), (int) e.size(), false);
        } else if (t instanceof BtfType.Enum64 e) {
            return new BtfNode.Enum(e.name(), (int) e.size(), true);
        } else if (t instanceof BtfType.Ptr p) {
            return new BtfNode.Ptr(p.type());
        } else if (t instanceof BtfType.Array a) {
            return new BtfNode.Array(a.elementType(), a.elements());
        } else if (t instanceof BtfType.Struct s) {
            return new BtfNode.Composite(s.name(), s.size(), false, members(s.members()));
        } else if (t instanceof BtfType.Union u) {
            return new BtfNode.Composite(u.name(), u.size(), true, members(u.members()));
        } else if (t instanceof BtfType.Typedef m) {
            return new BtfNode.Modifier(BtfNode.ModifierKind.TYPEDEF, m.name(), m.type());
        } else if (t instanceof BtfType.Const m) {
            return new BtfNode.Modifier(BtfNode.ModifierKind.CONST, m.name(), m.type());
        } else if (t instanceof BtfType.Volatile m) {
            return new BtfNode.Modifier(BtfNode.ModifierKind.VOLATILE, m.name(), m.type());
        } else if (t instanceof BtfType.Restrict m) {
            return new BtfNode.Modifier(BtfNode.ModifierKind.RESTRICT, m.name(), m.type());
        } else if (t instanceof BtfType.TypeTag m) {
            return new BtfNode.Modifier(BtfNode.ModifierKind.TYPE_TAG, m.name(), m.type());
        } else if (t instanceof BtfType.FuncProto f) {
            List<BtfNode.Param> params = new ArrayList<>();
            for (BtfType.Param p : f.params()) {
                params.add(new BtfNode.Param(p.name(), p.type()));
            }
            return new BtfNode.FuncProto(f.returnType(), params);
        } else if (t instanceof BtfType.Func f) {
            return new BtfNode.Func(f.name(), f.type());
        }
        return new BtfNode.Other(t.kind().name(), t.name());
    }

    private static List<BtfNode.Member> members(List<BtfType.Member> ms) {
        List<BtfNode.Member> out = new ArrayList<>(ms.size());
        for (BtfType.Member m : ms) {
            out.add(new BtfNode.Member(m.name(), m.type(), m.bitOffset(), m.bitfieldSize()));
        }
        return out;
    }
}
