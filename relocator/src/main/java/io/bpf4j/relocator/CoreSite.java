package io.bpf4j.relocator;

/**
 * A CO-RE relocation record ({@code .BTF.ext} core_relo) that lands in a relocated program.
 * The instruction at {@link #slot()} holds the CO-RE result when the object went through
 * {@link Relocator#relocateCore} first, clang's value for the local BTF otherwise.
 *
 * @param slot         the patched instruction's slot in the relocated program
 * @param kind         the CO-RE kind ({@code field_byte_offset}, {@code type_exists}, ...)
 * @param typeId       the local root type id
 * @param accessString the access string ({@code "0:1:2"})
 */
public record CoreSite(int slot, String kind, int typeId, String accessString) {}
