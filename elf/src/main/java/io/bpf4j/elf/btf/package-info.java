/**
 * BTF and BTF.ext: {@link io.bpf4j.elf.btf.Btf} (raw, in-object and split BTF, every kind 1..19
 * as a record of the sealed {@link io.bpf4j.elf.btf.BtfType}), {@link io.bpf4j.elf.btf.BtfExt}
 * (func_info, line_info, CO-RE relocations) and {@link io.bpf4j.elf.btf.BtfDumper}, which prints
 * what {@code bpftool btf dump file} prints.
 */
package io.bpf4j.elf.btf;
