package io.bpf4j.verifier.internal;

import io.bpf4j.verifier.LineInfo;

/** The kernel's {@code verbose_linfo}: a source line, printed once per change of line. */
final class Linfo {
    private Linfo() {}

    static void print(VLog log, Program prog, int insn, String prefix) {
        if (!log.on()) {
            return;
        }
        LineInfo li = prog.lineFor(insn);
        LineInfo prev = log.prevLinfo;
        if (li == null || li == prev) {
            return;
        }
        // records that differ only in the column print the same text: the kernel skips them
        if (prev != null && li.line() == prev.line() && java.util.Objects.equals(li.fileName(), prev.fileName())) {
            return;
        }
        log.verbose(prefix);
        String text = li.sourceText() == null ? "" : li.sourceText();
        int k = 0;
        while (k < text.length() && isSpace(text.charAt(k))) {
            k++;
        }
        String file = li.fileName() == null ? "" : li.fileName();
        int slash = file.lastIndexOf('/');
        log.verbose(text.substring(k) + " @ " + file.substring(slash + 1) + ":" + li.line() + "\n");
        log.prevLinfo = li;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }
}
