package io.bpf4j.relocator;

import io.bpf4j.isa.abi.AttachType;
import io.bpf4j.isa.abi.ProgramType;

import java.util.Optional;

/**
 * What a program's ELF section name says about it, as libbpf reads it at open.
 *
 * @param elfSectionName the section name as in the ELF file ({@code "?tp/syscalls/sys_enter_read"})
 * @param name           the name libbpf stores, without a leading {@code ?}
 * @param autoload       false when the ELF name starts with {@code ?}
 * @param definition     the first matching built-in entry, empty when none matches
 */
public record ProgramSection(String elfSectionName, String name, boolean autoload, Optional<SectionDef> definition) {

    /** The program type; {@link ProgramType#UNSPEC} when no entry matches. */
    public ProgramType programType() {
        return definition.map(SectionDef::programType).orElse(ProgramType.UNSPEC);
    }

    /** The expected attach type number libbpf stores (0 when none). */
    public int expectedAttachTypeId() {
        return definition.map(SectionDef::expectedAttachTypeId).orElse(0);
    }

    /** The expected attach type, when the entry gives one this build knows. */
    public Optional<AttachType> expectedAttachType() {
        return definition.flatMap(SectionDef::expectedAttachType);
    }

    public boolean sleepable() {
        return definition.map(SectionDef::sleepable).orElse(false);
    }

    /**
     * The attach target written after the pattern's prefix and a {@code /} (for
     * {@code fentry/do_nanosleep}: {@code do_nanosleep}; for {@code kprobe/sys_read}:
     * {@code sys_read}); empty for exact patterns and bare names.
     */
    public Optional<String> attachTarget() {
        if (definition.isEmpty() || definition.get().match() != SectionDef.Match.PREFIX_OR_SLASH) {
            return Optional.empty();
        }
        String prefix = definition.get().prefix();
        return name.length() > prefix.length() + 1 ? Optional.of(name.substring(prefix.length() + 1)) : Optional.empty();
    }
}
