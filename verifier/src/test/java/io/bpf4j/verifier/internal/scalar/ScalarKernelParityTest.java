package io.bpf4j.verifier.internal.scalar;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.JumpOp;
import io.bpf4j.verifier.internal.scalar.ScalarProgram.Insn;
import io.bpf4j.verifier.internal.scalar.ScalarProgram.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Random scalar programs run through the live kernel's verifier (log level 2) and through the
 * Java model; every register state the kernel prints must equal {@link Scalar#appendTo}.
 */
@Tag("kernel")
class ScalarKernelParityTest {
    private static final Pattern INSN_LINE = Pattern.compile("^(\\d+): \\([0-9a-f]{2}\\) .*?(?: +; (.*))?$");
    private static final Pattern FROM_LINE = Pattern.compile("^from (\\d+) to (\\d+): (.*)$");
    private static final Pattern REG = Pattern.compile("(?:^| )R(\\d+)=");
    private static final Pattern ID = Pattern.compile("id=\\d+(?:[+-]\\d+)?,?");
    private static final int[] IMMS = {0, 1, -1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 0xff, 0x100, 0xfff, 0xffff,
        0x10000, 0x7fffffff, Integer.MIN_VALUE, -2, -16, -256, -4096, 0x8000, 0x7fff, 0x12345678, 0xf0, 0xf00};

    @BeforeAll
    static void kernel() {
        KernelVerifierLog.assumeKernel();
    }

    @Test
    void randomProgramsMatchTheKernelLog() throws IOException {
        Random rnd = new Random(Long.getLong("bpf4j.scalarParitySeed", 0x5ca1a4L));
        int programs = Integer.getInteger("bpf4j.scalarParityPrograms", 400);
        int compared = 0;
        List<String> failures = new ArrayList<>();
        for (int n = 0; n < programs && failures.size() < 10; n++) {
            ScalarProgram p = randomProgram(rnd, 24);
            compared += compare(p, failures);
        }
        System.out.println("scalar parity: " + programs + " programs, " + compared + " register states compared");
        assertThat(failures).isEmpty();
        assertThat(compared).isGreaterThan(programs);
    }

    static ScalarProgram randomProgram(Random rnd, int length) {
        ScalarProgram p = ScalarProgram.withPrologue();
        for (int i = 0; i < length; i++) {
            int dst = 6 + rnd.nextInt(4);
            int src = rnd.nextInt(3) == 0 ? -1 : 6 + rnd.nextInt(4);
            int imm = rnd.nextInt(4) == 0 ? rnd.nextInt() >> rnd.nextInt(32) : IMMS[rnd.nextInt(IMMS.length)];
            boolean wide = rnd.nextInt(3) != 0;
            int kind = rnd.nextInt(100);
            if (kind < 45) {
                AluOp op = AluOp.values()[rnd.nextInt(AluOp.values().length)];
                if (op == AluOp.NEG || op == AluOp.MOV) {
                    op = AluOp.AND;
                }
                int off = 0;
                if (op == AluOp.DIV || op == AluOp.MOD) {
                    off = rnd.nextInt(2);
                    if (src < 0 && imm == 0) {
                        imm = 3;
                    }
                }
                if ((op == AluOp.LSH || op == AluOp.RSH || op == AluOp.ARSH) && src < 0) {
                    imm = Math.floorMod(imm, wide ? 64 : 32);
                }
                p.alu(op, wide, dst, src, imm, off);
            } else if (kind < 50) {
                p.add(new Insn(Kind.NEG, AluOp.NEG, null, wide, dst, -1, 0, 0, "neg " + dst));
            } else if (kind < 54) {
                int bits = 16 << rnd.nextInt(3);
                int be = rnd.nextInt(2);
                p.add(new Insn(Kind.END, null, null, wide, dst, wide ? 0 : be, 0, bits, "end" + bits + " " + dst));
            } else if (kind < 58) {
                int bits = wide ? 8 << rnd.nextInt(3) : 8 << rnd.nextInt(2);
                int off = rnd.nextInt(4) == 0 ? 0 : bits;
                p.add(new Insn(Kind.MOV, AluOp.MOV, null, wide, dst, dst, off, 0, "movsx" + off + " " + dst));
            } else if (kind < 60) {
                p.add(new Insn(Kind.MOV, AluOp.MOV, null, wide, dst, -1, 0, imm, "mov " + dst + "=" + imm));
            } else if (kind < 64) {
                int size = 1 << rnd.nextInt(3);
                int sx = rnd.nextInt(2);
                p.add(new Insn(Kind.SPILL, null, null, true, 10, dst, 0, 0, "spill r" + dst));
                p.add(new Insn(Kind.FILL, null, null, true, dst, 10, sx, size, (sx == 1 ? "ldsx" : "ldx") + size));
            } else {
                JumpOp op = JumpOp.values()[1 + rnd.nextInt(11)];
                p.add(new Insn(Kind.JMP, null, op, wide, dst, src, 0, imm, "if " + dst + " " + op.symbol() + " "
                        + (src < 0 ? Integer.toString(imm) : "r" + src) + (wide ? "" : " (32)")));
            }
        }
        return p;
    }

    /** Number of register states compared; mismatches go to {@code failures}. */
    static int compare(ScalarProgram p, List<String> failures) throws IOException {
        String log = KernelVerifierLog.load(p.encode());
        if (Boolean.getBoolean("bpf4j.scalarParityDump")) {
            System.out.println(p + log);
        }
        ScalarProgram.Expectation exp = p.model();
        int compared = 0;
        int prologue = 8;
        List<String> kernelViolations = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (line.contains("REG INVARIANTS VIOLATION")) {
                kernelViolations.add(line);
                continue;
            }
            Matcher m = INSN_LINE.matcher(line);
            Matcher f = FROM_LINE.matcher(line);
            Scalar[] want;
            String regs;
            String where;
            if (f.matches()) {
                want = exp.takenAt().get(Integer.parseInt(f.group(1)));
                regs = f.group(3);
                where = "taken edge of " + f.group(1);
            } else if (m.matches() && m.group(2) != null) {
                int idx = Integer.parseInt(m.group(1));
                if (idx < prologue || idx >= p.insns().size()) {
                    continue;
                }
                want = exp.after().get(idx);
                regs = m.group(2);
                where = "after " + idx;
            } else {
                continue;
            }
            if (want == null) {
                failures.add("kernel printed a state the model does not reach (" + where + "): " + line + "\n" + p);
                continue;
            }
            for (Map.Entry<Integer, String> e : parse(regs).entrySet()) {
                int r = e.getKey();
                if (r < 6 || r > 9 || want[r] == null) {
                    continue;
                }
                String kernel = normalize(e.getValue());
                String model = want[r].toString();
                compared++;
                if (!kernel.equals(model)) {
                    failures.add(where + " R" + r + ": kernel " + kernel + " model " + model + "\n" + p + log);
                }
            }
        }
        if (kernelViolations.size() != exp.violations().size()) {
            failures.add("invariant violations: kernel " + kernelViolations + " model " + exp.violations() + "\n" + p);
        }
        return compared;
    }

    static Map<Integer, String> parse(String regs) {
        Map<Integer, String> out = new LinkedHashMap<>();
        Matcher m = REG.matcher(regs);
        List<int[]> starts = new ArrayList<>();
        while (m.find()) {
            starts.add(new int[] {Integer.parseInt(m.group(1)), m.start(), m.end()});
        }
        for (int i = 0; i < starts.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1)[1] : regs.length();
            String v = regs.substring(starts.get(i)[2], end).trim();
            int sp = v.indexOf(" fp");
            out.put(starts.get(i)[0], sp >= 0 ? v.substring(0, sp) : v);
        }
        return out;
    }

    static String normalize(String v) {
        if (v.startsWith("P")) {
            v = v.substring(1);
        }
        return ID.matcher(v).replaceAll("");
    }
}
