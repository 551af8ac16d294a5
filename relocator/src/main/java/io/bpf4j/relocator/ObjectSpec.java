package io.bpf4j.relocator;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfExt;
import io.bpf4j.elf.spec.Extern;
import io.bpf4j.elf.spec.MapSpec;
import io.bpf4j.elf.spec.ObjectSections;
import io.bpf4j.elf.spec.StructOpsSpec;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An opened object: programs carved and their relocations collected and classified, maps
 * declared, externs known, nothing applied yet (libbpf's state after {@code bpf_object__open}).
 * Immutable; {@code withX} methods return changed copies.
 */
public final class ObjectSpec {
    private final String name;
    private final ElfObject elf;
    private final ObjectSections sections;
    private final String license;
    private final int kernelVersion;
    private final List<ProgramSpec> programs;
    private final List<MapSpec> maps;
    private final List<Extern> externs;
    private final RelocatorOptions options;
    private final List<StructOpsSpec> structOps;

    ObjectSpec(String name, ElfObject elf, ObjectSections sections, String license, int kernelVersion,
               List<ProgramSpec> programs, List<MapSpec> maps, List<Extern> externs, RelocatorOptions options) {
        this(name, elf, sections, license, kernelVersion, programs, maps, externs, options, List.of());
    }

    ObjectSpec(String name, ElfObject elf, ObjectSections sections, String license, int kernelVersion,
               List<ProgramSpec> programs, List<MapSpec> maps, List<Extern> externs, RelocatorOptions options,
               List<StructOpsSpec> structOps) {
        this.name = name;
        this.elf = elf;
        this.sections = sections;
        this.license = license;
        this.kernelVersion = kernelVersion;
        this.programs = List.copyOf(programs);
        this.maps = List.copyOf(maps);
        this.externs = List.copyOf(externs);
        this.options = options;
        this.structOps = List.copyOf(structOps);
    }

    /** The object name (prefix of its data map names). */
    public String name() {
        return name;
    }

    /** The ELF object this was read from. */
    public ElfObject elf() {
        return elf;
    }

    /** The object's byte order; instructions are held in host form either way. */
    public ByteOrder byteOrder() {
        return elf.byteOrder();
    }

    /** The license string from the {@code license} section ("" when absent). */
    public String license() {
        return license;
    }

    /** {@code kern_version}: the {@code version} section, else the options' kernel version. */
    public int kernelVersion() {
        return kernelVersion;
    }

    /** Every program and subprogram, sorted by (section index, offset) as libbpf sorts them. */
    public List<ProgramSpec> allPrograms() {
        return programs;
    }

    /** The entry programs (not in {@code .text}), in libbpf's order. */
    public List<ProgramSpec> programs() {
        List<ProgramSpec> out = new ArrayList<>();
        for (ProgramSpec p : programs) {
            if (!p.subprogram()) {
                out.add(p);
            }
        }
        return out;
    }

    /** The entry program with this name (subprograms are not found, as in libbpf). */
    public Optional<ProgramSpec> program(String programName) {
        for (ProgramSpec p : programs) {
            if (!p.subprogram() && p.name().equals(programName)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The maps in libbpf's order; relocated instructions refer to them by index in this list. */
    public List<MapSpec> maps() {
        return maps;
    }

    /** The map with this name. */
    public Optional<MapSpec> map(String mapName) {
        int i = mapIndex(mapName);
        return i < 0 ? Optional.empty() : Optional.of(maps.get(i));
    }

    /** The index of the map with this name, or -1. */
    public int mapIndex(String mapName) {
        for (int i = 0; i < maps.size(); i++) {
            if (maps.get(i).name().equals(mapName)) {
                return i;
            }
        }
        return -1;
    }

    /** The externs in libbpf's order (extern relocations refer to them by index). */
    public List<Extern> externs() {
        return externs;
    }

    /** The object's BTF, if it has one. */
    public Optional<Btf> btf() {
        return elf.btf();
    }

    /** The object's BTF.ext, if it has one. */
    public Optional<BtfExt> btfExt() {
        return elf.btfExt();
    }

    /** What libbpf makes of each section. */
    public ObjectSections sections() {
        return sections;
    }

    /**
     * The struct_ops maps' declarations, in map order: the struct type, its members and the
     * program each function-pointer member is set to (each has a {@link MapSpec} of the same name).
     */
    public List<StructOpsSpec> structOps() {
        return structOps;
    }

    /** The struct_ops declaration of map {@code mapName}. */
    public Optional<StructOpsSpec> structOps(String mapName) {
        return structOps.stream().filter(s -> s.mapName().equals(mapName)).findFirst();
    }

    /**
     * A copy with a struct_ops declaration replaced (libbpf's shadow-variable use: a member set
     * to another program before load).
     */
    public ObjectSpec withStructOps(StructOpsSpec changed) {
        List<StructOpsSpec> copy = new ArrayList<>(structOps);
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i).mapName().equals(changed.mapName())) {
                copy.set(i, changed);
                return new ObjectSpec(name, elf, sections, license, kernelVersion, programs, maps, externs, options, copy);
            }
        }
        throw new IllegalArgumentException("no struct_ops map '" + changed.mapName() + "'");
    }

    /** The options the object was opened with. */
    public RelocatorOptions options() {
        return options;
    }

    /** A copy with the entry program {@code programName} replaced. */
    public ObjectSpec withProgram(ProgramSpec program) {
        List<ProgramSpec> copy = new ArrayList<>(programs);
        for (int i = 0; i < copy.size(); i++) {
            if (!copy.get(i).subprogram() && copy.get(i).name().equals(program.name())) {
                copy.set(i, program);
                return new ObjectSpec(name, elf, sections, license, kernelVersion, copy, maps, externs, options, structOps);
            }
        }
        throw new IllegalArgumentException("no program '" + program.name() + "'");
    }

    /** A copy with map {@code index} replaced. */
    public ObjectSpec withMap(int index, MapSpec map) {
        List<MapSpec> copy = new ArrayList<>(maps);
        copy.set(index, map);
        return new ObjectSpec(name, elf, sections, license, kernelVersion, programs, copy, externs, options, structOps);
    }

    /**
     * A copy with other host facts, for those a loader gathers after open because they depend
     * on what the object declares (the addresses of its typeless ksyms).
     */
    public ObjectSpec withOptions(RelocatorOptions newOptions) {
        return new ObjectSpec(name, elf, sections, license, kernelVersion, programs, maps, externs, newOptions, structOps);
    }

    ObjectSpec withMaps(List<MapSpec> newMaps) {
        return new ObjectSpec(name, elf, sections, license, kernelVersion, programs, newMaps, externs, options, structOps);
    }

    @Override
    public String toString() {
        return "ObjectSpec[" + name + ", " + programs().size() + " programs, " + maps.size() + " maps]";
    }
}
