package io.bpf4j.relocator;

/**
 * An {@code ld_imm64} of a relocated program that refers to a map. The instruction carries the
 * map's index in {@link ObjectSpec#maps()} where libbpf puts the map's file descriptor.
 *
 * @param slot     the slot of the {@code ld_imm64}
 * @param mapIndex the map's index in the object
 * @param mapName  the map's name
 * @param value    true for a map-value address ({@code BPF_PSEUDO_MAP_VALUE}), false for the map itself
 * @param offset   for a value address: the byte offset in the value
 */
public record MapReference(int slot, int mapIndex, String mapName, boolean value, int offset) {}
