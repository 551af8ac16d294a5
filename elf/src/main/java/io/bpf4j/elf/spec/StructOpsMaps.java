package io.bpf4j.elf.spec;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.ElfSection;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfKind;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.isa.abi.MapType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * libbpf's {@code init_struct_ops_maps}: every variable of a struct_ops section becomes a
 * {@code BPF_MAP_TYPE_STRUCT_OPS} map (key 4 bytes, value the struct's size, one entry,
 * {@code BPF_F_LINK} for {@code .struct_ops.link}, not autocreated for the {@code ?} forms)
 * whose initial data is the variable's bytes.
 */
public final class StructOpsMaps {
    /** {@code BPF_F_LINK}. */
    public static final int F_LINK = 1 << 13;

    private StructOpsMaps() {}

    /** A struct_ops map: its map spec and what it declares. */
    public record Declared(MapSpec map, StructOpsSpec structOps) {}

    /**
     * Reads the struct_ops maps of every struct_ops section, in section order (programs not
     * bound yet: that is the relocator's {@code .rel.struct_ops*} step).
     *
     * @throws DeclarationException with libbpf's {@code struct_ops init: ...} message
     */
    public static List<Declared> read(ElfObject elf, ObjectSections sections, Btf btf) {
        List<Declared> out = new ArrayList<>();
        for (int i = 0; i < sections.kinds().size(); i++) {
            if (sections.kind(i) != SectionKind.STRUCT_OPS) {
                continue;
            }
            ElfSection sec = elf.section(i);
            read(sec, btf, out);
        }
        return out;
    }

    private static void read(ElfSection sec, Btf btf, List<Declared> out) {
        String secName = sec.name();
        BtfType.DataSec ds = btf == null ? null
                : (BtfType.DataSec) btf.findByName(secName, BtfKind.DATASEC).orElse(null);
        if (ds == null) {
            throw new DeclarationException("struct_ops init: DATASEC " + secName + " not found", null, secName);
        }
        byte[] data = bytes(sec);
        for (BtfType.VarSecInfo vsi : ds.vars()) {
            BtfType var = btf.type(vsi.type());
            String varName = var.name();
            BtfType type = btf.resolve(var instanceof BtfType.Var v ? v.type() : vsi.type());
            String tname = type.name();
            if (tname.isEmpty()) {
                throw new DeclarationException("struct_ops init: anonymous type is not supported", varName, secName);
            }
            if (!(type instanceof BtfType.Struct st)) {
                throw new DeclarationException("struct_ops init: " + tname + " is not a struct", varName, secName);
            }
            if (vsi.offset() + st.size() > data.length) {
                throw new DeclarationException("struct_ops init: var " + varName + " is beyond the end of DATASEC "
                        + secName.replaceFirst("^\\?", ""), varName, secName);
            }
            List<StructOpsSpec.Member> members = new ArrayList<>();
            for (int k = 0; k < st.members().size(); k++) {
                BtfType.Member m = st.members().get(k);
                long size = btf.sizeOf(m.type());
                BtfType mt = btf.resolve(m.type());
                boolean fp = mt instanceof BtfType.Ptr p && btf.resolve(p.type()) instanceof BtfType.FuncProto;
                members.add(new StructOpsSpec.Member(k, m.name(), m.bitOffset() / 8, size, m.type(), fp));
            }
            byte[] image = java.util.Arrays.copyOfRange(data, (int) vsi.offset(), (int) (vsi.offset() + st.size()));
            boolean optional = secName.startsWith("?");
            String plain = optional ? secName.substring(1) : secName;
            int flags = plain.equals(".struct_ops.link") ? F_LINK : 0;
            MapSpec map = MapSpec.builder(varName, MapSpec.Kind.STRUCT_OPS).typeId(MapType.STRUCT_OPS.id()).keySize(4)
                    .valueSize((int) st.size()).valueTypeId(st.id()).maxEntries(1).flags(flags).initialData(image)
                    .section(secName, sec.index(), vsi.offset()).declarationSize(st.size()).autocreate(!optional).build();
            out.add(new Declared(map, new StructOpsSpec(varName, secName, st.id(), tname, members, Map.of())));
        }
    }

    private static byte[] bytes(ElfSection sec) {
        java.nio.ByteBuffer b = sec.data();
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
