package io.bpf4j.relocator;

import io.bpf4j.elf.ElfSection;
import io.bpf4j.elf.btf.BtfExt;
import io.bpf4j.elf.btf.BtfExtSection;
import io.bpf4j.elf.btf.CoreRelo;
import io.bpf4j.relocator.core.CoreRelocation;
import io.bpf4j.relocator.core.CoreRelocator;
import io.bpf4j.relocator.core.CoreTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CO-RE pass of {@code bpf_object__relocate}: the {@code .BTF.ext} core_relo blocks in
 * file order, each record applied to the program (or subprogram) it falls in, before any code
 * is appended, so each entry program later receives already-patched subprogram code. One
 * relocation session (candidate cache) spans the whole object, as in libbpf.
 */
final class CoreStep {
    private CoreStep() {}

    static boolean hasRecords(ObjectSpec obj) {
        Optional<BtfExt> ext = obj.btfExt();
        return ext.isPresent() && !ext.get().coreRelos().isEmpty() && obj.btf().isPresent();
    }

    static CoreRelocatedObject apply(ResolvedObject resolved, CoreTarget target) {
        ObjectSpec obj = resolved.object();
        Optional<BtfExt> ext = obj.btfExt();
        if (!hasRecords(obj)) {
            return new CoreRelocatedObject(obj, Map.of(), List.of(), resolved.externs);
        }
        CoreRelocator relocator = new CoreRelocator(obj.btf().get(), target);
        List<ProgramSpec> programs = new ArrayList<>(obj.allPrograms());
        Map<String, CoreRelocation> done = new LinkedHashMap<>();
        List<String> log = new ArrayList<>();
        for (BtfExtSection<CoreRelo> block : ext.get().coreRelos()) {
            List<CoreRelo> records = block.records();
            log.add("sec '" + block.sectionName() + "': found " + records.size() + " CO-RE relocations");
            int sectionIndex = obj.elf().section(block.sectionName()).map(ElfSection::index).orElse(-1);
            for (int i = 0; i < records.size(); i++) {
                long slot = records.get(i).insnOffset() / 8;
                boolean owned = false;
                for (ProgramSpec p : programs) {
                    owned |= p.sectionIndex() == sectionIndex && p.containsSectionSlot(slot);
                }
                if (!owned) {
                    // the linker keeps the records of a __weak subprogram it dropped
                    log.add("sec '" + block.sectionName() + "': skipping CO-RE relocation #" + i + " for insn #" + slot
                            + " belonging to eliminated weak subprogram");
                }
            }
            for (int k = 0; k < programs.size(); k++) {
                ProgramSpec p = programs.get(k);
                // programs that will not be loaded are left alone, as libbpf skips their records
                if (p.sectionIndex() != sectionIndex || !p.autoload()) continue;
                CoreRelocation r = relocator.relocate(p.name(), p.instructions(), records, p.sectionSlotOffset());
                if (r.results().isEmpty()) continue;
                done.put(p.name(), r);
                log.addAll(r.log());
                programs.set(k, new ProgramSpec(p.name(), p.section(), p.sectionIndex(), p.sectionSlotOffset(), r.instructions(),
                        p.subprogram(), p.global(), p.hidden(), p.autoload(), p.relocations()));
            }
        }
        ObjectSpec patched = new ObjectSpec(obj.name(), obj.elf(), obj.sections(), obj.license(), obj.kernelVersion(), programs,
                obj.maps(), obj.externs(), obj.options(), obj.structOps());
        return new CoreRelocatedObject(patched, done, log, resolved.externs);
    }
}
