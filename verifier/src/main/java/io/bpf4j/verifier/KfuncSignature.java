package io.bpf4j.verifier;

import java.util.List;
import java.util.Objects;

/**
 * A kernel function's BTF prototype, as the kernel's {@code check_kfunc_call} reads it from the
 * kernel BTF the call's id names: its name, each parameter's type and the return type, with
 * modifiers and typedefs skipped. The loader builds it from the BTF it resolved the call
 * against; the verifier decides by {@link #name()} which kfunc rules apply.
 *
 * @param name       the kfunc's name ({@code bpf_iter_num_new})
 * @param params     the parameters in order (r1 first)
 * @param ret        the return type
 * @param paramNames the parameters' names, in order; the kernel reads argument rules from their
 *                   suffixes ({@code __ign}, {@code __k}, {@code __sz}, {@code __nullable}...);
 *                   empty names when unknown
 */
public record KfuncSignature(String name, List<Type> params, Type ret, List<String> paramNames) {
    public KfuncSignature {
        Objects.requireNonNull(name, "name");
        params = List.copyOf(params);
        Objects.requireNonNull(ret, "ret");
        paramNames = paramNames == null ? List.of() : List.copyOf(paramNames);
        if (!paramNames.isEmpty() && paramNames.size() != params.size()) {
            throw new IllegalArgumentException(name + ": " + paramNames.size() + " parameter names for "
                    + params.size() + " parameters");
        }
    }

    /** A prototype whose parameter names are unknown. */
    public KfuncSignature(String name, List<Type> params, Type ret) {
        this(name, params, ret, List.of());
    }

    /** The name of parameter {@code i} ({@code ""} when unknown). */
    public String paramName(int i) {
        return i < paramNames.size() ? paramNames.get(i) : "";
    }

    /** What a parameter or return type is, as far as the verifier's kfunc rules distinguish. */
    public enum Kind {
        /** {@code void} (only as a return type). */
        VOID,
        /** An integer or enum of {@link Type#size()} bytes. */
        SCALAR,
        /** A pointer to an integer or enum of {@link Type#size()} bytes. */
        PTR_TO_SCALAR,
        /** A pointer to the struct {@link Type#name()} of {@link Type#size()} bytes. */
        PTR_TO_STRUCT,
        /** {@code void *}. */
        PTR_TO_VOID,
        /** Anything else (function pointers, arrays, unions...). */
        OTHER
    }

    /**
     * One type: its kind, size in bytes (of the pointee for pointers), name (the struct's for
     * {@link Kind#PTR_TO_STRUCT}, else empty) and, for {@link Kind#PTR_TO_STRUCT}, the struct's
     * id in the kernel BTF the prototype was read from (0 when unknown).
     */
    public record Type(Kind kind, int size, String name, int btfId) {
        public Type {
            Objects.requireNonNull(kind, "kind");
            name = name == null ? "" : name;
        }

        /** A type without a BTF id. */
        public Type(Kind kind, int size, String name) {
            this(kind, size, name, 0);
        }
    }
}
