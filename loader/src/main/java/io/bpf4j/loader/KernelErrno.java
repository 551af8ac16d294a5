package io.bpf4j.loader;

import io.bpf4j.isa.abi.Errno;
import java.util.List;

/**
 * The errno {@code BPF_PROG_LOAD} fails with for a verifier message, as the 6.18 verifier returns
 * them: malformed programs (structure, opcodes, ld_imm64, helper ids) are EINVAL, complexity
 * limits E2BIG, everything the walk of the program finds EACCES. bpf4j's own "not supported yet"
 * maps to ENOTSUPP (524), the kernel's answer for what it does not support.
 */
final class KernelErrno {
    private static final List<String> INVALID = List.of(
            "unknown opcode", "invalid insn", "jump out of range", "unreachable insn", "last insn is not an exit or jmp",
            "jump into the middle of ldimm64", "back-edge from insn", "infinite loop detected", "invalid BPF_LD_IMM",
            "invalid bpf_ld_imm64", "invalid func unknown#", "unknown func ", "program of this type cannot use helper",
            "BPF_EXIT uses reserved fields", "BPF_JA uses reserved fields", "BPF_CALL uses reserved fields",
            "BPF_ALU uses reserved fields", "BPF_ST uses reserved fields", "BPF_STX uses reserved fields",
            "BPF_LDX uses reserved fields", "BPF_LD_[ABS|IND] uses reserved fields", "invalid BPF_ALU opcode",
            "invalid BPF_JMP", "invalid BPF_LD mode", "invalid mode", "invalid atomic operation",
            "func#", "function calls are not allowed", "loading/calling other bpf or kernel functions are allowed",
            "R10 is read only", "frame pointer is read only", "invalid register", "invalid src register",
            "number of funcs in func_info", "invalid func info", "invalid line_info", "callbacks are not allowed",
            "tail_calls are not allowed", "tracing progs cannot use ", "socket filter progs cannot use ",
            "bpf_struct_ops map cannot be used in prog", "LD_ABS is only allowed in functions",
            "tail_call is only allowed in functions", "get_local_storage() doesn't support non-zero flags",
            "invalid arg_type for sockmap/sockhash",
            // kfunc calls (check_kfunc_args, process_iter_arg, check_kfunc_call) and reference leaks
            "expected an initialized iter_", "expected uninitialized iter_", "iter has to be at a constant offset",
            "cannot pass in iter at an offset", "kernel function ", "release kernel function ",
            "acquire kernel function ", "kfunc bpf_rdonly_cast type ID", "Unreleased reference",
            // process_dynptr_func and the dynptr stack-slot rules
            "Expected an initialized dynptr", "Dynptr has to be an uninitialized dynptr", "Expected a dynptr of type",
            "cannot overwrite referenced dynptr", "dynptr has to be at a constant offset", "cannot pass in dynptr at an offset",
            "cannot release unowned const bpf_dynptr", "cannot pass pointer to const bpf_dynptr",
            "unmatched attempt to enable preemption",
            "use static function instead", "a non-sleepable BPF program context", "unmatched rcu read unlock", "nested rcu read lock",
            // check_return_code and prepare_func_exit: a return value out of range
            "At program exit the register R0 ", "At callback return the register R0 ");
    /*
     * "fd N is not pointing to valid bpf_map": EINVAL for an fd open to something else than a map (the
     * loader's standard streams, which is what an unrelocated fd 0/1/2 names); a closed fd is EBADF
     */
    private static final List<String> INVALID_INSIDE = List.of(", expected PTR_TO_INSN", " points to outside of jump table",
            " must be referenced or trusted", " must be a rcu pointer", " is not a scalar", " must be a known constant",
            " expected pointer to ctx, but got ", " or socket", " reference has not been acquired before",
            " would lead to reference leak", " cannot be used inside bpf_", " in non-preemptible region", " is not pointing to valid bpf_map", " is an unacquired reference",
            " expected pointer to stack or const struct bpf_dynptr",
            // check_return_code and callback returns: a non-scalar or out-of-range R0 is EINVAL
            "At program exit the register R", "At callback return the register R");
    private static final List<String> TOO_BIG = List.of(
            "BPF program is too large", "The sequence of ", "the call stack of ", "combined stack size",
            "bpf4j: program of "); // over bpf_prog_load's insn_cnt limit

    private KernelErrno() {
    }

    /** The errno for the verifier's error line. */
    static int of(String kernelMessage) {
        return errno(kernelMessage).number();
    }

    private static Errno errno(String kernelMessage) {
        if (kernelMessage == null) {
            return Errno.EACCES;
        }
        if (kernelMessage.startsWith(ProgramVerification.NOT_SUPPORTED)) {
            return Errno.ENOTSUPP;
        }
        for (String p : TOO_BIG) {
            if (kernelMessage.startsWith(p)) {
                return p.startsWith("combined") ? Errno.EACCES : Errno.E2BIG;
            }
        }
        for (String p : INVALID) {
            if (kernelMessage.startsWith(p)) {
                return Errno.EINVAL;
            }
        }
        for (String p : INVALID_INSIDE) {
            if (kernelMessage.contains(p)) {
                return Errno.EINVAL;
            }
        }
        if (kernelMessage.startsWith("verifier bug")) {
            // verifier_bug(): the kernel's own inconsistency (an access it let through but cannot rewrite)
            return Errno.EFAULT;
        }
        if (kernelMessage.startsWith("the sum of R")) {
            return Errno.ERANGE;
        }
        return Errno.EACCES;
    }

    /** strerror's text, as libbpf prints it. */
    static String text(int errno) {
        Errno e = Errno.ofNumber(errno);
        return e == null ? "errno " + errno : e.description();
    }
}
