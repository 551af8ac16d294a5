package io.bpf4j.elf.spec;

import io.bpf4j.elf.btf.VarLinkage;

/**
 * One variable of a BTF DATASEC after libbpf's open-time fix-up: its offset is taken from the
 * ELF symbol, and a hidden global variable reads as static.
 *
 * @param name    the variable name
 * @param varId   the BTF VAR's type id
 * @param typeId  the VAR's type (what the variable holds)
 * @param offset  byte offset in the section
 * @param size    size in bytes
 * @param linkage linkage after the fix-up
 */
public record DataSecVar(String name, int varId, int typeId, long offset, long size, VarLinkage linkage) {}
