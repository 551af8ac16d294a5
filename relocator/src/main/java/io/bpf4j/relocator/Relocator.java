package io.bpf4j.relocator;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.spec.DeclarationException;
import io.bpf4j.elf.spec.Extern;
import io.bpf4j.elf.spec.Externs;
import io.bpf4j.elf.spec.MapSpec;
import io.bpf4j.elf.spec.MapSpecReader;
import io.bpf4j.elf.spec.ObjectSections;

import java.util.ArrayList;
import java.util.List;

/**
 * libbpf's open and relocate pipeline as ordered, named, pure steps over immutable specs.
 *
 * <p>Each phase is a type, and each is computed once per object state:
 * <pre>
 * ObjectSpec           {@link #open}:         CLASSIFY_SECTIONS, CARVE_PROGRAMS, COLLECT_EXTERNS, INIT_MAPS,
 *                                          COLLECT_RELOCATIONS (classified, none applied), COLLECT_MAP_RELOCATIONS,
 *                                          COLLECT_STRUCT_OPS_RELOCATIONS (function-pointer members bound to programs)
 * ResolvedObject       {@link #resolve}:      RESOLVE_EXTERNS (the .kconfig image, ksyms)
 * CoreRelocatedObject  {@link #relocateCore}: RELOCATE_CORE over the whole object (libbpf's first relocate pass)
 * RelocatedProgram     {@link #relocate(CoreRelocatedObject, String)}: LINK_CALLS then RELOCATE_DATA for one
 *                                          entry program (every call linked before any map, data or
 *                                          extern relocation is applied, as libbpf does)
 * </pre>
 * The overloads taking an {@link ObjectSpec} run the earlier phases for that call alone.
 */
public final class Relocator {
    /** The pipeline's steps, in the order they run. */
    public enum Step {
        CLASSIFY_SECTIONS, CARVE_PROGRAMS, COLLECT_EXTERNS, INIT_MAPS, COLLECT_RELOCATIONS, COLLECT_MAP_RELOCATIONS,
        COLLECT_STRUCT_OPS_RELOCATIONS, RESOLVE_EXTERNS, RELOCATE_CORE, LINK_CALLS, RELOCATE_DATA
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Relocator.class);

    private Relocator() {}

    private static void step(Step step, String object) {
        LOG.debug("object '{}': {}", object, step.name().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Opens an object: everything libbpf does in {@code bpf_object__open}.
     *
     * @param objectName the object name (libbpf: the file's base name cut at 15 characters and the first dot)
     * @throws ObjectFormatException  for a program layout libbpf refuses
     * @throws DeclarationException   for a map or extern declaration libbpf refuses
     * @throws RelocationException    for a relocation libbpf refuses at open
     */
    public static ObjectSpec open(ElfObject elf, String objectName, RelocatorOptions options) {
        step(Step.CLASSIFY_SECTIONS, objectName);
        ObjectSections sections = ObjectSections.of(elf);
        String license = OpenSteps.license(elf, sections);
        int kver = OpenSteps.kernelVersion(elf, sections, options.kernelVersion(), objectName);
        step(Step.CARVE_PROGRAMS, objectName);
        List<ProgramSpec> programs = OpenSteps.carvePrograms(elf, sections);
        Btf btf = elf.btf().orElse(null);
        step(Step.COLLECT_EXTERNS, objectName);
        List<Extern> externs = Externs.collect(elf, btf);
        step(Step.INIT_MAPS, objectName);
        List<MapSpec> maps = MapSpecReader.read(elf, sections, btf, objectName, externs, options.pageSize(), options.limits());
        step(Step.COLLECT_RELOCATIONS, objectName);
        programs = OpenSteps.collectRelocations(elf, sections, programs, maps, externs);
        step(Step.COLLECT_MAP_RELOCATIONS, objectName);
        maps = OpenSteps.mapRelocations(elf, sections, btf, programs, maps);
        maps = IndirectTables.callTableMapsAsTemplates(maps);
        step(Step.COLLECT_STRUCT_OPS_RELOCATIONS, objectName);
        List<io.bpf4j.elf.spec.StructOpsSpec> declared = new ArrayList<>();
        for (io.bpf4j.elf.spec.StructOpsMaps.Declared d : io.bpf4j.elf.spec.StructOpsMaps.read(elf, sections, btf)) {
            declared.add(d.structOps());
        }
        List<io.bpf4j.elf.spec.StructOpsSpec> structOps = StructOpsStep.bindPrograms(elf, sections, programs, maps, declared);
        return new ObjectSpec(objectName, elf, sections, license, kver, programs, maps, externs, options, structOps);
    }

    /**
     * Resolves externs: the {@code .kconfig} map's image filled from the options' Kconfig text
     * and virtual values, kernel symbols checked against the target BTF or addresses. The
     * second phase; run it once per object state and relocate every program from its result.
     *
     * @throws RelocationException for an extern libbpf cannot resolve (libbpf's message)
     */
    public static ResolvedObject resolve(ObjectSpec obj) {
        return resolve(obj, null);
    }

    /**
     * Whether resolving the object's externs needs the kernel's BTF: it declares a kfunc or a
     * typed {@code __ksym} variable and its options name no target BTF (libbpf's
     * {@code obj_needs_vmlinux_btf}, for the extern part). The loader then reads the running
     * kernel's vmlinux BTF and passes it to {@link #resolve(ObjectSpec, Btf)}; an object that
     * needs none never makes it read.
     */
    public static boolean needsKernelBtf(ObjectSpec obj) {
        if (obj.options().target().isPresent()) {
            return false;
        }
        for (Extern e : obj.externs()) {
            if (e.kind() == Extern.Kind.KSYM && !e.typeless()) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@link #resolve(ObjectSpec)}, with {@code kernelBtf} (the running kernel's vmlinux BTF, or
     * null) resolving kfuncs and typed ksyms when the options name no target BTF.
     *
     * @throws RelocationException for an extern libbpf cannot resolve (libbpf's message)
     */
    public static ResolvedObject resolve(ObjectSpec obj, Btf kernelBtf) {
        step(Step.RESOLVE_EXTERNS, obj.name());
        RelocatorOptions options = obj.options();
        if (kernelBtf != null && options.target().isEmpty()) {
            options = options.withTargetBtf(kernelBtf);
        }
        ExternResolver.Resolved r = ExternResolver.resolve(obj.externs(), Externs.kconfigSize(obj.externs()), options);
        List<MapSpec> maps = new ArrayList<>(obj.maps());
        for (int i = 0; i < maps.size(); i++) {
            if (maps.get(i).kind() == MapSpec.Kind.KCONFIG) {
                maps.set(i, maps.get(i).withInitialData(r.kconfig));
            }
        }
        return new ResolvedObject(obj.withMaps(maps), r);
    }

    /**
     * {@link #resolve}, keeping only the object.
     *
     * @return the object with its {@code .kconfig} map's initial data filled
     * @throws RelocationException for an extern libbpf cannot resolve (libbpf's message)
     */
    public static ObjectSpec resolveExterns(ObjectSpec obj) {
        return resolve(obj).object();
    }

    /** Whether the object has CO-RE records, so that {@link #relocateCore} needs a target. */
    public static boolean hasCore(ObjectSpec obj) {
        return CoreStep.hasRecords(obj);
    }

    /**
     * CO-RE: every {@code .BTF.ext} core_relo record applied to its own program or subprogram
     * against {@code target}, before any code is appended ({@code bpf_object__relocate_core}).
     * The third phase; an object without CO-RE records comes back unchanged.
     *
     * @param target the target BTF; may be null when {@link #hasCore} is false
     * @throws io.bpf4j.relocator.core.CoreRelocationException for a relocation libbpf refuses
     */
    public static CoreRelocatedObject relocateCore(ResolvedObject obj, io.bpf4j.relocator.core.CoreTarget target) {
        step(Step.RELOCATE_CORE, obj.object().name());
        return CoreStep.apply(obj, target);
    }

    /** {@link #resolve} then {@link #relocateCore(ResolvedObject, io.bpf4j.relocator.core.CoreTarget)}. */
    public static CoreRelocatedObject relocateCore(ObjectSpec obj, io.bpf4j.relocator.core.CoreTarget target) {
        return relocateCore(resolve(obj), target);
    }

    /**
     * Relocates one entry program of an object past CO-RE: subprograms appended in libbpf's
     * order, every relocation applied with the externs resolved once for the object, func_info
     * and line_info rebased.
     *
     * @throws RelocationException when libbpf would refuse to relocate it
     */
    public static RelocatedProgram relocate(CoreRelocatedObject obj, String programName) {
        ProgramSpec main = obj.object().program(programName)
                .orElseThrow(() -> new IllegalArgumentException("no program '" + programName + "'"));
        step(Step.LINK_CALLS, obj.object().name() + "/" + programName);
        return ProgramLinker.relocate(obj.object(), main, obj.externs);
    }

    /** Relocates every entry program whose autoload is set, in object order. */
    public static List<RelocatedProgram> relocateAll(CoreRelocatedObject obj) {
        List<RelocatedProgram> out = new ArrayList<>();
        for (ProgramSpec p : obj.object().programs()) {
            if (p.autoload()) {
                out.add(relocate(obj, p.name()));
            }
        }
        return out;
    }

    /**
     * Relocates one entry program of an object as it was opened, without CO-RE (its externs
     * resolved for this call alone): for objects without CO-RE records and for tests.
     *
     * @throws RelocationException when libbpf would refuse to relocate it
     */
    public static RelocatedProgram relocate(ObjectSpec obj, String programName) {
        ProgramSpec main = obj.program(programName)
                .orElseThrow(() -> new IllegalArgumentException("no program '" + programName + "'"));
        step(Step.RESOLVE_EXTERNS, obj.name());
        ExternResolver.Resolved r = ExternResolver.resolve(obj.externs(), Externs.kconfigSize(obj.externs()), obj.options());
        step(Step.LINK_CALLS, obj.name() + "/" + programName);
        return ProgramLinker.relocate(obj, main, r);
    }

    /** Relocates every entry program whose autoload is set, in object order, without CO-RE. */
    public static List<RelocatedProgram> relocateAll(ObjectSpec obj) {
        ExternResolver.Resolved r = ExternResolver.resolve(obj.externs(), Externs.kconfigSize(obj.externs()), obj.options());
        List<RelocatedProgram> out = new ArrayList<>();
        for (ProgramSpec p : obj.programs()) {
            if (p.autoload()) {
                out.add(ProgramLinker.relocate(obj, p, r));
            }
        }
        return out;
    }
}
