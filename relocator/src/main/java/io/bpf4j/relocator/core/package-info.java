/**
 * CO-RE: BPF CO-RE relocations ({@code .BTF.ext} core_relo records) resolved against a target
 * kernel's BTF, with libbpf's results, messages and poisoning.
 *
 * <ul>
 *   <li>{@link io.bpf4j.relocator.core.CoreTarget}: the target (vmlinux or a
 *       {@code btf_custom_path}-style override, plus modules' split BTF), indexed once by
 *       essential name so a candidate search is one lookup.</li>
 *   <li>{@link io.bpf4j.relocator.core.CoreRelocator}: one session over one object (libbpf's
 *       candidate cache, pruned as relocations go); patches a program's own instructions and
 *       returns a {@link io.bpf4j.relocator.core.CoreRelocation}.</li>
 *   <li>{@link io.bpf4j.relocator.core.CoreReloResult}: per relocation, what
 *       {@code inspect --core} shows: kind, access string, local and target types and specs,
 *       original and new value, poisoning and its reason, and libbpf's debug lines.</li>
 *   <li>{@link io.bpf4j.relocator.core.CoreRelocationException}: what libbpf refuses (ambiguity,
 *       malformed records, instructions that do not hold the expected value).</li>
 * </ul>
 *
 * <p>The rules are libbpf 1.7's ({@code relo_core.c}, {@code bpf_object__relocate_core}); the
 * tests compare with libbpf 1.1 and 1.7. Where they differ (a load through an array member is
 * sized by element since libbpf 1.5), the newer rule applies. One deliberate difference:
 * FIELD_LSHIFT_U64 uses the object's byte order, where libbpf uses the host's (they only
 * differ for an object the host could not load anyway).
 */
package io.bpf4j.relocator.core;
