package io.bpf4j.relocator.tables;

/**
 * One entry of a program's table map.
 *
 * @param index      the entry's key
 * @param targetSlot the target's slot in the relocated program ({@code orig_off} of the entry)
 * @param function   the function at (call table) or containing (jump table) the target
 */
public record TableEntry(int index, int targetSlot, String function) {}
