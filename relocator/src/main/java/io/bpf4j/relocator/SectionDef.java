package io.bpf4j.relocator;

import io.bpf4j.isa.abi.AttachType;
import io.bpf4j.isa.abi.ProgramType;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of libbpf's built-in section table: a {@code SEC()} name pattern and the program
 * type, expected attach type and flags it gives.
 *
 * <p>Pattern forms, as libbpf matches them: a pattern ending in {@code /} matches every name
 * starting with it; a pattern ending in {@code +} matches the bare prefix or the prefix
 * followed by {@code /} and anything; any other pattern must equal the whole name.
 *
 * @param pattern              the pattern as libbpf writes it ({@code "kprobe+"}, {@code "xdp"})
 * @param programType          the program type it gives
 * @param expectedAttachTypeId the kernel's {@code enum bpf_attach_type} number (0 also when none
 *                             applies, as libbpf stores it); newer ids may be missing from
 *                             {@link AttachType}
 * @param flags                the definition's flags
 * @param masterOnly           true for entries present in libbpf master but not in release 1.7.0
 */
public record SectionDef(String pattern, ProgramType programType, int expectedAttachTypeId, Set<SecFlag> flags,
                         boolean masterOnly) {

    /** How a pattern compares with a section name. */
    public enum Match { EXACT, PREFIX_OR_SLASH, PREFIX }

    public SectionDef {
        flags = Collections.unmodifiableSet(flags.isEmpty() ? EnumSet.noneOf(SecFlag.class) : EnumSet.copyOf(flags));
    }

    /** The matching rule this pattern uses. */
    public Match match() {
        if (pattern.endsWith("+")) {
            return Match.PREFIX_OR_SLASH;
        }
        return pattern.endsWith("/") ? Match.PREFIX : Match.EXACT;
    }

    /** The pattern without its trailing {@code +}. */
    public String prefix() {
        return match() == Match.PREFIX_OR_SLASH ? pattern.substring(0, pattern.length() - 1) : pattern;
    }

    /** Whether {@code sectionName} (without a leading {@code ?}) matches this pattern. */
    public boolean matches(String sectionName) {
        switch (match()) {
            case PREFIX:
                return sectionName.startsWith(pattern);
            case PREFIX_OR_SLASH: {
                String p = prefix();
                return sectionName.equals(p)
                        || sectionName.length() > p.length() && sectionName.startsWith(p) && sectionName.charAt(p.length()) == '/';
            }
            default:
                return sectionName.equals(pattern);
        }
    }

    /** The expected attach type as an enum constant, when this build knows the id. */
    public Optional<AttachType> expectedAttachType() {
        return Optional.ofNullable(AttachType.ofId(expectedAttachTypeId));
    }

    public boolean sleepable() {
        return flags.contains(SecFlag.SLEEPABLE);
    }

    /** The flag bits as libbpf's {@code cookie}. */
    public int flagBits() {
        int bits = 0;
        for (SecFlag f : flags) {
            bits |= f.bit();
        }
        return bits;
    }
}
