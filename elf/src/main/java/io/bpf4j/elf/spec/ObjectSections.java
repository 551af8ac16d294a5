package io.bpf4j.elf.spec;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.ElfSection;
import io.bpf4j.elf.SectionType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The libbpf kind of every section of an object, by section index, following the rules of
 * {@code bpf_object__elf_collect} in their order.
 */
public final class ObjectSections {
    private final ElfObject elf;
    private final List<SectionKind> kinds;
    private final int textIndex;

    private ObjectSections(ElfObject elf, List<SectionKind> kinds, int textIndex) {
        this.elf = elf;
        this.kinds = kinds;
        this.textIndex = textIndex;
    }

    /** Classifies every section of {@code elf}. */
    public static ObjectSections of(ElfObject elf) {
        List<ElfSection> sections = elf.sections();
        List<SectionKind> kinds = new ArrayList<>(sections.size());
        int text = -1;
        for (ElfSection s : sections) {
            SectionKind k = s.index() == 0 ? SectionKind.IGNORED : classify(elf, s);
            if (k == SectionKind.PROGRAM && s.name().equals(".text")) {
                text = s.index();
            }
            kinds.add(k);
        }
        return new ObjectSections(elf, Collections.unmodifiableList(kinds), text);
    }

    private static SectionKind classify(ElfObject elf, ElfSection s) {
        String name = s.name();
        long type = s.type();
        if (type == SectionType.STRTAB || type == SectionType.LLVM_ADDRSIG
                || type == SectionType.PROGBITS && name.equals(".text") && s.size() == 0
                || name.startsWith(".debug_")
                || name.startsWith(".rel") && (name.substring(4).startsWith(".debug_")
                        || name.substring(4).equals(".BTF") || name.substring(4).equals(".BTF.ext"))) {
            return SectionKind.IGNORED;
        }
        switch (name) {
            case "license":
                return SectionKind.LICENSE;
            case "version":
                return SectionKind.VERSION;
            case "maps":
                return SectionKind.LEGACY_MAPS;
            case ".maps":
                return SectionKind.MAPS;
            case ".BTF":
                return SectionKind.BTF;
            case ".BTF.ext":
                return SectionKind.BTF_EXT;
            default:
                break;
        }
        if (type == SectionType.SYMTAB) {
            return SectionKind.SYMTAB;
        }
        if (type == SectionType.PROGBITS && s.size() > 0) {
            if (s.isExecutable()) {
                return SectionKind.PROGRAM;
            }
            if (name.equals(".data") || name.startsWith(".data.")) {
                return SectionKind.DATA;
            }
            if (name.equals(".rodata") || name.startsWith(".rodata.")) {
                return SectionKind.RODATA;
            }
            if (name.equals(".struct_ops") || name.equals(".struct_ops.link") || name.equals("?.struct_ops")
                    || name.equals("?.struct_ops.link")) {
                return SectionKind.STRUCT_OPS;
            }
            if (name.equals(".addr_space.1")) {
                return SectionKind.ARENA;
            }
            if (name.equals(".jumptables")) {
                return SectionKind.JUMPTABLES;
            }
            return SectionKind.UNRECOGNIZED_DATA;
        }
        if (type == SectionType.REL) {
            long target = s.info();
            boolean exec = target > 0 && target < elf.sections().size() && elf.section((int) target).isExecutable();
            if (exec || name.equals(".rel.struct_ops") || name.equals(".rel.struct_ops.link")
                    || name.equals(".rel?.struct_ops") || name.equals(".rel?.struct_ops.link") || name.equals(".rel.maps")) {
                return SectionKind.RELOCATIONS;
            }
            return SectionKind.SKIPPED_RELOCATIONS;
        }
        if (type == SectionType.NOBITS && (name.equals(".bss") || name.startsWith(".bss."))) {
            return SectionKind.BSS;
        }
        return SectionKind.SKIPPED;
    }

    /** The object these kinds describe. */
    public ElfObject elf() {
        return elf;
    }

    /** The kind of section {@code index}. */
    public SectionKind kind(int index) {
        return index >= 0 && index < kinds.size() ? kinds.get(index) : SectionKind.SKIPPED;
    }

    /** Every kind, by section index. */
    public List<SectionKind> kinds() {
        return kinds;
    }

    /** The index of the non-empty executable {@code .text} (subprograms), or -1. */
    public int textIndex() {
        return textIndex;
    }

    /** The first section of a kind, or -1. */
    public int first(SectionKind kind) {
        return kinds.indexOf(kind);
    }
}
