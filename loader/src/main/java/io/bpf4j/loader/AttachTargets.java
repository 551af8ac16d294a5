package io.bpf4j.loader;

import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfKind;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.isa.abi.AttachType;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.relocator.ObjectSpec;
import io.bpf4j.relocator.RelocatedProgram;
import io.bpf4j.relocator.StructOpsKernel;
import io.bpf4j.relocator.core.CoreTarget;
import io.bpf4j.verifier.AttachTarget;
import java.util.Optional;

/**
 * What a BTF-attached program attaches to, found in the target kernel's BTF as libbpf and the
 * kernel's {@code bpf_check_attach_target} find it: fentry/fexit/fmod_ret the FUNC named in the
 * section, tp_btf the {@code btf_trace_<name>} typedef, LSM the {@code bpf_lsm_<hook>} FUNC,
 * struct_ops the member of the kernel struct the program is bound to. Empty when the target is
 * not in that BTF (libbpf fails such a load before the kernel sees it).
 */
final class AttachTargets {
    private AttachTargets() {
    }

    /** The target and the BTF it lives in, or empty. */
    record Resolved(AttachTarget target, Btf btf) {}

    static Optional<Resolved> of(ObjectSpec obj, RelocatedProgram rp) {
        ProgramType t = rp.programType();
        if (t != ProgramType.TRACING && t != ProgramType.LSM && t != ProgramType.STRUCT_OPS) {
            return Optional.empty();
        }
        try {
            if (t == ProgramType.STRUCT_OPS) {
                return structOps(obj, rp);
            }
            Btf btf = obj.options().target().orElseGet(HostCoreTarget::kernelBtf);
            String name = rp.attachTarget();
            if (btf == null || name == null || name.isEmpty() || name.contains(":")) {
                return Optional.empty();
            }
            AttachType at = AttachType.ofId(rp.expectedAttachTypeId());
            if (at == AttachType.TRACE_RAW_TP) {
                Optional<BtfType> td = btf.findByName("btf_trace_" + name, BtfKind.TYPEDEF);
                if (td.isEmpty() || !(btf.type(((BtfType.Typedef) td.get()).type()) instanceof BtfType.Ptr p)
                        || !(btf.type(p.type()) instanceof BtfType.FuncProto proto)) {
                    return Optional.empty();
                }
                return Optional.of(new Resolved(new AttachTarget(name, td.get().id(), proto.id(), true, rp.sleepable()), btf));
            }
            // libbpf finds an iterator's target as the FUNC bpf_iter_<name>
            String func = t == ProgramType.LSM ? "bpf_lsm_" + name
                    : at == AttachType.TRACE_ITER ? "bpf_iter_" + name : name;
            Optional<BtfType> f = btf.findByName(func, BtfKind.FUNC);
            if (f.isEmpty()) {
                return Optional.empty();
            }
            int proto = ((BtfType.Func) f.get()).type();
            return Optional.of(new Resolved(new AttachTarget(func, f.get().id(), proto, false, rp.sleepable()), btf));
        } catch (RuntimeException e) {
            // a target BTF bpf4j cannot read leaves the program to the "not supported yet" rejection
            return Optional.empty();
        }
    }

    private static Optional<Resolved> unboundMember(ObjectSpec obj, RelocatedProgram rp, Btf btf) {
        for (io.bpf4j.elf.spec.StructOpsSpec st : obj.structOps()) {
            for (io.bpf4j.elf.spec.StructOpsSpec.Member m : st.members()) {
                if (!rp.name().equals(st.program(m.index()).orElse(null))) {
                    continue;
                }
                Optional<BtfType> kt = btf.findByName(st.typeName(), BtfKind.STRUCT);
                if (kt.isEmpty()) {
                    return Optional.empty();
                }
                BtfType.Struct s = (BtfType.Struct) kt.get();
                for (BtfType.Member km : s.members()) {
                    if (km.name().equals(m.name()) && btf.resolve(km.type()) instanceof BtfType.Ptr p
                            && btf.resolve(p.type()) instanceof BtfType.FuncProto proto) {
                        return Optional.of(new Resolved(new AttachTarget(km.name(), s.id(), proto.id(), false,
                                rp.sleepable()), btf));
                    }
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<Resolved> structOps(ObjectSpec obj, RelocatedProgram rp) {
        CoreTarget target = HostCoreTarget.structOpsTarget(obj);
        if (target == null) {
            return Optional.empty();
        }
        StructOpsKernel.Result r = StructOpsKernel.initKern(obj, target);
        StructOpsKernel.ProgramAttach a = r.programs().get(rp.name());
        if (a == null) {
            // a program of a map that is not created: libbpf still gives it the member it is
            // bound to (at open), by the member's name in the kernel struct of vmlinux
            return unboundMember(obj, rp, target.vmlinux());
        }
        String module = null;
        for (StructOpsKernel.KernelStructOps k : r.maps().values()) {
            if (k.kernelTypeId() == a.attachBtfId()) {
                module = k.module();
            }
        }
        Btf btf = module == null || module.isEmpty() ? target.vmlinux() : target.modules().get(module);
        if (btf == null || !(btf.type(a.attachBtfId()) instanceof BtfType.Struct s)
                || a.expectedAttachType() < 0 || a.expectedAttachType() >= s.members().size()) {
            return Optional.empty();
        }
        BtfType.Member m = s.members().get(a.expectedAttachType());
        if (!(btf.resolve(m.type()) instanceof BtfType.Ptr p) || !(btf.resolve(p.type()) instanceof BtfType.FuncProto proto)) {
            return Optional.empty();
        }
        return Optional.of(new Resolved(new AttachTarget(m.name(), a.attachBtfId(), proto.id(), false, rp.sleepable()), btf));
    }
}
