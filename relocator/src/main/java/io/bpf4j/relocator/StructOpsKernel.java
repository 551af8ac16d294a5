package io.bpf4j.relocator;

import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfKind;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.elf.spec.MapSpec;
import io.bpf4j.elf.spec.StructOpsSpec;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.relocator.core.CoreTarget;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * libbpf's {@code bpf_map__init_kern_struct_ops} and {@code bpf_object_adjust_struct_ops_autoload}:
 * each created struct_ops map matched against the target kernel's BTF (its struct
 * {@code <name>} and the value wrapper {@code bpf_struct_ops_<name>}), members by name, data
 * members copied into the kernel's layout, and each program given the kernel struct's type id
 * as {@code attach_btf_id} and its member index as {@code expected_attach_type}. Pure: the
 * kernel BTF is passed in.
 */
public final class StructOpsKernel {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StructOpsKernel.class);
    private static final String VALUE_PREFIX = "bpf_struct_ops_";

    private StructOpsKernel() {}

    /**
     * One struct_ops map in the kernel's layout.
     *
     * @param mapName           the map
     * @param kernelTypeId      the kernel struct's type id ({@code tcp_congestion_ops})
     * @param kernelValueTypeId the wrapper's type id ({@code bpf_struct_ops_tcp_congestion_ops}),
     *                          the map's {@code btf_vmlinux_value_type_id}
     * @param module            the kernel module whose BTF has the types, or null for vmlinux
     * @param value             the value image libbpf hands the kernel, program slots zero
     * @param programSlots      byte offset in {@link #value} of each program slot, to the program
     *                          whose fd goes there
     */
    public record KernelStructOps(String mapName, int kernelTypeId, int kernelValueTypeId, String module, byte[] value,
                                  Map<Long, String> programSlots) {
        public KernelStructOps {
            value = value.clone();
            programSlots = Collections.unmodifiableMap(new TreeMap<>(programSlots));
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        /** The map's value size in the kernel (the wrapper's size). */
        public int valueSize() {
            return value.length;
        }
    }

    /**
     * What a struct_ops program is attached to.
     *
     * @param attachBtfId        the kernel struct's type id
     * @param expectedAttachType the member's index in the kernel struct
     */
    public record ProgramAttach(int attachBtfId, int expectedAttachType) {}

    /**
     * The result of the step.
     *
     * @param object   the object with struct_ops programs' autoload adjusted and members the
     *                 kernel lacks (zero) unbound
     * @param maps     each created struct_ops map in the kernel's layout, by map name
     * @param programs each struct_ops program of a created map, by program name
     */
    public record Result(ObjectSpec object, Map<String, KernelStructOps> maps, Map<String, ProgramAttach> programs) {
        public Result {
            maps = Collections.unmodifiableMap(new LinkedHashMap<>(maps));
            programs = Collections.unmodifiableMap(new LinkedHashMap<>(programs));
        }
    }

    /**
     * Runs the step over every autocreated struct_ops map of {@code obj}.
     *
     * @param target the target kernel's BTF (vmlinux and modules); may be null when the object
     *               has no struct_ops map
     * @throws RelocationException with libbpf's {@code struct_ops init_kern ...} message
     */
    public static Result initKern(ObjectSpec obj, CoreTarget target) {
        Map<String, KernelStructOps> maps = new LinkedHashMap<>();
        Map<String, ProgramAttach> attach = new LinkedHashMap<>();
        Map<String, Boolean> autoloadOff = new LinkedHashMap<>();
        ObjectSpec out = obj;
        Btf local = obj.btf().orElse(null);
        for (StructOpsSpec st : obj.structOps()) {
            MapSpec map = obj.map(st.mapName()).orElseThrow();
            if (!map.autocreate()) {
                continue;
            }
            if (target == null) {
                throw new RelocationException("struct_ops init_kern: struct " + VALUE_PREFIX + essential(st.typeName())
                        + " is not found in kernel BTF", null, -1, -1, st.mapName());
            }
            StructOpsSpec bound = st;
            Kern k = findKernTypes(target, st.typeName());
            byte[] data = map.initialData();
            byte[] vdata = new byte[(int) k.vtype.size()];
            long kernDataOff = k.dataMember.bitOffset() / 8;
            Map<Long, String> slots = new TreeMap<>();
            for (StructOpsSpec.Member m : st.members()) {
                String mname = m.name();
                int kernIdx = -1;
                List<BtfType.Member> km = k.type.members();
                for (int i = 0; i < km.size(); i++) {
                    if (km.get(i).name().equals(mname)) {
                        kernIdx = i;
                        break;
                    }
                }
                String prog = bound.program(m.index()).orElse(null);
                if (kernIdx < 0) {
                    if (!zero(data, m.offset(), m.size())) {
                        throw new RelocationException("struct_ops init_kern " + st.mapName() + ": Cannot find member " + mname
                                + " in kernel BTF", null, -1, -1, st.mapName());
                    }
                    if (prog != null) {
                        // libbpf: a program set to a member the kernel lacks is not loaded for this map
                        autoloadOff.put(prog, true);
                        bound = bound.withProgram(m.index(), null);
                    }
                    LOG.info("struct_ops {}: member {} not found in kernel, skipping it as it's set to zero", st.mapName(), mname);
                    continue;
                }
                BtfType.Member kmem = km.get(kernIdx);
                BtfType.Member lmem = ((BtfType.Struct) local.type(st.typeId())).members().get(m.index());
                if (lmem.bitfieldSize() != 0 || kmem.bitfieldSize() != 0) {
                    throw new RelocationException("struct_ops init_kern " + st.mapName() + ": bitfield " + mname
                            + " is not supported", null, -1, -1, st.mapName());
                }
                long kernMoff = kmem.bitOffset() / 8;
                BtfType mtype = local.resolve(m.typeId());
                BtfType kmtype = k.btf.resolve(kmem.type());
                if (mtype.kind() != kmtype.kind()) {
                    throw new RelocationException("struct_ops init_kern " + st.mapName() + ": Unmatched member type " + mname + " "
                            + mtype.kind().number() + " != " + kmtype.kind().number() + "(kernel)", null, -1, -1, st.mapName());
                }
                if (mtype instanceof BtfType.Ptr) {
                    if (prog == null) {
                        continue;
                    }
                    ProgramSpec p = obj.program(prog).orElse(null);
                    if (p == null || p.section().programType() != ProgramType.STRUCT_OPS) {
                        throw new RelocationException("struct_ops init_kern " + st.mapName() + ": member " + mname
                                + " is not a struct_ops program", null, -1, -1, st.mapName());
                    }
                    BtfType target2 = k.btf.resolve(((BtfType.Ptr) kmtype).type());
                    if (!(target2 instanceof BtfType.FuncProto)) {
                        throw new RelocationException("struct_ops init_kern " + st.mapName() + ": kernel member " + mname
                                + " is not a func ptr", null, -1, -1, st.mapName());
                    }
                    ProgramAttach have = attach.get(prog);
                    if (have == null) {
                        have = new ProgramAttach(k.typeId, kernIdx);
                        attach.put(prog, have);
                    }
                    if (have.attachBtfId() != k.typeId) {
                        throw new RelocationException("struct_ops init_kern " + st.mapName() + " func ptr " + mname
                                + ": invalid reuse of prog " + prog + " in sec " + p.section().name() + " with type "
                                + ProgramType.STRUCT_OPS.id() + ": attach_btf_id " + have.attachBtfId() + " != kern_type_id "
                                + k.typeId, prog, -1, -1, st.mapName());
                    }
                    if (have.expectedAttachType() != kernIdx) {
                        throw new RelocationException("struct_ops init_kern " + st.mapName() + " func ptr " + mname
                                + ": invalid reuse of prog " + prog + " in sec " + p.section().name() + " with type "
                                + ProgramType.STRUCT_OPS.id() + ": expected_attach_type " + have.expectedAttachType()
                                + " != kern_member_idx " + kernIdx, prog, -1, -1, st.mapName());
                    }
                    slots.put(kernDataOff + kernMoff, prog);
                    continue;
                }
                long kernSize;
                try {
                    kernSize = k.btf.sizeOf(kmem.type());
                } catch (RuntimeException e) {
                    kernSize = -1;
                }
                if (kernSize < 0 || m.size() != kernSize) {
                    throw new RelocationException("struct_ops init_kern " + st.mapName() + ": Error in size of member " + mname
                            + ": " + m.size() + " != " + kernSize + "(kernel)", null, -1, -1, st.mapName());
                }
                System.arraycopy(data, (int) m.offset(), vdata, (int) (kernDataOff + kernMoff), (int) m.size());
            }
            if (bound != st) {
                out = out.withStructOps(bound);
            }
            maps.put(st.mapName(), new KernelStructOps(st.mapName(), k.typeId, k.vtypeId, k.module, vdata, slots));
        }
        out = adjustAutoload(out, autoloadOff);
        return new Result(out, maps, attach);
    }

    /**
     * {@code bpf_object_adjust_struct_ops_autoload}: a struct_ops program referenced by some
     * struct_ops map is loaded exactly when one of those maps is created; programs no map
     * references keep their autoload (libbpf then refuses to load them: "isn't referenced anywhere").
     */
    static ObjectSpec adjustAutoload(ObjectSpec obj, Map<String, Boolean> forcedOff) {
        ObjectSpec out = obj;
        for (ProgramSpec p : obj.programs()) {
            boolean autoload = p.autoload() && !forcedOff.containsKey(p.name());
            if (p.section().programType() == ProgramType.STRUCT_OPS) {
                int uses = 0;
                boolean load = false;
                for (StructOpsSpec st : obj.structOps()) {
                    for (String bound : st.programs().values()) {
                        if (bound.equals(p.name())) {
                            uses++;
                            load |= obj.map(st.mapName()).map(MapSpec::autocreate).orElse(false);
                        }
                    }
                }
                if (uses > 0) {
                    autoload = load;
                }
            }
            if (autoload != p.autoload()) {
                out = out.withProgram(p.withAutoload(autoload));
            }
        }
        return out;
    }

    private record Kern(Btf btf, String module, BtfType.Struct type, int typeId, BtfType.Struct vtype, int vtypeId,
                        BtfType.Member dataMember) {}

    private static String essential(String name) {
        int i = name.indexOf("___");
        return i > 0 ? name.substring(0, i) : name;
    }

    private static Kern findKernTypes(CoreTarget target, String rawName) {
        String tname = essential(rawName);
        String stname = VALUE_PREFIX + tname;
        Btf btf = null;
        String module = null;
        BtfType vt = target.vmlinux().findByName(stname, BtfKind.STRUCT).orElse(null);
        if (vt != null) {
            btf = target.vmlinux();
        } else {
            for (Map.Entry<String, Btf> e : target.modules().entrySet()) {
                vt = firstOwn(e.getValue(), stname);
                if (vt != null) {
                    btf = e.getValue();
                    module = e.getKey();
                    break;
                }
            }
        }
        if (vt == null) {
            throw new RelocationException("struct_ops init_kern: struct " + stname + " is not found in kernel BTF", null, -1, -1,
                    rawName);
        }
        BtfType t = btf.findByName(tname, BtfKind.STRUCT).orElse(null);
        if (t == null) {
            throw new RelocationException("struct_ops init_kern: struct " + tname + " is not found in kernel BTF", null, -1, -1,
                    rawName);
        }
        BtfType.Struct vs = (BtfType.Struct) vt;
        for (BtfType.Member m : vs.members()) {
            if (m.type() == t.id()) {
                return new Kern(btf, module, (BtfType.Struct) t, t.id(), vs, vs.id(), m);
            }
        }
        throw new RelocationException("struct_ops init_kern: struct " + tname + " data is not found in struct " + stname, null, -1,
                -1, rawName);
    }

    private static BtfType firstOwn(Btf split, String name) {
        for (int id : split.findByName(name)) {
            if (id >= split.firstTypeId() && split.type(id).kind() == BtfKind.STRUCT) {
                return split.type(id);
            }
        }
        return null;
    }

    private static boolean zero(byte[] data, long off, long size) {
        for (long i = off; i < off + size && i < data.length; i++) {
            if (data[(int) i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Names of every program some struct_ops map references, for front ends. */
    public static List<String> referencedPrograms(ObjectSpec obj) {
        List<String> out = new ArrayList<>();
        for (StructOpsSpec st : obj.structOps()) {
            for (String p : st.programs().values()) {
                if (!out.contains(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }
}
