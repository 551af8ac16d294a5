package io.bpf4j.elf;

import io.bpf4j.elf.internal.DecodedOnUse;
import java.util.List;

/**
 * A REL section together with the section it applies to ({@code sh_info}).
 *
 * @param section     the REL section itself
 * @param target      the section whose bytes the entries patch
 * @param relocations the entries in file order
 */
public record RelocationSection(ElfSection section, ElfSection target, List<Relocation> relocations) {
    public RelocationSection {
        relocations = relocations instanceof DecodedOnUse<Relocation> lazy ? lazy : List.copyOf(relocations);
    }

    @Override
    public String toString() {
        return "RelocationSection['" + section.name() + "' -> '" + target.name() + "', " + relocations.size() + " entries]";
    }
}
