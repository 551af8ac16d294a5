package io.bpf4j.verifier.internal;

import io.bpf4j.isa.abi.ProgramType;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the kernel knows about each kfunc bpf4j models but BTF does not say: its flags (the
 * {@code BTF_ID_FLAGS(func, name, flags)} lines of the kernel's kfunc id sets) and the set it
 * is registered in, which decides the program types that may call it
 * ({@code register_btf_kfunc_id_set}; the kernel's {@code calling kernel function %s is not
 * allowed}). Everything else about a kfunc (argument and return types, parameter-name
 * suffixes) comes from the kernel BTF through {@link io.bpf4j.verifier.KfuncSignature}.
 *
 * <p>Sources, Linux 6.12 (Debian linux-source-6.12): {@code kernel/bpf/helpers.c} lines
 * 3087-3116 ({@code generic_btf_ids}), 3132-3171 ({@code common_btf_ids}), 3194-3203 (their
 * registration); {@code net/core/filter.c} ({@code bpf_kfunc_check_set_skb}, {@code _xdp} and
 * {@code bpf_kfunc_init}, where 6.18 adds tracing programs to the skb set); {@code kernel/bpf/cpumask.c} lines 427-453 ({@code cpumask_kfunc_btf_ids}),
 * 475-477 (registration); {@code kernel/bpf/btf.c} lines 8588-8631
 * ({@code bpf_prog_type_to_kfunc_hook}); {@code include/linux/bpf_types.h} (each program
 * type's kernel context struct, for {@code bpf_cast_to_kern_ctx}). 6.18 registers the same
 * sets for the same hooks (it names the hooks instead of program types) and keeps these
 * flags; the kernel-tagged tests compare with the running kernel.
 */
final class KfuncTable {
    private KfuncTable() {}

    // include/linux/btf.h: the KF_* flag bits
    static final int KF_ACQUIRE = 1 << 0;
    static final int KF_RELEASE = 1 << 1;
    static final int KF_RET_NULL = 1 << 2;
    static final int KF_TRUSTED_ARGS = 1 << 4;
    static final int KF_SLEEPABLE = 1 << 5;
    static final int KF_DESTRUCTIVE = 1 << 6;
    static final int KF_RCU = 1 << 7;
    static final int KF_ITER_NEW = 1 << 8;
    static final int KF_ITER_NEXT = 1 << 9;
    static final int KF_ITER_DESTROY = 1 << 10;
    static final int KF_RCU_PROTECTED = 1 << 11;

    /** The kernel's kfunc hooks (enum btf_kfunc_hook) a set is registered for. */
    enum Hook { COMMON, XDP, TC, STRUCT_OPS, TRACING, SYSCALL, CGROUP, SCHED_ACT, SK_SKB, SOCKET_FILTER, LWT, NETFILTER }

    /** A kfunc id set: the hooks it is registered for. */
    enum KfuncSet {
        /** helpers.c common_btf_ids, registered for BPF_PROG_TYPE_UNSPEC: every program type. */
        COMMON(EnumSet.of(Hook.COMMON)),
        /** helpers.c generic_btf_ids. */
        GENERIC(EnumSet.of(Hook.TRACING, Hook.TC, Hook.XDP, Hook.STRUCT_OPS, Hook.SYSCALL, Hook.CGROUP)),
        /** cpumask.c cpumask_kfunc_btf_ids. */
        CPUMASK(EnumSet.of(Hook.TRACING, Hook.STRUCT_OPS, Hook.SYSCALL)),
        /** net/core/filter.c bpf_kfunc_check_set_skb (6.18 also registers it for tracing programs). */
        SKB(EnumSet.of(Hook.TC, Hook.SCHED_ACT, Hook.SK_SKB, Hook.SOCKET_FILTER, Hook.CGROUP, Hook.LWT, Hook.NETFILTER,
                Hook.TRACING)),
        /** net/core/filter.c bpf_kfunc_check_set_xdp. */
        XDP(EnumSet.of(Hook.XDP));

        final Set<Hook> hooks;

        KfuncSet(Set<Hook> hooks) {
            this.hooks = hooks;
        }
    }

    /** One kfunc's flags and set. */
    record Kfunc(String name, int flags, KfuncSet set) {
        boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    private static final Map<String, Kfunc> KFUNCS = new HashMap<>();

    private static void add(KfuncSet set, String name, int flags) {
        KFUNCS.put(name, new Kfunc(name, flags, set));
    }

    static {
        // helpers.c common_btf_ids (the iterators, casts)
        add(KfuncSet.COMMON, "bpf_cast_to_kern_ctx", 0);
        add(KfuncSet.COMMON, "bpf_rdonly_cast", 0);
        add(KfuncSet.COMMON, "bpf_iter_num_new", KF_ITER_NEW);
        add(KfuncSet.COMMON, "bpf_iter_num_next", KF_ITER_NEXT | KF_RET_NULL);
        add(KfuncSet.COMMON, "bpf_iter_num_destroy", KF_ITER_DESTROY);
        add(KfuncSet.COMMON, "bpf_iter_bits_new", KF_ITER_NEW);
        add(KfuncSet.COMMON, "bpf_iter_bits_next", KF_ITER_NEXT | KF_RET_NULL);
        add(KfuncSet.COMMON, "bpf_iter_bits_destroy", KF_ITER_DESTROY);
        // helpers.c common_btf_ids: RCU read and preemption sections
        add(KfuncSet.COMMON, "bpf_rcu_read_lock", 0);
        add(KfuncSet.COMMON, "bpf_rcu_read_unlock", 0);
        add(KfuncSet.COMMON, "bpf_preempt_disable", 0);
        add(KfuncSet.COMMON, "bpf_preempt_enable", 0);
        // helpers.c common_btf_ids: dynptr kfuncs
        add(KfuncSet.COMMON, "bpf_dynptr_slice", KF_RET_NULL);
        // bpf_dynptr_slice_rdwr is left out: the 6.18 build this is checked against refuses every
        // call to it ("bpf_dynptr_slice_rdwr() is not allowed") by a rule bpf4j does not know
        for (String d : new String[] {"adjust", "is_null", "is_rdonly", "size", "clone"}) {
            add(KfuncSet.COMMON, "bpf_dynptr_" + d, 0);
        }
        // net/core/filter.c: skb and xdp dynptrs
        add(KfuncSet.SKB, "bpf_dynptr_from_skb", KF_TRUSTED_ARGS);
        add(KfuncSet.XDP, "bpf_dynptr_from_xdp", 0);
        // helpers.c generic_btf_ids (task and cgroup references)
        add(KfuncSet.GENERIC, "bpf_task_acquire", KF_ACQUIRE | KF_RCU | KF_RET_NULL);
        add(KfuncSet.GENERIC, "bpf_task_release", KF_RELEASE);
        add(KfuncSet.GENERIC, "bpf_task_from_pid", KF_ACQUIRE | KF_RET_NULL);
        add(KfuncSet.GENERIC, "bpf_cgroup_acquire", KF_ACQUIRE | KF_RCU | KF_RET_NULL);
        add(KfuncSet.GENERIC, "bpf_cgroup_release", KF_RELEASE);
        add(KfuncSet.GENERIC, "bpf_cgroup_ancestor", KF_ACQUIRE | KF_RCU | KF_RET_NULL);
        add(KfuncSet.GENERIC, "bpf_cgroup_from_id", KF_ACQUIRE | KF_RET_NULL);
        add(KfuncSet.GENERIC, "bpf_task_under_cgroup", KF_RCU);
        add(KfuncSet.GENERIC, "bpf_task_get_cgroup1", KF_ACQUIRE | KF_RCU | KF_RET_NULL);
        // cpumask.c cpumask_kfunc_btf_ids
        add(KfuncSet.CPUMASK, "bpf_cpumask_create", KF_ACQUIRE | KF_RET_NULL);
        add(KfuncSet.CPUMASK, "bpf_cpumask_release", KF_RELEASE);
        add(KfuncSet.CPUMASK, "bpf_cpumask_acquire", KF_ACQUIRE | KF_TRUSTED_ARGS);
        for (String rcu : new String[] {"first", "first_zero", "first_and", "set_cpu", "clear_cpu", "test_cpu",
                "test_and_set_cpu", "test_and_clear_cpu", "setall", "clear", "and", "or", "xor", "equal",
                "intersects", "subset", "empty", "full", "copy", "any_distribute", "any_and_distribute", "weight"}) {
            add(KfuncSet.CPUMASK, "bpf_cpumask_" + rcu, KF_RCU);
        }
    }

    /** The kfunc named {@code name}, or null when bpf4j does not model it. */
    static Kfunc of(String name) {
        return KFUNCS.get(name);
    }

    /** btf_kfunc_id_set_contains: whether a program of type {@code t} may call {@code k}. */
    static boolean allowed(Kfunc k, ProgramType t) {
        if (k.set().hooks.contains(Hook.COMMON)) {
            return true;
        }
        Hook h = hook(t);
        return h != null && k.set().hooks.contains(h);
    }

    /** bpf_prog_type_to_kfunc_hook, for the hooks the sets above use (null: none of them). */
    private static Hook hook(ProgramType t) {
        return switch (t) {
            case XDP -> Hook.XDP;
            case SCHED_CLS -> Hook.TC;
            case STRUCT_OPS -> Hook.STRUCT_OPS;
            case TRACING, TRACEPOINT, PERF_EVENT, LSM -> Hook.TRACING;
            case SYSCALL -> Hook.SYSCALL;
            case SCHED_ACT -> Hook.SCHED_ACT;
            case SK_SKB -> Hook.SK_SKB;
            case SOCKET_FILTER -> Hook.SOCKET_FILTER;
            case LWT_IN, LWT_OUT, LWT_XMIT, LWT_SEG6LOCAL -> Hook.LWT;
            case NETFILTER -> Hook.NETFILTER;
            case CGROUP_SKB, CGROUP_SOCK, CGROUP_DEVICE, CGROUP_SOCK_ADDR, CGROUP_SOCKOPT, CGROUP_SYSCTL -> Hook.CGROUP;
            default -> null;
        };
    }

    /**
     * The kernel's context struct of a program type (bpf_types.h's kern_ctx_type, what
     * {@code bpf_cast_to_kern_ctx} returns a trusted pointer to), or null when it is not a struct.
     */
    static String kernCtx(ProgramType t) {
        return switch (t) {
            case SOCKET_FILTER, SCHED_CLS, SCHED_ACT, CGROUP_SKB, LWT_IN, LWT_OUT, LWT_XMIT, SK_SKB -> "sk_buff";
            case XDP -> "xdp_buff";
            case CGROUP_SOCK -> "sock";
            case CGROUP_SOCK_ADDR -> "bpf_sock_addr_kern";
            case SOCK_OPS -> "bpf_sock_ops_kern";
            case SK_MSG -> "sk_msg";
            case FLOW_DISSECTOR -> "bpf_flow_dissector";
            case KPROBE -> "pt_regs";
            case PERF_EVENT -> "bpf_perf_event_data_kern";
            case CGROUP_DEVICE -> "bpf_cgroup_dev_ctx";
            case CGROUP_SYSCTL -> "bpf_sysctl_kern";
            case CGROUP_SOCKOPT -> "bpf_sockopt_kern";
            case SK_REUSEPORT -> "sk_reuseport_kern";
            case SK_LOOKUP -> "bpf_sk_lookup_kern";
            case NETFILTER -> "bpf_nf_ctx";
            default -> null;
        };
    }
}
