package io.bpf4j.loader;

import java.util.List;

/**
 * What CO-RE did to one instruction ({@code bpf_core_apply_relo} in libbpf), as
 * {@link BpfObject#coreRelocations()} reports it and {@code bpf4j inspect --core} shows it.
 *
 * @param reloIndex     the relocation number libbpf uses ({@code relo #N})
 * @param insnIndex     the patched instruction's slot index in the program
 * @param kind          the relocation kind in libbpf's words, lower case ({@code field_byte_offset}, {@code type_exists}, ...)
 * @param accessString  the raw access string, e.g. {@code "0:22"}
 * @param localTypeId   the local root type id
 * @param localType     the local root type as libbpf prints it ({@code struct task_struct___old})
 * @param localSpec     the local spec in libbpf's format
 * @param targetTypeId  the matched target root type id; 0 when no candidate matched
 * @param targetType    the matched target type, or empty
 * @param targetBtf     where the target type lives: {@code vmlinux}, a module's name, or the file given
 * @param targetSpec    the first matching candidate's spec in libbpf's format, or empty
 * @param candidates    how many target candidates were tried
 * @param originalValue the value computed from the local BTF
 * @param newValue      the value patched in, a u64 bit pattern (0 when poisoned)
 * @param poisoned      whether the instruction was replaced by libbpf's invalid call
 * @param poisonReason  why it was poisoned, empty otherwise
 * @param log           libbpf's debug and warning lines for this relocation, in order
 */
public record CoreRelocation(int reloIndex, int insnIndex, String kind, String accessString, int localTypeId,
                             String localType, String localSpec, int targetTypeId, String targetType, String targetBtf,
                             String targetSpec, int candidates, long originalValue, long newValue, boolean poisoned,
                             String poisonReason, List<String> log) {
    /** Copies the log. */
    public CoreRelocation {
        log = List.copyOf(log);
    }

    static CoreRelocation of(io.bpf4j.relocator.core.CoreReloResult r) {
        return new CoreRelocation(r.reloIndex(), r.insnIndex(), r.kind().name().toLowerCase(java.util.Locale.ROOT),
                r.accessString(), r.localTypeId(), r.localType(), r.localSpec(), r.targetTypeId(), r.targetType(),
                r.targetBtf(), r.targetSpec(), r.candidates(), r.originalValue(), r.newValue(), r.poisoned(),
                r.poisonReason(), r.log() == null ? List.of() : r.log());
    }
}
