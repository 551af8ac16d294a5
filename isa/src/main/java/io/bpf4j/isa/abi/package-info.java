/**
 * The kernel's BPF ABI as data: ids of program types, attach types, map types and helpers, and the
 * facts a verifier needs about them — helper prototypes ({@link io.bpf4j.isa.abi.HelperProto}),
 * which helpers each program type may call, context layouts with their access rules and return
 * ranges ({@link io.bpf4j.isa.abi.ContextLayout}), map shapes ({@link io.bpf4j.isa.abi.MapShape}),
 * all reached through {@link io.bpf4j.isa.abi.KernelProfile}.
 *
 * <h2>Where the built-in Linux 6.18 data comes from</h2>
 * Prototypes and the per-program-type helper tables were read from the kernel sources (Debian's
 * 6.12.118 tree: kernel/bpf/helpers.c, net/core/filter.c, kernel/trace/bpf_trace.c,
 * kernel/bpf/cgroup.c, kernel/bpf/syscall.c, kernel/bpf/bpf_lsm.c, drivers/media/rc/bpf-lirc.c)
 * and written in our own form (the resource tables {@code linux-6.18-helpers.txt} and
 * {@code linux-6.18-progtypes.txt}; {@code isa/tools/gen_helper_protos.py} drafts the first).
 * Context rules are the program types' {@code is_valid_access} callbacks and
 * {@code check_return_code}, in {@code Contexts618}. Everything was then compared with a running
 * 6.18 kernel (the kernel-tagged tests in isa and loader), which decided where 6.12 and 6.18 differ.
 *
 * <h2>Known differences between 6.12 and 6.18</h2>
 * <ul>
 * <li>Every program type may call, with CAP_PERFMON, the context-free helpers
 *     get_current_uid_gid, get_current_comm, get_cgroup_classid (current task), current_task_under_cgroup,
 *     perf_event_read(_value), send_signal(_thread), copy_from_user(_task), find_vma, get_task_stack,
 *     task_storage_get/delete and get_branch_snapshot (6.12: tracing programs only).</li>
 * <li>per_cpu_ptr and this_cpu_ptr need CAP_PERFMON (6.12: CAP_BPF); cgroup program types get
 *     get_current_comm only with CAP_PERFMON (6.12: always).</li>
 * <li>get_netns_cookie is offered to socket filters, cgroup_skb and tc programs (a new prototype
 *     taking the skb context or NULL).</li>
 * <li>cgroup_sock_addr programs on the unix getpeername/getsockname hooks may call set/getsockopt.</li>
 * <li>lwt_seg6local programs may call skb_pull_data on a kernel without CONFIG_IPV6_SEG6_BPF.</li>
 * <li>fib_lookup, sysctl_get_name, snprintf, snprintf_btf, read_branch_records and d_path write their buffer (MEM_WRITE: a read-only map value
 *     is refused there); bpf_loop's count may be any value, not only a scalar.</li>
 * <li>Tracepoint programs may read 8192 bytes of the record (PERF_MAX_TRACE_SIZE, 2048 in 6.12).</li>
 * </ul>
 * Privileges: the tables are for a root loader; {@link io.bpf4j.isa.abi.KernelProfile#withoutPerfmon()}
 * gives the view of a loader with CAP_BPF only (checked against the kernel with capabilities dropped).
 * Kernel builds differ besides (config options, lockdown); {@link io.bpf4j.isa.abi.KernelProfile#buildOptions()}
 * names the helpers that depend on such choices, and the loader's {@code KernelProfiles.probe()}
 * narrows the built-in profile to the running kernel.
 *
 * <h2>Not described</h2>
 * BTF-typed contexts are approximated: tracing (fentry/fexit/iter), LSM and struct_ops programs
 * read their arguments as typed by the attach target's BTF, which this package does not know, so
 * their context is a flat window of scalars and LSM hooks other than lsm_cgroup have no return
 * range (the verifier judges these contexts and returns from the attach target's BTF when the
 * loader gives it: {@code io.bpf4j.verifier.AttachTarget}); struct_ops and extension programs
 * have no helper table (they take their target's).
 * Netfilter's two context pointers are trusted BTF pointers (the PTR_TRUSTED flag is implied, not
 * carried by {@link io.bpf4j.isa.abi.CtxAccess}).
 */
package io.bpf4j.isa.abi;
