package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.testdata.KernelFacts;
import io.bpf4j.testdata.KernelVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Verifier rules that need what only a compiled object carries (map value BTF with special
 * fields, func_info with return types): each source next to this class is compiled with clang-19
 * in this run, and every program of it is judged by the running kernel through libbpf and by
 * bpf4j as {@code load()} verifies it. Both must agree on the verdict and error line, and the
 * kernel must refuse some and accept others, so the source exercises its rule.
 */
@Tag("kernel")
class CompiledSourceParityTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // check_map_prog_compatibility: timers and spin locks in tracing and socket filter programs
        "map_prog_compat.bpf.c, timer_kprobe lock_socket lock_tc timer_tc",
        // check_btf_func's return-type rule and the early exit of a subprogram's LD_ABS/LD_IND
        "ld_abs_subprogs.bpf.c, ldabs_early_exit ldind_early_exit ldabs_void_subprog tail_call_void_subprog",
        // kfuncs: the bits iterator, task/cgroup/cpumask references and their flags, per-program-type
        // kfunc sets, bpf_cast_to_kern_ctx and bpf_rdonly_cast
        "kfunc_refs.bpf.c, bits_count bits_next_uninit bits_no_destroy task_syscall task_raw_tp task_leak"
                + " task_acquire_maybe_null release_wrong_type acquire_untrusted cgroup_refs cpumask_refs cpumask_tc"
                + " kern_ctx_len kern_ctx_not_ctx iter_cgroup_checked iter_cgroup_unchecked iter_cgroup_ret2 iter_bits_sleepable",
        // libbpf's log rewrite of a reachable poisoned CO-RE relocation (fixup_log_failed_core_relo)
        "core_poison.bpf.c, core_offset_reached core_offset_guarded core_offset_in_subprog",
        // resolve_pseudo_ldimm64: an ld_imm64 of a map no relocation bound keeps its raw fd number
        "raw_map_fd.bpf.c, raw_fd_0 raw_fd_2_value bound_map",
        // check_ptr_to_map_access: loads through a map pointer walk the map's kernel struct
        "map_ptr_access.bpf.c, read_max_entries read_array_elem_size read_through_ops read_negative write_rejected"
                + " read_beyond",
        // nf_is_valid_access: netfilter's context pointers are trusted BTF pointers (needs libbpf >= 1.2)
        "netfilter_ctx.bpf.c, nf_read_fields nf_write_state nf_return_pointer nf_narrow_ctx_read",
        // btf_check_func_arg_match for arg:trusted global function arguments; sleeping helpers in sleepable programs
        "global_trusted_args.bpf.c, current_task task_for_cgroup maybe_null_reference"
                + " maybe_null_for_nonnull sleepable_flavor",
        // dynptrs: ringbuf references with their slices and clones, local dynptrs destroyed by stack
        // writes, skb and xdp dynptrs and their slices, the dynptr argument rules
        "dynptr_refs.bpf.c, ringbuf_submit ringbuf_leak ringbuf_slice_after_submit ringbuf_overwrite"
                + " ringbuf_clone_after_submit local_map_value local_from_stack local_slice_after_overwrite read_uninit"
                + " release_local read_into_dynptr skb_slice skb_slice_after_pull skb_slice_write xdp_slice"
                + " xdp_kfunc_in_tc user_ringbuf_read user_ringbuf_release user_ringbuf_deref",
        // bpf_rcu_read_lock/unlock and bpf_preempt_disable/enable sections: nesting (preemption only),
        // exits, tail calls, RCU pointers after the section; global functions that may sleep
        "rcu_preempt_sections.bpf.c, preempt_nested preempt_missing preempt_unmatched preempt_across_subprog"
                + " preempt_global_call preempt_tail_call global_sleeps_in_raw_tp rcu_nested rcu_unmatched"
                + " rcu_missing rcu_acquire_inside rcu_acquire_after_unlock",
    })
    void sameVerdictAndErrorLine(String source, String someProgramsSpaced, @org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        KernelVerifier k = KernelVerifier.require();
        Path object = compile(source, dir);
        List<VerifierParity.Program> all = VerifierParity.compare(k, object, 1, KernelProfiles.probe());
        // Debian's libbpf 1.1 knows no SEC("netfilter"): such a source is judged only with a newer libbpf
        Assumptions.assumeFalse(all.stream().allMatch(p -> p.outcome() == VerifierParity.Outcome.NOT_JUDGED),
                () -> "this libbpf loads no program of " + source + " (-D" + KernelVerifier.LIBBPF_PROPERTY
                        + "=DIR of libbpf >= 1.2): " + all.get(0).kernel());
        assertThat(all).extracting(VerifierParity.Program::name).contains(someProgramsSpaced.split(" "));
        for (VerifierParity.Program p : all) {
            assertThat(p.outcome()).as("%s: kernel %s, bpf4j %s", p.name(), p.kernel(), p.bpf4j())
                    .isEqualTo(VerifierParity.Outcome.AGREE);
        }
        assertThat(all).anyMatch(p -> p.kernel().startsWith("rejected")).anyMatch(p -> p.kernel().equals("accepted"));
        // and each rejection fails BPF_PROG_LOAD with the kernel's errno
        KernelVerifier.ObjectVerdicts kv = k.verifyObject(object, 1);
        try (BpfObject obj = BpfObject.open(object)) {
            for (KernelVerifier.ObjectProgram kp : kv.programs()) {
                if (kp.verdict().accepted()) {
                    continue;
                }
                ProgramVerification v = obj.program(kp.name()).orElseThrow()
                        .verify(LoadOptions.builder().logLevel(1).kernelProfile(KernelProfiles.probe()).build());
                assertThat(KernelErrno.of(v.rejection().kernelMessage())).as("errno of %s (%s)", kp.name(),
                        kp.verdict().summary()).isEqualTo(kp.verdict().errno());
            }
        }
    }

    private static Path compile(String source, Path dir) throws IOException, InterruptedException {
        Path src = dir.resolve(source);
        try (InputStream in = CompiledSourceParityTest.class.getResourceAsStream(source)) {
            assertThat(in).as(source).isNotNull();
            Files.copy(in, src);
        }
        Path obj = dir.resolve(source.replace(".bpf.c", ".o"));
        Process p;
        try {
            p = new ProcessBuilder("clang-19", "-O2", "-g", "-target", "bpfel", "-mcpu=v3",
                    "-I/usr/include/x86_64-linux-gnu", "-c", src.toString(), "-o", obj.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            // a missing compiler fails the test where the kernel tests must run (CI), as a missing kernel does
            KernelFacts.assume("clang-19 not on the PATH: " + e.getMessage());
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return obj;
    }
}
