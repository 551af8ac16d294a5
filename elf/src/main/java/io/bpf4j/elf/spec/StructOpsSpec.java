package io.bpf4j.elf.spec;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A struct_ops map as the object declares it: a variable in {@code .struct_ops},
 * {@code .struct_ops.link} or their {@code ?} forms, typed by a struct of the object's BTF
 * (libbpf's {@code init_struct_ops_maps} and {@code bpf_object__collect_st_ops_relos}).
 * Immutable; the map itself is the {@link MapSpec} of the same name.
 *
 * @param mapName     the map name (the variable's name)
 * @param sectionName the section, {@code ?} included
 * @param typeId      the struct's type id in the object's BTF
 * @param typeName    the struct's name ({@code tcp_congestion_ops}); the kernel's value type is
 *                    {@code bpf_struct_ops_<name>}
 * @param members     the struct's members in BTF order
 * @param programs    member index to the name of the program its function pointer is set to
 *                    (from the {@code .rel.struct_ops*} relocations); members not listed are null
 */
public record StructOpsSpec(String mapName, String sectionName, int typeId, String typeName, List<Member> members,
                            Map<Integer, String> programs) {

    /**
     * One member of the struct.
     *
     * @param index           its index in the struct
     * @param name            its name
     * @param offset          its byte offset in the struct
     * @param size            its size in bytes
     * @param typeId          its type id in the object's BTF
     * @param functionPointer whether it is a pointer to a function prototype (a program slot)
     */
    public record Member(int index, String name, long offset, long size, int typeId, boolean functionPointer) {}

    public StructOpsSpec {
        Objects.requireNonNull(mapName, "mapName");
        members = List.copyOf(members);
        programs = Collections.unmodifiableMap(new TreeMap<>(programs));
    }

    /** Whether the section is a {@code .link} one (the map is created with {@code BPF_F_LINK}). */
    public boolean link() {
        return sectionName.endsWith(".link");
    }

    /** The program member {@code index} is set to, if any. */
    public Optional<String> program(int index) {
        return Optional.ofNullable(programs.get(index));
    }

    /** The member with this name. */
    public Optional<Member> member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** A copy with member {@code index} set to {@code program} (null: no program). */
    public StructOpsSpec withProgram(int index, String program) {
        Map<Integer, String> copy = new TreeMap<>(programs);
        if (program == null) {
            copy.remove(index);
        } else {
            copy.put(index, program);
        }
        return new StructOpsSpec(mapName, sectionName, typeId, typeName, members, copy);
    }
}
