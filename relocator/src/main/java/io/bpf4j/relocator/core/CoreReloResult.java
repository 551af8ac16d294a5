package io.bpf4j.relocator.core;

import io.bpf4j.elf.btf.CoreReloKind;
import io.bpf4j.isa.Instruction;
import java.util.List;

/**
 * What one CO-RE relocation did: everything {@code inspect --core} shows.
 *
 * @param reloIndex      the relocation number libbpf uses ({@code relo #N}): the record's index
 *                       in its section's {@code .BTF.ext} block
 * @param insnIndex      the patched instruction's slot index in the program
 * @param kind           the relocation kind
 * @param accessString   the raw access string, e.g. {@code "0:22"}
 * @param localTypeId    the local root type id
 * @param localType      the local root type as libbpf prints it, e.g. {@code "struct task_struct___old"}
 * @param localSpec      the local spec in libbpf's format, e.g.
 *                       {@code "<byte_off> [7] struct task_struct.pid (0:22 @ offset 1234)"}
 * @param targetTypeId   the matched target root type id; 0 when no candidate matched; the
 *                       local id for TYPE_ID_LOCAL, which has no target
 * @param targetType     the matched target type, e.g. {@code "struct task_struct"}, or
 *                       {@code "not found"}
 * @param targetBtf      where the target type lives: {@code "vmlinux"}, a module's name, or
 *                       {@code "local"} for TYPE_ID_LOCAL; empty when not found
 * @param targetSpec     the first matching candidate's spec in libbpf's format, or empty
 * @param candidates     how many target candidates were tried (after earlier relocations
 *                       of the same local type pruned non-matching ones, as libbpf does)
 * @param matched        how many of them matched (all agreeing, or relocation fails)
 * @param originalValue  the value computed from the local BTF (what the instruction is
 *                       expected to hold), a u64 bit pattern
 * @param newValue       the value patched in, a u64 bit pattern (0 when poisoned)
 * @param poisoned       whether the instruction was replaced by libbpf's invalid call
 *                       ({@code call 0xbad2310}): loading only fails if it is reachable
 * @param poisonReason   why it was poisoned, empty otherwise
 * @param before         the instruction before patching
 * @param after          the instruction after patching (the first half when an
 *                       {@code ld_imm64} was poisoned into two calls)
 * @param log            libbpf's debug and warning lines for this relocation, in order
 */
public record CoreReloResult(int reloIndex, int insnIndex, CoreReloKind kind, String accessString,
                             int localTypeId, String localType, String localSpec,
                             int targetTypeId, String targetType, String targetBtf, String targetSpec,
                             int candidates, int matched,
                             long originalValue, long newValue, boolean poisoned, String poisonReason,
                             Instruction before, Instruction after, List<String> log) {
    /** libbpf's poison immediate: "bad relo". The verifier reports it as {@code invalid func unknown#195896080}. */
    public static final int POISON_IMM = 0xbad2310;

    public CoreReloResult {
        log = List.copyOf(log);
    }

    /**
     * {@return a one-line summary in libbpf's grammar}, e.g.
     * {@code prog 'p': relo #3: <byte_off> [7] struct task_struct.pid (0:22 @ offset 1234) => [112] struct task_struct: 1234 -> 2328}
     */
    public String explain(String progName) {
        StringBuilder sb = new StringBuilder("prog '").append(progName).append("': relo #").append(reloIndex).append(": ")
                .append(localSpec).append(" => ");
        if (targetTypeId == 0 && kind != CoreReloKind.TYPE_ID_LOCAL) {
            sb.append("not found");
        } else {
            sb.append('[').append(Integer.toUnsignedString(targetTypeId)).append("] ").append(targetType);
        }
        sb.append(": insn #").append(insnIndex).append(' ');
        if (poisoned) {
            sb.append("poisoned (").append(poisonReason).append(')');
        } else {
            sb.append(Long.toUnsignedString(originalValue)).append(" -> ").append(Long.toUnsignedString(newValue));
        }
        return sb.toString();
    }
}
