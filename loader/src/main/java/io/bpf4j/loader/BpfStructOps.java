package io.bpf4j.loader;

import io.bpf4j.elf.spec.MapSpec;
import io.bpf4j.elf.spec.StructOpsSpec;
import io.bpf4j.relocator.StructOpsKernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A struct_ops map of an object ({@code BPF_MAP_TYPE_STRUCT_OPS}): a variable of a kernel
 * struct type in {@code .struct_ops} or {@code .struct_ops.link} whose function-pointer
 * members are programs. Before load its members can be changed, as libbpf users change the
 * skeleton's shadow variable: a data member's bytes ({@link #setData}) or the program a
 * function pointer names ({@link #setProgram}). At load the map is matched against the target
 * kernel's BTF as libbpf does ({@code struct_ops init_kern}), which fixes the value the kernel
 * would get ({@link #kernelValue}) and each program's attach point.
 *
 * <p>A live view: it reads the object each time.
 */
public final class BpfStructOps {
    private final BpfObject object;
    private final String name;

    BpfStructOps(BpfObject object, String name) {
        this.object = object;
        this.name = name;
    }

    /**
     * One member of the struct.
     *
     * @param name     the member's name
     * @param index    its index in the object's struct type
     * @param offset   its byte offset in the object's struct type
     * @param size     its size in bytes
     * @param program  for a function pointer: the program it is set to, if any; else empty
     * @param data     for a data member: its bytes (object byte order); null for a function pointer
     */
    public record Member(String name, int index, long offset, long size, Optional<String> program, byte[] data) {
        /** Copies {@code data}, so the view stays immutable. */
        public Member {
            data = data == null ? null : data.clone();
        }

        /** Whether the member is a function pointer (a program slot). */
        public boolean functionPointer() {
            return data == null;
        }

        /** A copy of the data member's bytes; null for a function pointer. */
        @Override
        public byte[] data() {
            return data == null ? null : data.clone();
        }
    }

    /** The map's name (the variable's name). */
    public String name() {
        return name;
    }

    /** The struct type's name in the object ({@code tcp_congestion_ops}). */
    public String typeName() {
        return object.structOpsSpec(name).typeName();
    }

    /** The section that declares it ({@code .struct_ops}, {@code .struct_ops.link}, {@code ?} forms). */
    public String sectionName() {
        return object.structOpsSpec(name).sectionName();
    }

    /** Whether the map is created with {@code BPF_F_LINK} (declared in {@code .struct_ops.link}). */
    public boolean link() {
        return object.structOpsSpec(name).link();
    }

    /** Whether load creates it (false for the {@code ?} forms). */
    public boolean autocreate() {
        return object.mapSpecOf(name).autocreate();
    }

    /** {@code map_flags} as libbpf creates the map. */
    public int flags() {
        return object.mapSpecOf(name).flags();
    }

    /** The map's value size: the object's struct size before load, the kernel wrapper's after. */
    public int valueSize() {
        return kernel().map(StructOpsKernel.KernelStructOps::valueSize).orElse(object.mapSpecOf(name).valueSize());
    }

    /** The struct type's id in the object's BTF ({@code btf_value_type_id} libbpf reports after open). */
    public int btfValueTypeId() {
        return object.structOpsSpec(name).typeId();
    }

    /** The members, in the object's struct order, with their current programs or data. */
    public List<Member> members() {
        StructOpsSpec st = object.structOpsSpec(name);
        byte[] image = object.mapSpecOf(name).initialData();
        List<Member> out = new ArrayList<>();
        for (StructOpsSpec.Member m : st.members()) {
            byte[] data = m.functionPointer() ? null
                    : Arrays.copyOfRange(image, (int) m.offset(), (int) Math.min(image.length, m.offset() + m.size()));
            out.add(new Member(m.name(), m.index(), m.offset(), m.size(), st.program(m.index()), data));
        }
        return out;
    }

    /** The member with this name. */
    public Optional<Member> member(String memberName) {
        return members().stream().filter(m -> m.name().equals(memberName)).findFirst();
    }

    /**
     * Sets a function-pointer member to another struct_ops program, or clears it ({@code null});
     * a program no longer set anywhere is not loaded (libbpf's rule). Before load only.
     *
     * @throws IllegalArgumentException for an unknown member, a data member or a program that
     *                                  is not a struct_ops program
     * @throws ObjectStateException     after load
     */
    public void setProgram(String member, String program) {
        object.setStructOpsProgram(name, member, program);
    }

    /**
     * Sets a data member's bytes (object byte order, exactly the member's size). Before load only.
     *
     * @throws IllegalArgumentException for an unknown member, a function pointer or a wrong size
     * @throws ObjectStateException     after load
     */
    public void setData(String member, byte[] value) {
        object.setStructOpsData(name, member, value.clone());
    }

    /** After load: the kernel struct's BTF type id, the programs' {@code attach_btf_id}. */
    public OptionalInt kernelTypeId() {
        return kernel().map(k -> OptionalInt.of(k.kernelTypeId())).orElse(OptionalInt.empty());
    }

    /** After load: the kernel wrapper's BTF type id, the map's {@code btf_vmlinux_value_type_id}. */
    public OptionalInt kernelValueTypeId() {
        return kernel().map(k -> OptionalInt.of(k.kernelValueTypeId())).orElse(OptionalInt.empty());
    }

    /**
     * After load: the value libbpf hands the kernel ({@code bpf_struct_ops_<name>}), program slots
     * zero (libbpf writes the programs' fds there).
     */
    public Optional<byte[]> kernelValue() {
        return kernel().map(StructOpsKernel.KernelStructOps::value);
    }

    /** After load: the byte offset in {@link #kernelValue} of each program slot, to its program. */
    public Map<Long, String> kernelProgramSlots() {
        return kernel().map(StructOpsKernel.KernelStructOps::programSlots).orElse(Map.of());
    }

    /**
     * After load: what a struct_ops program is attached to, as libbpf passes it to
     * {@code BPF_PROG_LOAD}: {@code [attach_btf_id, expected_attach_type]} (the kernel struct's
     * type id and the member's index in it).
     */
    public static Optional<int[]> attachOf(BpfObject object, String program) {
        return object.structOpsAttach(program).map(a -> new int[] {a.attachBtfId(), a.expectedAttachType()});
    }

    private Optional<StructOpsKernel.KernelStructOps> kernel() {
        return object.structOpsKernel(name);
    }

    /** The map's name, struct type and map flags, for logs and debuggers. */
    @Override
    public String toString() {
        MapSpec m = object.mapSpecOf(name);
        return "BpfStructOps[" + name + " struct " + typeName() + " flags 0x" + Integer.toHexString(m.flags()) + "]";
    }
}
