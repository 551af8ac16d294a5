package io.bpf4j.relocator.core;

import io.bpf4j.elf.btf.Btf;

/**
 * A target type that may correspond to a local CO-RE root type: same essential name and a
 * compatible kind.
 *
 * @param btf     the target BTF holding it (vmlinux or a module's split BTF)
 * @param typeId  its id in that BTF
 * @param btfName "vmlinux" or the module's name, as libbpf names it in its log
 */
public record CoreCandidate(Btf btf, int typeId, String btfName) {}
