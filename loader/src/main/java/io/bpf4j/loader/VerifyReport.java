package io.bpf4j.loader;

import io.bpf4j.isa.BpfException;
import io.bpf4j.verifier.VerifierStats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * bpf4j's verifier over programs, reported as veristat reports the kernel's: one {@link Entry}
 * per program with veristat's statistics, written as veristat's CSV ({@link #csv}) or as a JSON
 * array keyed by the same names plus the facts a build report needs ({@link #json}). The
 * {@code bpf4j verify} command and the Maven plugin's {@code verify} goal both write these.
 */
public final class VerifyReport {
    /** veristat's CSV columns, in its order (tools/testing/selftests/bpf/veristat.c). */
    public static final List<String> CSV_COLUMNS = List.of("file_name", "prog_name", "verdict", "duration",
            "total_insns", "total_states", "peak_states", "max_states_per_insn", "max_mark_read_len");

    /** veristat's order: file name, then program name. */
    public static final Comparator<Entry> ORDER = Comparator.comparing(Entry::file).thenComparing(Entry::program);

    private VerifyReport() {
    }

    /**
     * One program's outcome.
     *
     * @param file             the object's file name (no directory), as veristat shows it
     * @param program          the program name
     * @param status           the verifier's outcome ({@link ProgramVerification.Status#REJECTED} also
     *                         when relocation refused the program before the verifier saw it)
     * @param durationUs       verification time in microseconds
     * @param totalInsns       instructions processed
     * @param totalStates      states created
     * @param peakStates       states at the peak
     * @param maxStatesPerInsn most states kept at one instruction
     * @param markReadMaxLen   longest read-mark chain
     * @param stackDepth       stack bytes of all frames
     * @param progType         bpftool's program type name
     * @param attachType       bpftool's expected attach type name, or null
     * @param error            the kernel-format error line (or relocation error) of a failure, else null
     * @param source           where in the C source a rejection stopped, or null
     * @param log              the verifier log at the requested level
     * @param targets          each {@code callx}/{@code gotox} of an accepted program by instruction slot, with the
     *                         slots the verifier proved it may go to ({@link ProgramVerification#indirectTargets()})
     * @param explanation      why a rejected program was rejected ({@link ProgramVerification#explanation()}), or null
     */
    public record Entry(String file, String program, ProgramVerification.Status status, long durationUs, long totalInsns,
                        long totalStates, long peakStates, long maxStatesPerInsn, long markReadMaxLen, long stackDepth,
                        String progType, String attachType, String error, SourceLocation source, String log,
                        java.util.SortedMap<Integer, List<Integer>> targets, RejectionExplanation explanation) {
        /** A missing log becomes {@code ""}, missing targets none. */
        public Entry {
            log = log == null ? "" : log;
            targets = targets == null ? java.util.Collections.emptySortedMap()
                    : java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(targets));
        }

        /** An entry without an explanation. */
        public Entry(String file, String program, ProgramVerification.Status status, long durationUs, long totalInsns,
                     long totalStates, long peakStates, long maxStatesPerInsn, long markReadMaxLen, long stackDepth,
                     String progType, String attachType, String error, SourceLocation source, String log,
                     java.util.SortedMap<Integer, List<Integer>> targets) {
            this(file, program, status, durationUs, totalInsns, totalStates, peakStates, maxStatesPerInsn, markReadMaxLen,
                    stackDepth, progType, attachType, error, source, log, targets, null);
        }

        /** An entry without indirect targets. */
        public Entry(String file, String program, ProgramVerification.Status status, long durationUs, long totalInsns,
                     long totalStates, long peakStates, long maxStatesPerInsn, long markReadMaxLen, long stackDepth,
                     String progType, String attachType, String error, SourceLocation source, String log) {
            this(file, program, status, durationUs, totalInsns, totalStates, peakStates, maxStatesPerInsn, markReadMaxLen,
                    stackDepth, progType, attachType, error, source, log, null, null);
        }

        /** veristat's verdict: success only for a program the verifier accepted. */
        public boolean success() {
            return status == ProgramVerification.Status.ACCEPTED;
        }

        /** The values of {@link #CSV_COLUMNS}, as veristat prints them. */
        public List<String> csvCells() {
            return List.of(file, program, success() ? "success" : "failure", Long.toString(durationUs),
                    Long.toString(totalInsns), Long.toString(totalStates), Long.toString(peakStates),
                    Long.toString(maxStatesPerInsn), Long.toString(markReadMaxLen));
        }

        /**
         * The JSON object of this entry: the CSV names (numbers as numbers), then
         * {@code stack_depth}, {@code prog_type}, {@code attach_type}, {@code status}, {@code error},
         * {@code source} ({@code "file.c:LINE"} or null), {@code targets} (one {@code {"insn": SLOT,
         * "targets": [SLOT...]}} per {@code callx} and {@code gotox}), {@code explanation} (a rejection's
         * {@link RejectionExplanation#jsonFields()}, else null) and {@code log} (its lines).
         */
        public Map<String, Object> jsonFields() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file_name", file);
            m.put("prog_name", program);
            m.put("verdict", success() ? "success" : "failure");
            m.put("duration", durationUs);
            m.put("total_insns", totalInsns);
            m.put("total_states", totalStates);
            m.put("peak_states", peakStates);
            m.put("max_states_per_insn", maxStatesPerInsn);
            m.put("max_mark_read_len", markReadMaxLen);
            m.put("stack_depth", stackDepth);
            m.put("prog_type", progType);
            m.put("attach_type", attachType);
            m.put("status", status.name().toLowerCase(Locale.ROOT));
            m.put("error", error);
            m.put("source", source == null ? null : source.toString());
            List<Map<String, Object>> indirect = new ArrayList<>();
            targets.forEach((insn, to) -> {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("insn", insn);
                t.put("targets", to);
                indirect.add(t);
            });
            m.put("targets", indirect);
            m.put("explanation", explanation == null ? null : explanation.jsonFields());
            String text = log.endsWith("\n") ? log.substring(0, log.length() - 1) : log;
            m.put("log", text.isEmpty() ? List.of() : List.of(text.split("\n", -1)));
            return m;
        }

        /**
         * The one-line diagnostic of a failure: {@code prog 'NAME' in FILE: <error line> (SOURCE.c:LINE)}
         * (the place only when known).
         */
        public String diagnostic() {
            return "prog '" + program + "' in " + file + ": " + (error == null ? "rejected" : error)
                    + (source == null ? "" : " (" + source + ")");
        }
    }

    /**
     * Verifies {@code program} as {@link BpfProgram#verify(LoadOptions)} does (the statistics bit
     * is added to the options' log level) and reports it under {@code file}. A program that
     * relocation refuses is a failure carrying the relocation's message, as libbpf fails before
     * {@code BPF_PROG_LOAD}.
     */
    public static Entry verify(String file, BpfProgram program, LoadOptions options) {
        String type = program.type().displayName();
        String attach = program.expectedAttachType().map(a -> a.displayName()).orElse(null);
        ProgramVerification v;
        try {
            v = program.verify(options.toBuilder().logLevel(options.logLevel() | 4).build());
        } catch (BpfException e) {
            return new Entry(file, program.name(), ProgramVerification.Status.REJECTED, 0, 0, 0, 0, 0, 0, 0, type, attach,
                    e.getMessage(), null, "");
        }
        VerifierStats s = v.stats();
        long stack = 0;
        if (s != null) {
            for (int d : s.stackDepths()) {
                stack += d;
            }
        }
        return new Entry(file, program.name(), v.status(),
                s == null ? 0 : s.verificationTime().toNanos() / 1000, s == null ? 0 : s.processedInsns(),
                s == null ? 0 : s.totalStates(), s == null ? 0 : s.peakStates(), s == null ? 0 : s.maxStatesPerInsn(),
                s == null ? 0 : s.markRead(), stack, type, attach, v.errorLine().orElse(null),
                v.sourceLocation().orElse(null), v.log(), v.indirectTargets(), v.explanation().orElse(null));
    }

    /** veristat's CSV of {@code entries} (header line, one line per entry, in the given order). */
    public static String csv(List<Entry> entries) {
        StringBuilder sb = new StringBuilder(String.join(",", CSV_COLUMNS)).append('\n');
        for (Entry e : entries) {
            sb.append(String.join(",", e.csvCells())).append('\n');
        }
        return sb.toString();
    }

    /** A JSON array of {@link Entry#jsonFields()}, one object per line. */
    public static String json(List<Entry> entries) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < entries.size(); i++) {
            sb.append(i == 0 ? "\n" : ",\n");
            appendJson(sb, entries.get(i).jsonFields());
        }
        return sb.append(entries.isEmpty() ? "]\n" : "\n]\n").toString();
    }

    private static void appendJson(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof Number || value instanceof Boolean) {
            sb.append(value);
        } else if (value instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sb.append(first ? "" : ",");
                first = false;
                appendJson(sb, e.getKey().toString());
                sb.append(':');
                appendJson(sb, e.getValue());
            }
            sb.append('}');
        } else if (value instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                sb.append(i == 0 ? "" : ",");
                appendJson(sb, list.get(i));
            }
            sb.append(']');
        } else {
            String s = value.toString();
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }
    }

    /** Entries in veristat's order. */
    public static List<Entry> sorted(List<Entry> entries) {
        List<Entry> out = new ArrayList<>(entries);
        out.sort(ORDER);
        return out;
    }
}
