package io.bpf4j.relocator;

/**
 * One function of a relocated program: the program itself (index 0) or a subprogram appended
 * to it. Calls and function addresses in the instructions are PC-relative slot offsets, as the
 * kernel receives them; this table says which function each target is.
 *
 * @param index     0 for the entry program, then subprograms in the order they were appended
 * @param name      the function's symbol name
 * @param startSlot its first slot in the relocated program
 * @param slotCount how many slots it occupies
 * @param btfFuncId its BTF FUNC type id (0 when the object has no BTF for it)
 */
public record FunctionEntry(int index, String name, int startSlot, int slotCount, int btfFuncId) {}
