package io.bpf4j.loader;

import io.bpf4j.verifier.Explanation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Why the verifier rejected a program, in the loader's terms: the instructions on the failing
 * path that made the offending value what it is (a backward slice over the path the verifier
 * walked), each with its place in the C source, and what would make the program acceptable when
 * the rule implies it. The kernel's error line and log stay as the kernel writes them; this is
 * bpf4j's addition.
 *
 * @param rule  the kind of rule broken ({@code packet_range}, {@code null_pointer}, ... {@code other})
 * @param slice the instructions that matter, in path order; the last is the rejected one
 * @param hint  what would make the program acceptable, when the rule implies it
 */
public record RejectionExplanation(String rule, List<Step> slice, Optional<String> hint) {
    /**
     * One instruction of the slice.
     *
     * @param insn   the instruction's slot index in the program
     * @param text   the instruction as the kernel's log prints it
     * @param source its place in the C source, or null without line info
     * @param role   what it did to the values that matter
     */
    public record Step(int insn, String text, SourceLocation source, String role) {
        /** Its place in the C source, if the object carries line info. */
        public Optional<SourceLocation> sourceLocation() {
            return Optional.ofNullable(source);
        }
    }

    /** Immutable copies. */
    public RejectionExplanation {
        slice = List.copyOf(slice);
        hint = hint == null ? Optional.empty() : hint;
    }

    /** The loader's view of the verifier's explanation. */
    static RejectionExplanation of(Explanation e) {
        List<Step> steps = new ArrayList<>();
        for (Explanation.Step s : e.slice()) {
            SourceLocation at = s.sourceLine().map(l -> new SourceLocation(l.fileName(), l.line(), l.sourceText())).orElse(null);
            steps.add(new Step(s.insn(), s.text(), at, s.role()));
        }
        return new RejectionExplanation(e.rule().name().toLowerCase(Locale.ROOT), steps, e.hint());
    }

    /** The instruction slots of the slice, in path order. */
    public List<Integer> insns() {
        return slice.stream().map(Step::insn).toList();
    }

    /** The source lines of the slice's steps that have one, in path order. */
    public List<Integer> lines() {
        return slice.stream().filter(s -> s.source() != null).map(s -> s.source().line()).toList();
    }

    /**
     * The explanation as text: a heading line, one line per step
     * ({@code   12: (bf) r2 = r1   ; sets R2 from R1   @ prog.bpf.c:42: int *p = ...;}) and the hint.
     */
    public String render() {
        StringBuilder sb = new StringBuilder("explanation (").append(rule).append("):\n");
        for (Step s : slice) {
            sb.append(String.format(Locale.ROOT, "%5d: %-36s ; %s", s.insn(), s.text(), s.role()));
            if (s.source() != null) {
                sb.append("   @ ").append(s.source());
                if (!s.source().text().isEmpty()) {
                    sb.append(": ").append(s.source().text());
                }
            }
            sb.append('\n');
        }
        hint.ifPresent(h -> sb.append("hint: ").append(h).append('\n'));
        return sb.toString();
    }

    /**
     * The JSON object: {@code rule}, {@code slice} (one {@code {"insn", "text", "source", "role"}}
     * per step, {@code source} as {@code "file.c:LINE"} or null) and {@code hint} (or null).
     */
    public Map<String, Object> jsonFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", rule);
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Step s : slice) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("insn", s.insn());
            j.put("text", s.text());
            j.put("source", s.source() == null ? null : s.source().toString());
            j.put("line", s.source() == null ? null : s.source().text());
            j.put("role", s.role());
            steps.add(j);
        }
        m.put("slice", steps);
        m.put("hint", hint.orElse(null));
        return m;
    }
}
