/**
 * What an object declares, read from its ELF sections and BTF the way libbpf's
 * {@code bpf_object__open} reads them: the role of each section ({@link io.bpf4j.elf.spec.ObjectSections}),
 * maps ({@link io.bpf4j.elf.spec.MapSpecReader} → {@link io.bpf4j.elf.spec.MapSpec}), global data
 * variables ({@link io.bpf4j.elf.spec.DataSecs}) and externs ({@link io.bpf4j.elf.spec.Externs}).
 * These are specs, not runtime objects: the in-process maps live in {@code io.bpf4j.maps}, which
 * knows nothing of ELF, and the loader turns a {@code MapSpec} into a map definition.
 */
package io.bpf4j.elf.spec;
