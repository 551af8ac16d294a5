package io.bpf4j.verifier.internal;

/**
 * The verifier log with the kernel's semantics: {@link #reset} moves the end back but keeps the
 * bytes before it (which later writes may already have changed), exactly what makes level 1's
 * rewound trace look the way it does. Error lines are remembered even at level 0, so the
 * exception can carry the kernel's message without a log buffer.
 */
final class VLog {
    static final int LEVEL1 = 1;
    static final int LEVEL2 = 2;
    static final int STATS = 4;

    private final StringBuilder sb = new StringBuilder();
    final int level;
    /** Where the last instruction line ended (0: none yet), the kernel's prev_log_pos. */
    int prevLogPos;
    /** Length of the last instruction line, the kernel's prev_insn_print_pos. */
    int prevInsnPrintPos;
    private String lastLine = "";
    /** The error line before {@link #lastLine} (the kernel prints some rejections as two lines). */
    private String previousLine = "";
    /** The last source line printed (the kernel's prev_linfo), reset per verification unit. */
    io.bpf4j.verifier.LineInfo prevLinfo;

    VLog(int level) {
        this.level = level;
    }

    boolean on() {
        return level != 0;
    }

    boolean level1() {
        return (level & (LEVEL1 | LEVEL2)) != 0;
    }

    boolean level2() {
        return (level & LEVEL2) != 0;
    }

    /** Unconditional message (errors and summaries): written at any non-zero level. */
    void verbose(String s) {
        if (on()) {
            sb.append(s);
        }
    }

    void verbose(CharSequence s) {
        if (on()) {
            sb.append(s);
        }
    }

    /** An error line (without the newline): logged and remembered as the kernel message. */
    void error(String line) {
        previousLine = lastLine;
        lastLine = line;
        verbose(line);
        verbose("\n");
    }

    /** An error line without a trailing newline, as a few kernel messages are. */
    void errorNoNewline(String line) {
        previousLine = lastLine;
        lastLine = line;
        verbose(line);
    }

    Reject reject(String line) {
        error(line);
        return new Reject();
    }

    String lastLine() {
        return lastLine;
    }

    String previousLine() {
        return previousLine;
    }

    int pos() {
        return sb.length();
    }

    void reset(int pos) {
        if (pos < sb.length()) {
            sb.setLength(pos);
        }
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
