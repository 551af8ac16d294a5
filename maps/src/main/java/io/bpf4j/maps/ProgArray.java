package io.bpf4j.maps;

/**
 * {@code BPF_MAP_TYPE_PROG_ARRAY}: the targets of {@code bpf_tail_call}.
 *
 * <p>User-space updates write a u32 program id, resolved through
 * {@link MapFactory#registerProgram}; lookups return the id. Update flags other than
 * {@code BPF_ANY} are {@code EINVAL}; an index past the end is {@code E2BIG}.
 */
public interface ProgArray extends BpfMap {
    /** The program in slot {@code index}, or {@code null} (what a tail call falls through on). */
    ProgramRef program(int index);

    /** Puts {@code program} into slot {@code index} ({@code E2BIG} past the end). */
    void setProgram(int index, ProgramRef program);
}
