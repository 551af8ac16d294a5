package io.bpf4j.relocator;

/**
 * A CO-RE relocation record ({@code .BTF.ext} core_relo) that lands in a relocated program.
 * bpf4j does not compute CO-RE results yet: the instruction at {@link #slot()} still holds
 * clang's value for the local BTF, and the loader refuses to load such a program.
 *
 * @param slot         the patched instruction's slot in the relocated program
 * @param kind         the CO-RE kind ({@code field_byte_offset}, {@code type_exists}, ...)
 * @param typeId       the local root type id
 * @param accessString the access string ({@code "0:1:2"})
 */
public record CoreSite(int slot, String kind, int typeId, String accessString) {}
