package io.bpf4j.loader;

import java.util.Map;

/**
 * What {@code inspect} shows of a map: every {@link io.bpf4j.elf.spec.MapSpec} field as a plain
 * record (JSON-able).
 *
 * @param name          map name
 * @param kind          where it was declared ({@code btf_defined}, {@code legacy}, {@code data}, {@code rodata}, {@code bss}, {@code kconfig})
 * @param type          map type, bpftool's name ({@code hash}, {@code array}; the number when unknown)
 * @param keySize       key size
 * @param valueSize     value size
 * @param maxEntries    max_entries
 * @param flags         map_flags
 * @param numaNode      numa_node
 * @param mapExtra      map_extra
 * @param keyTypeId     BTF key type id
 * @param valueTypeId   BTF value type id
 * @param pinning       {@code none} or {@code by_name}
 * @param pinPath       where it is pinned when pinned by name, else null
 * @param innerMap      the inner map's name, or null
 * @param initialSlots  {@code .values} initialisation: slot to program or map name
 * @param initialDataSize size of the initial data image (0 when none)
 * @param section       the ELF section it was declared in
 * @param autocreate    whether {@code load} creates it
 */
public record MapInfo(String name, String kind, String type, int keySize, int valueSize, int maxEntries, int flags,
                      int numaNode, long mapExtra, int keyTypeId, int valueTypeId, String pinning, String pinPath,
                      String innerMap, Map<Integer, String> initialSlots, int initialDataSize, String section,
                      boolean autocreate) {}
