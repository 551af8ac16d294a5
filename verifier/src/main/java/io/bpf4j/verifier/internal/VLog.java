package io.bpf4j.verifier.internal;

/**
 * The verifier log with the kernel's semantics: {@link #reset} moves the end back but keeps the
 * bytes before it (which later writes may already have changed), exactly what makes level 1's
 * rewound trace look the way it does. Error lines are remembered even at level 0, so the
 * exception can carry the kernel's message without a log buffer.
 *
 * <p>Positions are absolute, as the kernel's {@code start_pos}/{@code end_pos} are: a log longer
 * than its buffer keeps only its last {@code logSize - 1} bytes (the rotating log of 6.4+), and a
 * reset to a position before the kept part empties it. The builder may hold more than the kept
 * part for a while; it is trimmed in bulk so that appending stays amortised constant time.
 */
final class VLog {
    static final int LEVEL1 = 1;
    static final int LEVEL2 = 2;
    static final int STATS = 4;

    private final StringBuilder sb = new StringBuilder();
    final int level;
    /** What the buffer keeps: log_size less the terminating NUL. */
    private final long capacity;
    /** Absolute position of sb's first char. */
    private long bufferStart;
    /** The kernel's start_pos: the first byte the user's buffer still holds. */
    private long keptStart;
    /** The kernel's len_max: the longest the log has been, the log_true_size it reports. */
    private long maxEnd;
    /** Where the last instruction line ended (0: none yet), the kernel's prev_log_pos. */
    long prevLogPos;
    /** Length of the last instruction line, the kernel's prev_insn_print_pos. */
    int prevInsnPrintPos;
    private String lastLine = "";
    /** The error line before {@link #lastLine} (the kernel prints some rejections as two lines). */
    private String previousLine = "";
    /** The last source line printed (the kernel's prev_linfo), reset per verification unit. */
    io.bpf4j.verifier.LineInfo prevLinfo;

    VLog(int level, int logSize) {
        this.level = level;
        this.capacity = logSize - 1L;
    }

    VLog(int level) {
        this(level, io.bpf4j.verifier.VerifierLimits.DEFAULT_LOG_SIZE);
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
            wrote();
        }
    }

    void verbose(CharSequence s) {
        if (on()) {
            sb.append(s);
            wrote();
        }
    }

    private void wrote() {
        long end = pos();
        maxEnd = Math.max(maxEnd, end);
        if (end - keptStart > capacity) {
            keptStart = end - capacity;
            if (keptStart - bufferStart > Math.max(capacity, 1 << 16)) {
                sb.delete(0, (int) (keptStart - bufferStart));
                bufferStart = keptStart;
            }
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

    /** A rejection no speculative path recovers from (the kernel's E2BIG and ENOMEM limits). */
    Reject rejectFatal(String line) {
        error(line);
        return new Reject(true);
    }

    String lastLine() {
        return lastLine;
    }

    String previousLine() {
        return previousLine;
    }

    long pos() {
        return bufferStart + sb.length();
    }

    void reset(long pos) {
        if (pos >= pos()) {
            return;
        }
        if (pos < bufferStart) {
            sb.setLength(0);
            bufferStart = pos;
        } else {
            sb.setLength((int) (pos - bufferStart));
        }
        keptStart = Math.min(keptStart, pos);
    }

    /** Whether the log outgrew its buffer at some point (the kernel's bpf_vlog_truncated: ENOSPC). */
    boolean truncated() {
        return maxEnd > capacity;
    }

    /** The kernel's log_true_size: the longest the log has been, with its NUL (0 when nothing was written). */
    long trueSize() {
        return maxEnd == 0 ? 0 : maxEnd + 1;
    }

    /** The kept part of the log: what the user's buffer holds at the end. */
    @Override
    public String toString() {
        return sb.substring((int) (keptStart - bufferStart));
    }
}
