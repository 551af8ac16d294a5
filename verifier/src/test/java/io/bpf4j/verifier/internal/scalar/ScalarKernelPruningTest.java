package io.bpf4j.verifier.internal.scalar;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.AluOp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link Scalar#within} against the kernel's pruning. r6 gets a value from random operations; a
 * jump on an unrelated register skips more operations on r6 (and filler) and lands on a check that is always
 * false ({@code if r6 > U64_MAX}), which makes r6 precise in the checkpoint the fall-through path
 * left there. When the skipped-over value of r6 is within the checkpoint's, the kernel prunes the
 * jump's path ({@code from J to L: safe}); otherwise it explores it. Only r6 is live there.
 */
@Tag("kernel")
class ScalarKernelPruningTest {
    private static final AluOp[] OPS = {AluOp.ADD, AluOp.SUB, AluOp.MUL, AluOp.OR, AluOp.AND, AluOp.LSH, AluOp.RSH,
        AluOp.XOR, AluOp.ARSH};
    private static final int[] IMMS = {1, 2, 3, 7, 8, 15, 16, 0xff, 0x100, 0xfff, -1, -2, -16, -256, 0x7fff, 31, 4};

    @BeforeAll
    static void kernel() {
        KernelVerifierLog.assumeKernel();
    }

    private record Op(AluOp op, boolean wide, int imm) {
        byte[] encode() {
            return ScalarProgram.enc((wide ? 0x07 : 0x04) | op.bits(), 6, 0, 0, imm);
        }

        Scalar apply(Scalar s) {
            return s.alu(op, wide, Scalar.constant(imm));
        }
    }

    private static Op randomOp(Random rnd) {
        AluOp op = OPS[rnd.nextInt(OPS.length)];
        boolean wide = rnd.nextInt(3) != 0;
        int imm = IMMS[rnd.nextInt(IMMS.length)];
        if (op == AluOp.LSH || op == AluOp.RSH || op == AluOp.ARSH) {
            imm = Math.floorMod(imm, wide ? 64 : 32);
        }
        return new Op(op, wide, imm);
    }

    @Test
    void prunedExactlyWhenWithin() throws IOException {
        Random rnd = new Random(Long.getLong("bpf4j.scalarPruneSeed", 0x9a11eL));
        int programs = Integer.getInteger("bpf4j.scalarPrunePrograms", 300);
        List<String> failures = new ArrayList<>();
        int safe = 0;
        int explored = 0;
        for (int n = 0; n < programs && failures.size() < 5; n++) {
            List<Op> common = new ArrayList<>();
            List<Op> skipped = new ArrayList<>();
            for (int i = 1 + rnd.nextInt(2); i > 0; i--) {
                common.add(randomOp(rnd));
            }
            for (int i = 1 + rnd.nextInt(3); i > 0; i--) {
                skipped.add(randomOp(rnd));
            }
            Scalar cur = Scalar.unknown();
            for (Op o : common) {
                cur = o.apply(cur);
            }
            Scalar old = cur;
            boolean forks = false;
            for (Op o : skipped) {
                forks |= old.forkBeforeBitwise(o.op(), Scalar.constant(o.imm())) != null;
                old = o.apply(old);
            }
            if (forks || old.isConst() || cur.isConst()) {
                continue; // a fork adds states; a constant r6 decides the check without precision
            }
            List<byte[]> insns = new ArrayList<>();
            insns.add(ScalarProgram.enc(0x85, 0, 0, 0, 7));
            insns.add(ScalarProgram.enc(0xbf, 6, 0, 0, 0));
            insns.add(ScalarProgram.enc(0x85, 0, 0, 0, 7));
            insns.add(ScalarProgram.enc(0xbf, 7, 0, 0, 0));
            for (Op o : common) {
                insns.add(o.encode());
            }
            int jump = insns.size();
            insns.add(null); // the jump, once the skipped part's length is known
            for (Op o : skipped) {
                insns.add(o.encode());
            }
            // a checkpoint is only added after 2 jumps and 8 processed instructions (the prune point
            // itself included) since the last one: none at J (at most 7), surely one at L
            while (insns.size() < 8) {
                insns.add(ScalarProgram.enc(0xb7, 8, 0, 0, 0));
            }
            int label = insns.size();
            insns.set(jump, ScalarProgram.enc(0x15, 7, 0, label - jump - 1, 0));
            insns.add(ScalarProgram.enc(0x25, 6, 0, 0, -1)); // if r6 > U64_MAX goto +0: never taken
            insns.add(ScalarProgram.enc(0xb7, 0, 0, 0, 0));
            insns.add(ScalarProgram.enc(0x95, 0, 0, 0, 0));
            String log = KernelVerifierLog.load(insns);
            String from = "from " + jump + " to " + label + ":";
            boolean kernelSafe = log.contains(from + " safe");
            boolean kernelExplored = !kernelSafe && log.contains(from);
            if (!kernelSafe && !kernelExplored) {
                failures.add("no line for the jump's edge: " + common + " / " + skipped + "\n" + log);
                continue;
            }
            boolean model = cur.within(old);
            if (model != kernelSafe) {
                failures.add("r6 " + cur + " against checkpoint " + old + ": kernel " + (kernelSafe ? "pruned" : "explored")
                        + ", within() says " + model + "\n" + log);
            }
            if (kernelSafe) {
                safe++;
            } else {
                explored++;
            }
        }
        System.out.println("pruning: " + safe + " pruned, " + explored + " explored");
        assertThat(failures).isEmpty();
        assertThat(safe).isPositive();
        assertThat(explored).isPositive();
    }
}
