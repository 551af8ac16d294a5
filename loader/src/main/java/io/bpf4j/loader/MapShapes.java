package io.bpf4j.loader;

import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.isa.abi.MapShape;
import io.bpf4j.isa.abi.MapShape.SpecialField;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.elf.spec.MapSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the verifier knows of an object's maps: their shapes as the kernel sees them at load
 * time, with the special fields the kernel finds in the value's BTF (spin locks, timers,
 * kptrs...).
 */
final class MapShapes {
    private static final Map<String, SpecialField.Kind> SPECIAL_STRUCTS = Map.ofEntries(
            Map.entry("bpf_spin_lock", SpecialField.Kind.SPIN_LOCK),
            Map.entry("bpf_res_spin_lock", SpecialField.Kind.RES_SPIN_LOCK),
            Map.entry("bpf_timer", SpecialField.Kind.TIMER),
            Map.entry("bpf_wq", SpecialField.Kind.WORKQUEUE),
            Map.entry("bpf_task_work", SpecialField.Kind.TASK_WORK),
            Map.entry("bpf_list_head", SpecialField.Kind.LIST_HEAD),
            Map.entry("bpf_list_node", SpecialField.Kind.LIST_NODE),
            Map.entry("bpf_rb_root", SpecialField.Kind.RB_ROOT),
            Map.entry("bpf_rb_node", SpecialField.Kind.RB_NODE),
            Map.entry("bpf_refcount", SpecialField.Kind.REFCOUNT));
    private static final Map<String, SpecialField.Kind> KPTR_TAGS = Map.of(
            "kptr_untrusted", SpecialField.Kind.KPTR_UNREF,
            "kptr", SpecialField.Kind.KPTR_REF,
            "percpu_kptr", SpecialField.Kind.KPTR_PERCPU,
            "uptr", SpecialField.Kind.UPTR);
    private static final int MAX_DEPTH = 16;

    private MapShapes() {
    }

    /** The shape of one map; frozen when programs may only read it (.rodata, .kconfig: libbpf freezes them). */
    static MapShape of(MapSpec m, Btf btf) {
        MapType type = m.type() != null ? m.type() : MapType.UNSPEC;
        MapShape.Builder b = MapShape.builder(type).name(m.name()).keySize(m.keySize()).valueSize(m.valueSize())
                .maxEntries(m.maxEntries()).flags(m.flags()).mapExtra(m.mapExtra()).frozen(m.readOnlyForPrograms());
        if (m.innerMap() != null) {
            b.inner(of(m.innerMap(), btf));
        }
        if (btf != null && m.valueTypeId() > 0) {
            List<SpecialField> fields = new ArrayList<>();
            try {
                collect(btf, m.valueTypeId(), 0, fields, 0);
            } catch (RuntimeException e) {
                // malformed value BTF: the kernel refuses the map itself; the shape just has no special fields
                fields.clear();
            }
            fields.forEach(b::specialField);
        }
        return b.build();
    }

    private static void collect(Btf btf, int typeId, long bitBase, List<SpecialField> out, int depth) {
        if (depth > MAX_DEPTH) {
            return;
        }
        BtfType t = btf.type(typeId);
        while (t instanceof BtfType.Typedef || t instanceof BtfType.Const || t instanceof BtfType.Volatile
                || t instanceof BtfType.Restrict) {
            t = btf.type(((BtfType.Reference) t).type());
        }
        if (t instanceof BtfType.Struct s) {
            SpecialField.Kind special = SPECIAL_STRUCTS.get(s.name());
            if (special != null) {
                out.add(new SpecialField((int) (bitBase / 8), (int) s.size(), special, s.name()));
                return;
            }
            for (BtfType.Member member : s.members()) {
                collectMember(btf, member, bitBase, out, depth);
            }
        } else if (t instanceof BtfType.Union u) {
            for (BtfType.Member member : u.members()) {
                collectMember(btf, member, bitBase, out, depth);
            }
        } else if (t instanceof BtfType.Array a) {
            long size = btf.sizeOf(a.elementType());
            for (long i = 0; i < Math.min(a.elements(), 64); i++) {
                collect(btf, a.elementType(), bitBase + i * size * 8, out, depth + 1);
            }
        }
    }

    private static void collectMember(Btf btf, BtfType.Member member, long bitBase, List<SpecialField> out, int depth) {
        long bit = bitBase + member.bitOffset();
        BtfType mt = btf.type(member.type());
        // a kptr is a pointer whose target carries a type tag: __kptr, __kptr_untrusted, __percpu_kptr, __uptr
        while (mt instanceof BtfType.Typedef || mt instanceof BtfType.Const || mt instanceof BtfType.Volatile) {
            mt = btf.type(((BtfType.Reference) mt).type());
        }
        if (mt instanceof BtfType.Ptr p && btf.type(p.type()) instanceof BtfType.TypeTag tag
                && KPTR_TAGS.containsKey(tag.name())) {
            out.add(new SpecialField((int) (bit / 8), 8, KPTR_TAGS.get(tag.name()), btf.type(tag.type()).name()));
            return;
        }
        collect(btf, member.type(), bit, out, depth + 1);
    }
}
