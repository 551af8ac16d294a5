package io.bpf4j.loader;

import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.verifier.FuncSignature;
import java.util.ArrayList;
import java.util.List;

/**
 * A global function's BTF prototype in the verifier's terms, read the way the kernel's
 * {@code btf_prepare_func_args} reads it: integers and enums are any scalar, a pointer to the
 * program type's context struct (or an {@code arg:ctx} tagged pointer) is the context, any other
 * pointer to a sized type is memory of that size that may be NULL unless tagged
 * {@code arg:nonnull}; an {@code arg:trusted} pointer (optionally {@code arg:nullable}) is a
 * trusted pointer to the kernel struct of the pointee's name, its CO-RE flavor suffix
 * ({@code ___local}) dropped. Whatever else the kernel accepts (dynptrs, {@code arg:arena}) is
 * marked unsupported rather than guessed; a void return is a non-scalar
 * return, which the verifier refuses for globals and for subprograms holding LD_ABS or tail calls.
 */
final class FuncSignatures {
    private FuncSignatures() {
    }

    /** The prototype of the FUNC {@code funcTypeId}, or null when BTF does not describe one. */
    static FuncSignature of(Btf btf, int funcTypeId, ProgramType type) {
        if (btf == null || funcTypeId <= 0 || funcTypeId >= btf.typeCount()
                || !(btf.type(funcTypeId) instanceof BtfType.Func f)
                || !(btf.type(f.type()) instanceof BtfType.FuncProto proto)) {
            return null;
        }
        BtfType ret = proto.returnType() == 0 ? null : btf.resolve(proto.returnType());
        // void (type 0) is not a scalar return
        boolean scalar = ret instanceof BtfType.Int || ret instanceof BtfType.Enumeration;
        List<FuncSignature.Arg> args = new ArrayList<>();
        for (int i = 0; i < proto.params().size(); i++) {
            args.add(arg(btf, funcTypeId, i, proto.params().get(i).type(), type));
        }
        return new FuncSignature(scalar, args);
    }

    private static FuncSignature.Arg arg(Btf btf, int funcId, int index, int typeId, ProgramType type) {
        List<String> tags = new ArrayList<>();
        for (BtfType t : btf.types()) {
            if (t instanceof BtfType.DeclTag d && d.type() == funcId && d.componentIndex() == index
                    && d.name().startsWith("arg:")) {
                tags.add(d.name().substring(4));
            }
        }
        BtfType t = btf.resolve(typeId);
        if (!(t instanceof BtfType.Ptr p)) {
            if (!tags.isEmpty()) {
                return FuncSignature.Arg.unsupported("arg#" + index + " tagged " + tags + " on a non-pointer");
            }
            return t instanceof BtfType.Int || t instanceof BtfType.Enumeration ? FuncSignature.Arg.scalar()
                    : FuncSignature.Arg.unsupported("arg#" + index + " of BTF kind " + t.getClass().getSimpleName());
        }
        if (tags.equals(List.of("ctx")) || tags.isEmpty() && isCtx(btf, p.type(), type)) {
            return FuncSignature.Arg.ctx();
        }
        if (tags.contains("trusted")) {
            return trusted(btf, index, p, tags);
        }
        for (String tag : tags) {
            if (!tag.equals("nonnull")) {
                return FuncSignature.Arg.unsupported("arg#" + index + " tagged arg:" + tag);
            }
        }
        BtfType pointee = btf.resolve(p.type());
        if (pointee instanceof BtfType.Struct s && "bpf_dynptr".equals(s.name())) {
            return FuncSignature.Arg.unsupported("arg#" + index + " (dynptr)");
        }
        if (pointee instanceof BtfType.Void || pointee instanceof BtfType.Fwd || pointee instanceof BtfType.FuncProto) {
            return FuncSignature.Arg.unsupported("arg#" + index + " (pointer to a type without a size)");
        }
        long size;
        try {
            size = btf.sizeOf(p.type());
        } catch (RuntimeException e) {
            return FuncSignature.Arg.unsupported("arg#" + index + " (pointee size)");
        }
        if (size <= 0 || size > Integer.MAX_VALUE) {
            return FuncSignature.Arg.unsupported("arg#" + index + " (pointee size " + size + ")");
        }
        return FuncSignature.Arg.mem((int) size, !tags.contains("nonnull"));
    }

    /**
     * btf_prepare_func_args for {@code arg:trusted}: only {@code arg:nullable} may go with it, and
     * the pointee must be a named struct (btf_get_ptr_to_btf_id); whether the kernel has that struct
     * is the verifier's question, it has the kernel BTF.
     */
    private static FuncSignature.Arg trusted(Btf btf, int index, BtfType.Ptr p, List<String> tags) {
        for (String tag : tags) {
            if (!tag.equals("trusted") && !tag.equals("nullable")) {
                return FuncSignature.Arg.unsupported("arg#" + index + " tagged " + tags);
            }
        }
        BtfType pointee = btf.resolve(p.type());
        if (!(pointee instanceof BtfType.Struct s) || s.name() == null || s.name().isEmpty()) {
            return FuncSignature.Arg.unsupported("arg#" + index + " tagged arg:trusted (pointer to a type that is not a named struct)");
        }
        String name = s.name();
        int flavor = name.lastIndexOf("___");
        if (flavor > 0) {
            name = name.substring(0, flavor);
        }
        return FuncSignature.Arg.trusted(name, tags.contains("nullable"));
    }

    /** btf_is_prog_ctx_type: the pointee is the struct (or, for kprobes, the typedef) the program type's context is. */
    private static boolean isCtx(Btf btf, int pointee, ProgramType type) {
        BtfType t = btf.type(pointee);
        // skip modifiers but stop at a typedef first: kprobes name theirs bpf_user_pt_regs_t
        while (t instanceof BtfType.Reference r && !(t instanceof BtfType.Typedef) && !(t instanceof BtfType.Ptr)) {
            t = btf.type(r.type());
        }
        if (type == ProgramType.KPROBE && t instanceof BtfType.Typedef td && "bpf_user_pt_regs_t".equals(td.name())) {
            return true;
        }
        BtfType s = btf.resolve(pointee);
        if (!(s instanceof BtfType.Struct st)) {
            return false;
        }
        String want = ctxStruct(type);
        return want != null && want.equals(st.name()) || type == ProgramType.KPROBE && "pt_regs".equals(st.name());
    }

    private static String ctxStruct(ProgramType type) {
        return switch (type) {
            case SOCKET_FILTER, SCHED_CLS, SCHED_ACT, CGROUP_SKB, LWT_IN, LWT_OUT, LWT_XMIT, LWT_SEG6LOCAL, SK_SKB,
                    FLOW_DISSECTOR -> "__sk_buff";
            case XDP -> "xdp_md";
            case CGROUP_SOCK -> "bpf_sock";
            case SOCK_OPS -> "bpf_sock_ops";
            case CGROUP_DEVICE -> "bpf_cgroup_dev_ctx";
            case SK_MSG -> "sk_msg_md";
            case RAW_TRACEPOINT, RAW_TRACEPOINT_WRITABLE -> "bpf_raw_tracepoint_args";
            case CGROUP_SOCK_ADDR -> "bpf_sock_addr";
            case SK_REUSEPORT -> "sk_reuseport_md";
            case CGROUP_SYSCTL -> "bpf_sysctl";
            case CGROUP_SOCKOPT -> "bpf_sockopt";
            case SK_LOOKUP -> "bpf_sk_lookup";
            case PERF_EVENT -> "bpf_perf_event_data";
            case NETFILTER -> "bpf_nf_ctx";
            default -> null;
        };
    }
}
