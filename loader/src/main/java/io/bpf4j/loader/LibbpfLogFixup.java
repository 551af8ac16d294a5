package io.bpf4j.loader;

import io.bpf4j.relocator.FunctionEntry;
import io.bpf4j.relocator.ObjectSpec;
import io.bpf4j.relocator.RelocatedProgram;
import io.bpf4j.relocator.core.CoreReloResult;
import io.bpf4j.relocator.core.CoreRelocation;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * libbpf's rewrite of a rejected program's verifier log ({@code fixup_verifier_log}): when the
 * program died on one of the calls libbpf poisons in its place, the two lines
 * {@code N: (85) call unknown#IMM} and {@code invalid func unknown#IMM} near the end of the log
 * are replaced by what the poison stands for, so that a user reads the cause and not the
 * encoding. libbpf looks at the last ten lines only and rewrites the first pattern it finds:
 * <ul>
 * <li>a failed CO-RE relocation ({@code 195896080}): {@code N: <invalid CO-RE relocation>} and
 *     {@code failed to resolve CO-RE relocation SPEC}, SPEC the local spec as libbpf formats it;</li>
 * <li>a map that was not created ({@code 2001000000} + map index): {@code N: <invalid BPF map reference>}
 *     and {@code BPF map 'NAME' is referenced but wasn't created};</li>
 * <li>an unresolved weak kfunc ({@code 2002000000} + extern index): {@code N: <invalid kfunc call>}
 *     and {@code kfunc 'NAME' is referenced but wasn't resolved}.</li>
 * </ul>
 */
final class LibbpfLogFixup {
    private static final int POISON_CORE = CoreReloResult.POISON_IMM;
    /** libbpf's {@code POISON_LDIMM64_MAP_BASE}, prefix {@code POISON_LDIMM64_MAP_PFX} "2001000". */
    private static final int POISON_MAP_BASE = 2001000000;
    /** libbpf's {@code POISON_CALL_KFUNC_BASE}, prefix {@code POISON_CALL_KFUNC_PFX} "2002000". */
    private static final int POISON_KFUNC_BASE = 2002000000;
    /** libbpf's {@code max_last_line_cnt}. */
    private static final int LINES_LOOKED_AT = 10;
    private static final Pattern CALL_LINE = Pattern.compile("^(\\d+): \\(\\d+\\) call unknown#(-?\\d+)$");

    private LibbpfLogFixup() {
    }

    /**
     * {@code log} as libbpf hands it to the user: unchanged unless it ends in a poisoned call that
     * libbpf explains. {@code core} is what CO-RE did to each program and subprogram, by name.
     */
    static String apply(String log, ObjectSpec obj, RelocatedProgram rp, Map<String, CoreRelocation> core) {
        if (log == null || log.isEmpty()) {
            return log;
        }
        boolean endsWithNewline = log.endsWith("\n");
        String[] lines = (endsWithNewline ? log.substring(0, log.length() - 1) : log).split("\n", -1);
        for (int i = lines.length - 1, seen = 0; i >= 0 && seen < LINES_LOOKED_AT; i--, seen++) {
            String line = lines[i];
            boolean known = line.startsWith("invalid func unknown#" + POISON_CORE)
                    || line.startsWith("invalid func unknown#2001000") || line.startsWith("invalid func unknown#2002000");
            if (!known || i == 0) {
                continue;
            }
            Optional<String[]> patch = patch(lines[i - 1], obj, rp, core);
            if (patch.isEmpty()) {
                // libbpf stops at the first pattern it recognises, whether it could explain it or not
                return log;
            }
            String[] out = new String[lines.length];
            System.arraycopy(lines, 0, out, 0, i - 1);
            out[i - 1] = patch.get()[0];
            out[i] = patch.get()[1];
            System.arraycopy(lines, i + 1, out, i + 1, lines.length - i - 1);
            return String.join("\n", Arrays.asList(out)) + (endsWithNewline ? "\n" : "");
        }
        return log;
    }

    /** The two replacement lines for the poisoned call on {@code callLine}, if libbpf would explain it. */
    private static Optional<String[]> patch(String callLine, ObjectSpec obj, RelocatedProgram rp, Map<String, CoreRelocation> core) {
        Matcher m = CALL_LINE.matcher(callLine);
        if (!m.matches()) {
            return Optional.empty();
        }
        int insn = Integer.parseInt(m.group(1));
        long imm = Long.parseLong(m.group(2));
        if (imm == POISON_CORE) {
            return coreSpec(insn, rp, core).map(spec -> new String[] {insn + ": <invalid CO-RE relocation>",
                    "failed to resolve CO-RE relocation " + spec});
        }
        long mapIndex = imm - POISON_MAP_BASE;
        if (mapIndex >= 0 && mapIndex < obj.maps().size()) {
            return Optional.of(new String[] {insn + ": <invalid BPF map reference>",
                    "BPF map '" + obj.maps().get((int) mapIndex).name() + "' is referenced but wasn't created"});
        }
        long externIndex = imm - POISON_KFUNC_BASE;
        if (externIndex >= 0 && externIndex < obj.externs().size()) {
            return Optional.of(new String[] {insn + ": <invalid kfunc call>",
                    "kfunc '" + obj.externs().get((int) externIndex).name() + "' is referenced but wasn't resolved"});
        }
        return Optional.empty();
    }

    /** The local spec of the CO-RE relocation that poisoned slot {@code insn} of the relocated program. */
    private static Optional<String> coreSpec(int insn, RelocatedProgram rp, Map<String, CoreRelocation> core) {
        for (FunctionEntry f : rp.functions()) {
            if (insn < f.startSlot() || insn >= f.startSlot() + f.slotCount()) {
                continue;
            }
            CoreRelocation r = core.get(f.name());
            if (r == null) {
                return Optional.empty();
            }
            int local = insn - f.startSlot();
            return r.results().stream().filter(x -> x.insnIndex() == local).map(CoreReloResult::localSpec).findFirst();
        }
        return Optional.empty();
    }
}
