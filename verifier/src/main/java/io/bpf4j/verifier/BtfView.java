package io.bpf4j.verifier;

import java.util.OptionalInt;

/**
 * The BTF type graph a program attaches to (the running kernel's vmlinux BTF, or one a loader
 * was given), as far as the verifier walks it: BTF-typed context arguments, struct member walks
 * through {@code PTR_TO_BTF_ID} pointers, struct_ops member prototypes. The verifier only reads
 * it, lazily, by type id; a loader adapts its own BTF reader (the verifier depends on nothing
 * but the instruction set).
 */
public interface BtfView {
    /** The type with id {@code id} (0 is {@code void}); an id out of range is {@link BtfNode.Void}. */
    BtfNode type(int id);

    /** The id of the struct named {@code name}, if the BTF has one (the kernel's {@code btf_find_by_name_kind}). */
    OptionalInt findStruct(String name);

    /** The id of the function named {@code name}, if the BTF has one. */
    OptionalInt findFunc(String name);

    /** The type {@code id} with typedef, const, volatile, restrict and type tags skipped ({@code btf_type_skip_modifiers}). */
    default int skipModifiers(int id) {
        for (int depth = 0; depth < 32; depth++) {
            if (!(type(id) instanceof BtfNode.Modifier m)) {
                return id;
            }
            id = m.type();
        }
        return id;
    }
}
