package io.bpf4j.verifier;

import java.util.Objects;

/**
 * What a BTF-attached program (tracing: fentry, fexit, fmod_ret, tp_btf; LSM; struct_ops)
 * attaches to, as the kernel's {@code bpf_check_attach_target} resolves it: the name it prints
 * in messages, the BTF id of the target (the FUNC; for tp_btf the {@code btf_trace_} typedef;
 * for struct_ops the kernel struct) and the id of the prototype whose parameters are the
 * program's context, all in the {@link VerifierInput#btf()} the loader gives.
 *
 * @param name     the kernel's {@code attach_func_name}: the function, the tracepoint without
 *                 {@code btf_trace_}, or the struct_ops member
 * @param btfId    the {@code attach_btf_id}
 * @param protoId  the FUNC_PROTO whose parameters the context holds
 * @param rawTracepoint true for tp_btf, whose prototype's first parameter ({@code void *__data}) is not the program's
 * @param sleepable true for a sleepable program ({@code BPF_F_SLEEPABLE}): pointers walked from
 *                  trusted ones are then untrusted outside RCU sections
 */
public record AttachTarget(String name, int btfId, int protoId, boolean rawTracepoint, boolean sleepable) {
    public AttachTarget {
        Objects.requireNonNull(name, "name");
    }
}
