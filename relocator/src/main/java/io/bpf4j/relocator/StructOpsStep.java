package io.bpf4j.relocator;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.ElfSymbol;
import io.bpf4j.elf.Relocation;
import io.bpf4j.elf.RelocationSection;
import io.bpf4j.elf.spec.MapSpec;
import io.bpf4j.elf.spec.ObjectSections;
import io.bpf4j.elf.spec.SectionKind;
import io.bpf4j.elf.spec.StructOpsSpec;
import io.bpf4j.isa.abi.ProgramType;

import java.util.ArrayList;
import java.util.List;

/**
 * libbpf's {@code bpf_object__collect_st_ops_relos}: each {@code .rel.struct_ops*} record sets
 * one function-pointer member of one struct_ops map to the program at the symbol's address.
 */
final class StructOpsStep {
    private StructOpsStep() {}

    static List<StructOpsSpec> bindPrograms(ElfObject elf, ObjectSections sections, List<ProgramSpec> programs,
                                            List<MapSpec> maps, List<StructOpsSpec> declared) {
        List<StructOpsSpec> out = new ArrayList<>(declared);
        for (RelocationSection rs : elf.relocationSections()) {
            if (sections.kind(rs.section().index()) != SectionKind.RELOCATIONS
                    || sections.kind(rs.target().index()) != SectionKind.STRUCT_OPS) {
                continue;
            }
            int secIdx = rs.target().index();
            for (Relocation rel : rs.relocations()) {
                ElfSymbol sym = rel.symbol();
                int mi = findMap(maps, out, secIdx, rel.offset());
                if (mi < 0) {
                    throw new RelocationException("struct_ops reloc: cannot find map at rel->r_offset " + rel.offset(), null,
                            rel.index(), -1, sym.name());
                }
                StructOpsSpec st = out.get(mi);
                MapSpec map = mapOf(maps, st.mapName());
                long moff = rel.offset() - map.sectionOffset();
                if (!sym.isInSection()) {
                    throw new RelocationException("struct_ops reloc " + st.mapName() + ": rel->r_offset " + rel.offset()
                            + " shdr_idx " + sym.sectionIndex() + " unsupported non-static function", null, rel.index(), -1, sym.name());
                }
                if (sym.value() % 8 != 0) {
                    throw new RelocationException("struct_ops reloc " + st.mapName() + ": invalid target program offset "
                            + sym.value(), null, rel.index(), -1, sym.name());
                }
                StructOpsSpec.Member member = null;
                for (StructOpsSpec.Member m : st.members()) {
                    if (m.offset() == moff) {
                        member = m;
                        break;
                    }
                }
                if (member == null) {
                    throw new RelocationException("struct_ops reloc " + st.mapName() + ": cannot find member at moff " + moff,
                            null, rel.index(), -1, sym.name());
                }
                if (!member.functionPointer()) {
                    throw new RelocationException("struct_ops reloc " + st.mapName() + ": cannot relocate non func ptr "
                            + member.name(), null, rel.index(), -1, sym.name());
                }
                ProgramSpec prog = null;
                for (ProgramSpec p : programs) {
                    if (!p.subprogram() && p.sectionIndex() == sym.sectionIndex() && p.sectionSlotOffset() == sym.value() / 8) {
                        prog = p;
                        break;
                    }
                }
                if (prog == null) {
                    throw new RelocationException("struct_ops reloc " + st.mapName() + ": cannot find prog at shdr_idx "
                            + sym.sectionIndex() + " to relocate func ptr " + member.name(), null, rel.index(), -1, sym.name());
                }
                if (prog.section().programType() != ProgramType.STRUCT_OPS) {
                    throw new RelocationException("struct_ops reloc " + st.mapName() + ": prog " + prog.name()
                            + " is not struct_ops BPF program", prog.name(), rel.index(), -1, sym.name());
                }
                out.set(mi, st.withProgram(member.index(), prog.name()));
            }
        }
        return out;
    }

    private static MapSpec mapOf(List<MapSpec> maps, String name) {
        for (MapSpec m : maps) {
            if (m.kind() == MapSpec.Kind.STRUCT_OPS && m.name().equals(name)) {
                return m;
            }
        }
        throw new IllegalStateException("no struct_ops map " + name);
    }

    private static int findMap(List<MapSpec> maps, List<StructOpsSpec> st, int secIdx, long offset) {
        for (int i = 0; i < st.size(); i++) {
            MapSpec m = mapOf(maps, st.get(i).mapName());
            if (m.sectionIndex() == secIdx && m.sectionOffset() <= offset && offset - m.sectionOffset() < m.valueSize()) {
                return i;
            }
        }
        return -1;
    }
}
