package io.bpf4j.relocator;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.ElfSection;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfExt;
import io.bpf4j.elf.btf.BtfExtSection;
import io.bpf4j.elf.btf.BtfKind;
import io.bpf4j.elf.btf.FuncInfo;
import io.bpf4j.elf.btf.LineInfo;
import io.bpf4j.isa.CallX;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import io.bpf4j.isa.SlotBuffer;
import io.bpf4j.elf.spec.Extern;
import io.bpf4j.elf.spec.MapSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Relocates one entry program as libbpf's {@code bpf_object__relocate} does after CO-RE: marks
 * function-address loads, appends subprograms depth-first in first-use order
 * ({@code bpf_object__reloc_code}) while rebasing func_info and line_info, then applies map,
 * data and extern relocations ({@code bpf_object__relocate_data}). Works on slots, as libbpf.
 */
final class ProgramLinker {
    private static final Logger LOG = LoggerFactory.getLogger(ProgramLinker.class);

    /** libbpf's poison for a map reference whose map is not created: call imm = base + map index. */
    static final int POISON_LDIMM64_MAP_BASE = 2001000000;
    /** libbpf's poison for an unresolved weak kfunc: call imm = base + extern index. */
    static final int POISON_CALL_KFUNC_BASE = 2002000000;

    // The record sizes clang writes and the kernel's minimum; libbpf passes the object's own sizes on,
    // and the elf model keeps the decoded fields only.
    static final int FUNC_INFO_REC_SIZE = 8;
    static final int LINE_INFO_REC_SIZE = 16;

    private final ObjectSpec obj;
    private final ProgramSpec main;
    private final ExternResolver.Resolved externs;
    private final SlotBuffer insns = new SlotBuffer();
    private final List<RelocationRecord> relos = new ArrayList<>();
    private final Map<ProgramSpec, Integer> subOffset = new IdentityHashMap<>();
    private final List<FunctionEntry> functions = new ArrayList<>();
    private final List<FuncInfoRecord> funcInfo = new ArrayList<>();
    private final List<LineInfoRecord> lineInfo = new ArrayList<>();
    private boolean funcInfoOn = true;
    private boolean lineInfoOn = true;
    private int funcInfoRecSize;
    private int lineInfoRecSize;
    private final IndirectLinker indirect;

    private ProgramLinker(ObjectSpec obj, ProgramSpec main, ExternResolver.Resolved externs) {
        this.obj = obj;
        this.main = main;
        this.externs = externs;
        this.indirect = new IndirectLinker(obj);
    }

    static RelocatedProgram relocate(ObjectSpec obj, ProgramSpec main, ExternResolver.Resolved externs) {
        ProgramLinker l = new ProgramLinker(obj, main, externs);
        l.insns.addAll(markedSlots(main));
        l.relos.addAll(main.relocations());
        l.subOffset.put(main, 0);
        l.functions.add(new FunctionEntry(0, main.name(), 0, main.slotCount(), l.btfFuncId(main)));
        l.relocCode(main);
        List<MapReference> refs = l.relocateData();
        ProgramSection s = main.section();
        return new RelocatedProgram(main.name(), s.name(), s.programType(), s.expectedAttachTypeId(),
                s.attachTarget().orElse(null), s.sleepable(), main.autoload(), obj.license(), obj.kernelVersion(),
                l.insns.toInstructions(), l.functions, l.funcInfo.isEmpty() ? 0 : l.funcInfoRecSize, l.funcInfo,
                l.lineInfo.isEmpty() ? 0 : l.lineInfoRecSize, l.lineInfo, refs, l.relos, l.coreSites(), l.indirect.result());
    }

    /**
     * A program's slots with every function-address load marked {@code BPF_PSEUDO_FUNC} and
     * every {@code callx} in the kernel's encoding (register in dst_reg; LLVM 18 put it in imm).
     */
    private static SlotBuffer markedSlots(ProgramSpec p) {
        SlotBuffer out = SlotBuffer.of(p.instructions());
        Instructions insns = p.instructions();
        for (int i = 0; i < insns.size(); i++) {
            if (insns.slotAt(insns.slotOf(i)).code() == Opcodes.CODE_CALLX) {
                out.set(insns.slotOf(i), ((CallX) insns.get(i)).normalized().slot());
            }
        }
        for (RelocationRecord r : p.relocations()) {
            if (r.kind() == RelocationKind.SUBPROG_ADDR) {
                out.set(r.slot(), out.get(r.slot()).withSrc(Opcodes.PSEUDO_FUNC));
            }
        }
        return out;
    }

    private int btfFuncId(ProgramSpec p) {
        Btf btf = obj.btf().orElse(null);
        if (btf == null) {
            return 0;
        }
        for (FuncInfo fi : funcInfoBlock(p)) {
            if (fi.insnIndex() == p.sectionSlotOffset()) {
                return fi.typeId();
            }
        }
        return btf.findByName(p.name(), BtfKind.FUNC).map(t -> t.id()).orElse(0);
    }

    private static boolean isSubprogCall(Slot s) {
        return s.code() == Opcodes.CODE_CALL && s.src() == Opcodes.PSEUDO_CALL && s.dst() == 0 && s.off() == 0;
    }

    private static boolean isPseudoFunc(Slot s) {
        return s.code() == Opcodes.CODE_LD_IMM64 && s.src() == Opcodes.PSEUDO_FUNC;
    }

    private static RelocationRecord findRelo(List<RelocationRecord> list, int slot) {
        int lo = 0;
        int hi = list.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int s = list.get(mid).slot();
            if (s < slot) {
                lo = mid + 1;
            } else if (s > slot) {
                hi = mid - 1;
            } else {
                return list.get(mid);
            }
        }
        return null;
    }

    private void relocCode(ProgramSpec p) {
        relocExtInfo(p);
        int base = subOffset.get(p);
        for (int i = 0; i < p.slotCount(); i++) {
            Slot insn = insns.get(base + i);
            if (insn.code() == Opcodes.CODE_LD_IMM64 && !isPseudoFunc(insn)) {
                RelocationRecord tr = findRelo(p.relocations(), i);
                if (tr != null && tr.kind() == RelocationKind.CALL_TABLE) {
                    // every callee of a call table the program loads is appended, as if called here
                    for (long callee : indirect.calleesOf(p, tr, insn)) {
                        appendSubprogram(p, i, tr, callee / 8);
                    }
                } else if (tr != null && tr.kind() == RelocationKind.LD64 && IndirectTables.isCallTableMap(obj.maps().get(tr.mapIndex()))) {
                    for (long callee : indirect.calleesOf(obj.maps().get(tr.mapIndex()))) {
                        appendSubprogram(p, i, tr, callee);
                    }
                }
                continue;
            }
            if (!isSubprogCall(insn) && !isPseudoFunc(insn)) {
                continue;
            }
            RelocationRecord relo = findRelo(p.relocations(), i);
            if (relo != null && relo.kind() == RelocationKind.EXTERN_CALL) {
                continue;
            }
            if (relo != null && relo.kind() != RelocationKind.CALL && relo.kind() != RelocationKind.SUBPROG_ADDR) {
                throw new RelocationException("prog '" + p.name() + "': unexpected relo for insn #" + i + ", type "
                        + relo.kind().ordinal(), p.name(), -1, i, relo.symbol());
            }
            long target;
            if (relo != null) {
                target = relo.kind() == RelocationKind.CALL ? relo.symbolOffset() / 8 + insn.imm() + 1
                        : (relo.symbolOffset() + insn.imm()) / 8;
            } else if (isPseudoFunc(insn)) {
                throw new RelocationException("prog '" + p.name() + "': missing subprog addr relo for insn #" + i, p.name(), -1,
                        i, null);
            } else {
                target = (long) p.sectionSlotOffset() + i + insn.imm() + 1;
            }
            ProgramSpec sub = appendSubprogram(p, i, relo, target);
            int at = base + i;
            int imm = subOffset.get(sub) - at - 1;
            insns.set(at, insns.get(at).withImm(imm));
            LOG.debug("prog '{}': insn #{} relocated, imm {} points to subprog '{}' (now at {} offset)", main.name(), i, imm,
                    sub.name(), subOffset.get(sub));
        }
    }

    /** The {@code .text} function at slot {@code target}, appended (and relocated) unless it already is. */
    private ProgramSpec appendSubprogram(ProgramSpec p, int i, RelocationRecord relo, long target) {
        List<ProgramSpec> all = obj.allPrograms();
        int text = obj.sections().textIndex();
        int si = text < 0 ? -1 : OpenSteps.findProgram(all, text, target);
        if (si < 0) {
            throw new RelocationException("prog '" + p.name() + "': no .text section found yet sub-program call exists",
                    p.name(), -1, i, relo == null ? null : relo.symbol());
        }
        ProgramSpec sub = all.get(si);
        if (!subOffset.containsKey(sub)) {
            int off = insns.size();
            subOffset.put(sub, off);
            insns.addAll(markedSlots(sub));
            for (RelocationRecord r : sub.relocations()) {
                relos.add(r.shifted(off));
            }
            functions.add(new FunctionEntry(functions.size(), sub.name(), off, sub.slotCount(), btfFuncId(sub)));
            relocCode(sub);
        }
        return sub;
    }

    private List<CoreSite> coreSites() {
        List<CoreSite> out = new ArrayList<>();
        BtfExt ext = obj.btfExt().orElse(null);
        if (ext == null) {
            return out;
        }
        for (Map.Entry<ProgramSpec, Integer> e : subOffset.entrySet()) {
            ProgramSpec p = e.getKey();
            List<io.bpf4j.elf.btf.CoreRelo> block = block(ext.coreRelos(), p);
            if (block == null) {
                continue;
            }
            for (io.bpf4j.elf.btf.CoreRelo c : block) {
                if (p.containsSectionSlot(c.insnIndex())) {
                    out.add(new CoreSite((int) (e.getValue() + c.insnIndex() - p.sectionSlotOffset()),
                            c.kind().name().toLowerCase(java.util.Locale.ROOT), c.typeId(), c.accessString()));
                }
            }
        }
        out.sort(java.util.Comparator.comparingInt(CoreSite::slot));
        return out;
    }

    // ---- func_info / line_info -------------------------------------------------------------

    /** The .BTF.ext block of a program's section: the first section with the block's name must be it. */
    private <T> List<T> block(List<BtfExtSection<T>> blocks, ProgramSpec p) {
        ElfObject elf = obj.elf();
        for (BtfExtSection<T> b : blocks) {
            ElfSection first = elf.section(b.sectionName()).orElse(null);
            if (first != null && first.index() == p.sectionIndex()) {
                return b.records();
            }
        }
        return null;
    }

    private List<FuncInfo> funcInfoBlock(ProgramSpec p) {
        BtfExt ext = obj.btfExt().orElse(null);
        List<FuncInfo> b = ext == null ? null : block(ext.funcInfo(), p);
        return b == null ? List.of() : b;
    }

    private void relocExtInfo(ProgramSpec p) {
        BtfExt ext = obj.btfExt().orElse(null);
        if (ext == null) {
            return;
        }
        int delta = subOffset.get(p) - p.sectionSlotOffset();
        if (funcInfoOn) {
            List<FuncInfo> b = block(ext.funcInfo(), p);
            List<FuncInfo> run = run(b, p, FuncInfo::insnIndex);
            if (run.isEmpty()) {
                if (!funcInfo.isEmpty()) {
                    throw new RelocationException("prog '" + p.name() + "': missing .BTF.ext function info.", p.name(), -1, -1,
                            null);
                }
                LOG.warn("prog '{}': missing .BTF.ext function info for the main program, skipping all of .BTF.ext func info.",
                        p.name());
                funcInfoOn = false;
            } else {
                funcInfoRecSize = FUNC_INFO_REC_SIZE;
                for (FuncInfo f : run) {
                    funcInfo.add(new FuncInfoRecord((int) (f.insnIndex() + delta), f.typeId()));
                }
            }
        }
        if (lineInfoOn) {
            List<LineInfo> b = block(ext.lineInfo(), p);
            List<LineInfo> run = run(b, p, LineInfo::insnIndex);
            if (run.isEmpty()) {
                if (!lineInfo.isEmpty()) {
                    throw new RelocationException("prog '" + p.name() + "': missing .BTF.ext line info.", p.name(), -1, -1, null);
                }
                LOG.warn("prog '{}': missing .BTF.ext line info for the main program, skipping all of .BTF.ext line info.",
                        p.name());
                lineInfoOn = false;
            } else {
                lineInfoRecSize = LINE_INFO_REC_SIZE;
                for (LineInfo l : run) {
                    lineInfo.add(new LineInfoRecord((int) (l.insnIndex() + delta), l.fileNameOffset(), l.lineOffset(),
                            l.lineNumber() << 10 | l.column(), l.fileName(), l.line()));
                }
            }
        }
    }

    // the contiguous run of records inside the program: records are assumed sorted, as libbpf assumes
    private static <T> List<T> run(List<T> records, ProgramSpec p, java.util.function.ToLongFunction<T> index) {
        List<T> out = new ArrayList<>();
        if (records == null) {
            return out;
        }
        for (T r : records) {
            long at = index.applyAsLong(r);
            if (at < p.sectionSlotOffset()) {
                continue;
            }
            if (at >= p.sectionSlotOffset() + p.slotCount()) {
                break;
            }
            out.add(r);
        }
        return out;
    }

    // ---- data, maps, externs ----------------------------------------------------------------

    private List<MapReference> relocateData() {
        List<MapReference> refs = new ArrayList<>();
        List<MapSpec> maps = obj.maps();
        int kconfigMap = -1;
        for (int i = 0; i < maps.size(); i++) {
            if (maps.get(i).kind() == MapSpec.Kind.KCONFIG) {
                kconfigMap = i;
            }
        }
        for (int n = 0; n < relos.size(); n++) {
            RelocationRecord r = relos.get(n);
            int at = r.slot();
            Slot first = insns.get(at);
            switch (r.kind()) {
                case LD64: {
                    MapSpec m = maps.get(r.mapIndex());
                    if (IndirectTables.isCallTableMap(m)) {
                        refs.add(indirect.relocateMapTable(main.name(), r, at, insns, subOffset));
                    } else if (m.autocreate()) {
                        insns.set(at, first.withSrc(Opcodes.PSEUDO_MAP_FD).withImm(r.mapIndex()));
                        refs.add(new MapReference(at, r.mapIndex(), m.name(), false, 0));
                    } else {
                        poisonMap(at, r.mapIndex());
                    }
                    break;
                }
                case DATA: {
                    MapSpec m = maps.get(r.mapIndex());
                    int offset = (int) (first.imm() + r.symbolOffset());
                    insns.set(at + 1, insns.get(at + 1).withImm(offset));
                    if (m.autocreate()) {
                        insns.set(at, first.withSrc(Opcodes.PSEUDO_MAP_VALUE).withImm(r.mapIndex()));
                        refs.add(new MapReference(at, r.mapIndex(), m.name(), true, offset));
                    } else {
                        poisonMap(at, r.mapIndex());
                    }
                    break;
                }
                case EXTERN_LD64: {
                    Extern e = obj.externs().get(r.externIndex());
                    if (e.kind() == Extern.Kind.KCONFIG) {
                        insns.set(at, first.withSrc(Opcodes.PSEUDO_MAP_VALUE).withImm(kconfigMap));
                        insns.set(at + 1, insns.get(at + 1).withImm(e.dataOffset()));
                        refs.add(new MapReference(at, kconfigMap, maps.get(kconfigMap).name(), true, e.dataOffset()));
                    } else if (!e.typeless() && externs.set[r.externIndex()]) {
                        insns.set(at, first.withSrc(Opcodes.PSEUDO_BTF_ID).withImm(externs.btfId[r.externIndex()]));
                        insns.set(at + 1, insns.get(at + 1).withImm(0));
                    } else {
                        long addr = externs.address[r.externIndex()];
                        insns.set(at, first.withImm((int) addr));
                        insns.set(at + 1, insns.get(at + 1).withImm((int) (addr >>> 32)));
                    }
                    break;
                }
                case EXTERN_CALL: {
                    if (externs.set[r.externIndex()]) {
                        insns.set(at, first.withSrc(Opcodes.PSEUDO_KFUNC_CALL).withImm(externs.btfId[r.externIndex()]).withOff(0));
                    } else {
                        insns.set(at, Slot.of(Opcodes.CODE_CALL, 0, 0, 0, POISON_CALL_KFUNC_BASE + r.externIndex()));
                    }
                    break;
                }
                case SUBPROG_ADDR:
                    if (first.src() != Opcodes.PSEUDO_FUNC) {
                        throw new RelocationException("prog '" + main.name() + "': relo #" + n + ": bad insn", main.name(), n, at,
                                r.symbol());
                    }
                    indirect.functionPointer(at, at + first.imm() + 1, functions);
                    break;
                case INSN_ARRAY:
                case CALL_TABLE:
                    refs.add(indirect.relocate(main.name(), r, at, insns, subOffset, functions));
                    break;
                case CALL:
                default:
                    break;
            }
        }
        return refs;
    }

    private void poisonMap(int at, int mapIndex) {
        Slot poison = Slot.of(Opcodes.CODE_CALL, 0, 0, 0, POISON_LDIMM64_MAP_BASE + mapIndex);
        insns.set(at, poison);
        insns.set(at + 1, poison);
    }
}
