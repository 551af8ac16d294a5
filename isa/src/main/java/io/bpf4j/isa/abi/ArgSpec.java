package io.bpf4j.isa.abi;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One helper argument: its base kind, flag bits, the fixed size for {@link TypeFlag#MEM_FIXED_SIZE}
 * arguments (the kernel's {@code argN_size}, 0 otherwise), and for BTF-typed pointer arguments the
 * kernel struct the pointer must point to ({@code argN_btf_id}, e.g. {@code "task_struct"}; empty otherwise).
 */
public record ArgSpec(ArgKind kind, Set<TypeFlag> flags, int fixedSize, String btfType) {

    public ArgSpec {
        Objects.requireNonNull(kind, "kind");
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
        btfType = btfType == null ? "" : btfType;
        if (fixedSize < 0) {
            throw new IllegalArgumentException("fixedSize " + fixedSize);
        }
    }

    public static ArgSpec of(ArgKind kind, TypeFlag... flags) {
        return new ArgSpec(kind, flags.length == 0 ? Set.of() : EnumSet.of(flags[0], flags), 0, "");
    }

    public boolean has(TypeFlag f) {
        return flags.contains(f);
    }

    public boolean maybeNull() {
        return has(TypeFlag.PTR_MAYBE_NULL);
    }

    public boolean releases() {
        return has(TypeFlag.OBJ_RELEASE);
    }

    /** The kernel's name for this argument type, e.g. {@code ARG_PTR_TO_UNINIT_MEM}; for reports. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(kind.name().toLowerCase(java.util.Locale.ROOT));
        for (TypeFlag f : TypeFlag.values()) {
            if (flags.contains(f)) {
                sb.append('|').append(f.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        if (fixedSize > 0) {
            sb.append('(').append(fixedSize).append(')');
        }
        if (!btfType.isEmpty()) {
            sb.append('<').append(btfType).append('>');
        }
        return sb.toString();
    }
}
