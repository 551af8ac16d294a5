package io.bpf4j.relocator;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.spec.DeclarationException;
import io.bpf4j.elf.spec.Extern;
import io.bpf4j.elf.spec.Externs;
import io.bpf4j.elf.spec.MapSpec;
import io.bpf4j.elf.spec.MapSpecReader;
import io.bpf4j.elf.spec.ObjectSections;
import io.bpf4j.elf.spec.SectionKind;

import java.util.ArrayList;
import java.util.List;

/**
 * libbpf's open and relocate pipeline as ordered, named, pure steps over immutable specs.
 *
 * <p>{@link #open} runs, in libbpf's order: {@link Step#CLASSIFY_SECTIONS}, {@link Step#CARVE_PROGRAMS},
 * {@link Step#COLLECT_EXTERNS}, {@link Step#INIT_MAPS}, {@link Step#COLLECT_RELOCATIONS} (every
 * relocation is classified here, none applied), {@link Step#COLLECT_MAP_RELOCATIONS}.
 * {@link #relocateCore} runs {@link Step#RELOCATE_CORE} over the whole object (libbpf's first
 * relocate pass); {@link #relocate} then runs {@link Step#RESOLVE_EXTERNS}, {@link Step#LINK_CALLS} and
 * {@link Step#RELOCATE_DATA} for one entry program (the last two inside {@code ProgramLinker},
 * linking every call before any map, data or extern relocation is applied, as libbpf does).
 */
public final class Relocator {
    /** The pipeline's steps, in the order they run. */
    public enum Step {
        CLASSIFY_SECTIONS, CARVE_PROGRAMS, COLLECT_EXTERNS, INIT_MAPS, COLLECT_RELOCATIONS, COLLECT_MAP_RELOCATIONS,
        RESOLVE_EXTERNS, RELOCATE_CORE, LINK_CALLS, RELOCATE_DATA
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
        for (int i = 0; i < sections.kinds().size(); i++) {
            SectionKind k = sections.kind(i);
            if (k == SectionKind.STRUCT_OPS || k == SectionKind.ARENA) {
                String name = elf.section(i).name();
                throw new ObjectFormatException("elf: section '" + name + "' (" + k.name().toLowerCase(java.util.Locale.ROOT)
                        + ") is not supported by bpf4j yet", name, null);
            }
        }
        String license = OpenSteps.license(elf, sections);
        int kver = OpenSteps.kernelVersion(elf, sections, options.kernelVersion(), objectName);
        step(Step.CARVE_PROGRAMS, objectName);
        List<ProgramSpec> programs = OpenSteps.carvePrograms(elf, sections);
        Btf btf = elf.btf().orElse(null);
        step(Step.COLLECT_EXTERNS, objectName);
        List<Extern> externs = Externs.collect(elf, btf);
        step(Step.INIT_MAPS, objectName);
        List<MapSpec> maps = MapSpecReader.read(elf, sections, btf, objectName, externs, options.pageSize());
        step(Step.COLLECT_RELOCATIONS, objectName);
        programs = OpenSteps.collectRelocations(elf, sections, programs, maps, externs);
        step(Step.COLLECT_MAP_RELOCATIONS, objectName);
        maps = OpenSteps.mapRelocations(elf, sections, btf, programs, maps);
        maps = IndirectTables.callTableMapsAsTemplates(maps);
        return new ObjectSpec(objectName, elf, sections, license, kver, programs, maps, externs, options);
    }

    /**
     * Resolves externs: the {@code .kconfig} map's image filled from the options' Kconfig text
     * and virtual values, kernel symbols checked against the target BTF or addresses.
     *
     * @return the object with its {@code .kconfig} map's initial data filled
     * @throws RelocationException for an extern libbpf cannot resolve (libbpf's message)
     */
    public static ObjectSpec resolveExterns(ObjectSpec obj) {
        step(Step.RESOLVE_EXTERNS, obj.name());
        ExternResolver.Resolved r = ExternResolver.resolve(obj.externs(), Externs.kconfigSize(obj.externs()), obj.options());
        List<MapSpec> maps = new ArrayList<>(obj.maps());
        for (int i = 0; i < maps.size(); i++) {
            if (maps.get(i).kind() == MapSpec.Kind.KCONFIG) {
                maps.set(i, maps.get(i).withInitialData(r.kconfig));
            }
        }
        return obj.withMaps(maps);
    }

    /**
     * CO-RE: every {@code .BTF.ext} core_relo record applied to its own program or subprogram
     * against {@code target}, before any code is appended ({@code bpf_object__relocate_core}).
     * Run it before {@link #relocate}; an object without CO-RE records comes back unchanged.
     *
     * @throws io.bpf4j.relocator.core.CoreRelocationException for a relocation libbpf refuses
     */
    public static CoreRelocatedObject relocateCore(ObjectSpec obj, io.bpf4j.relocator.core.CoreTarget target) {
        return CoreStep.apply(obj, target);
    }

    /**
     * Relocates one entry program: subprograms appended in libbpf's order, every relocation
     * applied, func_info and line_info rebased.
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

    /** Relocates every entry program whose autoload is set, in object order. */
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
