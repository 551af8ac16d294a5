package io.bpf4j.verifier;

import java.util.List;
import java.util.Optional;

/**
 * Why the verifier rejected a program, beyond the kernel's one error line: the instructions on
 * the failing path that made the offending value what it is (a backward slice over the path the
 * verifier walked, as PREVAIL reports failures), each with its source line, and, where the rule
 * implies one, a sentence saying what would make the program acceptable.
 *
 * @param rule  the kind of rule the program broke
 * @param slice the instructions that matter, in path order; the last one is the rejected instruction
 *              (empty for rejections of the whole program, such as a malformed layout)
 * @param hint  what would make the program acceptable, when the rule implies it
 */
public record Explanation(Rule rule, List<Step> slice, Optional<String> hint) {

    /** The rules an explanation names; {@link #OTHER} for any rejection without a more specific explanation. */
    public enum Rule {
        /** A packet access beyond the range the program proved against {@code data_end}. */
        PACKET_RANGE,
        /** A dereference (or use as a non-null argument) of a pointer that may be NULL. */
        NULL_POINTER,
        /** A map value, stack or memory access at an unbounded, negative or too large variable offset. */
        VARIABLE_OFFSET,
        /** A map value, key or memory access outside its bounds at a constant offset. */
        OUT_OF_BOUNDS,
        /** A read of a register that is not initialized on this path. */
        UNINIT_REGISTER,
        /** A read of stack bytes that were never written on this path. */
        UNINIT_STACK,
        /** A helper or kfunc argument of the wrong type. */
        HELPER_ARGUMENT,
        /** A reference (ringbuf record, socket...) still held at the program's exit. */
        REFERENCE_LEAK,
        /** A return value outside the range the program type allows, or not a number. */
        RETURN_VALUE,
        /** A {@code callx} through something that is not a function pointer it may call. */
        INDIRECT_CALL,
        /** A call-table load or store the rules refuse (index, alignment, size, writes). */
        CALL_TABLE,
        /** A {@code gotox} or jump-table access the rules refuse. */
        JUMP_TABLE,
        /** Any other rejection: the slice names the rejected instruction and what its operands came from. */
        OTHER
    }

    /**
     * One instruction of the slice.
     *
     * @param insn   the instruction's slot index
     * @param text   the instruction as the kernel's log prints it ({@code (85) call bpf_map_lookup_elem#1})
     * @param source the line_info record covering it, or null when the program has no line info
     * @param role   what it did to the values that matter ({@code R0 = may be NULL}, {@code checks R2 against R3})
     */
    public record Step(int insn, String text, LineInfo source, String role) {
        /** The source line, if the program carries line info. */
        public Optional<LineInfo> sourceLine() {
            return Optional.ofNullable(source);
        }
    }

    /** Immutable copies. */
    public Explanation {
        slice = List.copyOf(slice);
        hint = hint == null ? Optional.empty() : hint;
    }

    /** The instruction slots of the slice, in path order. */
    public List<Integer> insns() {
        return slice.stream().map(Step::insn).toList();
    }

    /**
     * The explanation as text, one slice step a line ({@code   12: (bf) r2 = r1   ; R2 = ...   @ file.c:42 text})
     * and the hint last ({@code hint: ...}).
     */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (Step s : slice) {
            sb.append(String.format("%5d: %-36s ; %s", s.insn(), s.text(), s.role()));
            if (s.source() != null) {
                String file = s.source().fileName() == null ? "" : s.source().fileName();
                String text = s.source().sourceText() == null ? "" : s.source().sourceText().strip();
                sb.append("   @ ").append(file.substring(file.lastIndexOf('/') + 1)).append(':').append(s.source().line());
                if (!text.isEmpty()) {
                    sb.append(": ").append(text);
                }
            }
            sb.append('\n');
        }
        hint.ifPresent(h -> sb.append("hint: ").append(h).append('\n'));
        return sb.toString();
    }
}
