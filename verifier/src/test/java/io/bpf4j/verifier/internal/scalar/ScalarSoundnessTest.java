package io.bpf4j.verifier.internal.scalar;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.JumpOp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Soundness with a fixed seed: for random abstract values and concrete members of them, the
 * concrete result of every operation is a member of the abstract result, and the concrete outcome
 * of every jump is allowed by is_branch_taken and lies in the refined states of its edge.
 */
class ScalarSoundnessTest {
    private static final int PAIRS = Integer.getInteger("bpf4j.scalarSoundnessPairs", 40_000);
    private static final AluOp[] OPS = {AluOp.ADD, AluOp.SUB, AluOp.MUL, AluOp.DIV, AluOp.OR, AluOp.AND, AluOp.LSH,
        AluOp.RSH, AluOp.MOD, AluOp.XOR, AluOp.ARSH, AluOp.NEG, AluOp.MOV};
    private static final JumpOp[] JUMPS = {JumpOp.JEQ, JumpOp.JGT, JumpOp.JGE, JumpOp.JSET, JumpOp.JNE, JumpOp.JSGT,
        JumpOp.JSGE, JumpOp.JLT, JumpOp.JLE, JumpOp.JSLT, JumpOp.JSLE};

    private final List<String> failures = new ArrayList<>();
    private long checks;

    private void expect(boolean ok, String what) {
        checks++;
        if (!ok && failures.size() < 20) {
            failures.add(what);
        }
    }

    @Test
    void aluResultsContainTheConcreteResults() {
        AbstractValues gen = new AbstractValues(0x51a1a5L);
        for (int i = 0; i < PAIRS; i++) {
            Scalar a = gen.next();
            long ka = gen.lastMember;
            Scalar b = gen.random().nextInt(3) == 0 ? Scalar.constant(gen.interesting() & 63) : gen.next();
            long kb = b.isConst() ? b.constValue() : gen.lastMember;
            for (AluOp op : OPS) {
                for (boolean alu64 : new boolean[] {true, false}) {
                    int off = (op == AluOp.DIV || op == AluOp.MOD) && gen.random().nextBoolean() ? 1 : 0;
                    Scalar r = a.alu(op, alu64, b, off);
                    for (int k = 0; k < 3; k++) {
                        long x = gen.member(a, ka);
                        long y = gen.member(b, kb);
                        long c = Concrete.alu(op, alu64, x, y, off);
                        expect(r.contains(c), op + (alu64 ? "64 " : "32 ") + a + " (" + x + ") , " + b + " (" + y
                                + ") = " + c + " not in " + r);
                    }
                }
            }
        }
        System.out.println("alu soundness: " + checks + " checks");
        assertThat(failures).isEmpty();
    }

    @Test
    void unaryResultsContainTheConcreteResults() {
        AbstractValues gen = new AbstractValues(0x0c0e4ceL);
        for (int i = 0; i < PAIRS; i++) {
            Scalar a = gen.next();
            long ka = gen.lastMember;
            for (int k = 0; k < 3; k++) {
                long x = gen.member(a, ka);
                for (int bytes : new int[] {1, 2, 4}) {
                    expect(a.coerceToSize(bytes).contains(Concrete.zeroExtend(x, bytes)), "coerce" + bytes + " " + a);
                    expect(a.signExtendFrom(bytes).contains(Concrete.signExtend(x, bytes)), "ldsx" + bytes + " " + a);
                    expect(a.movsx(bytes * 8, true).contains(Concrete.signExtend(x, bytes)), "movsx64 " + bytes + " " + a);
                    if (bytes < 4) {
                        long w = Integer.toUnsignedLong((int) Concrete.signExtend(x, bytes));
                        expect(a.movsx(bytes * 8, false).contains(w), "movsx32 " + bytes + " " + a);
                    }
                }
                for (int bits : new int[] {16, 32, 64}) {
                    expect(a.bswap(bits).contains(Concrete.bswap(x, bits)), "bswap" + bits + " " + a);
                    expect(a.endian(true, bits).contains(Concrete.bswap(x, bits)), "be" + bits + " " + a);
                    expect(a.endian(false, bits).contains(Concrete.zeroExtend(x, bits / 8)), "le" + bits + " " + a);
                }
                expect(a.zext32().contains(x & 0xffff_ffffL), "zext32 " + a);
                expect(a.neg(true).contains(-x), "neg64 " + a);
                expect(a.neg(false).contains(Integer.toUnsignedLong(-(int) x)), "neg32 " + a);
                expect(a.sync().contains(x), "sync " + a);
            }
        }
        System.out.println("unary soundness: " + checks + " checks");
        assertThat(failures).isEmpty();
    }

    @Test
    void branchDecisionsAndRefinementsContainTheConcreteOutcome() {
        AbstractValues gen = new AbstractValues(0xb4a2c4L);
        for (int i = 0; i < PAIRS; i++) {
            Scalar a = gen.next();
            long ka = gen.lastMember;
            Scalar b = gen.random().nextInt(2) == 0 ? Scalar.constant(gen.interesting()) : gen.next();
            long kb = b.isConst() ? b.constValue() : gen.lastMember;
            for (JumpOp op : JUMPS) {
                for (boolean jmp32 : new boolean[] {false, true}) {
                    int pred = a.isBranchTaken(op, jmp32, b);
                    BranchRefinement ref = a.refine(op, jmp32, b);
                    for (int k = 0; k < 3; k++) {
                        long x = gen.member(a, ka);
                        long y = gen.member(b, kb);
                        boolean t = Concrete.jump(op, jmp32, x, y);
                        String what = op + (jmp32 ? "32 " : " ") + a + " (" + x + ") , " + b + " (" + y + ") " + t;
                        expect(pred < 0 || (pred == 1) == t, "decided wrongly: " + what);
                        if (pred < 0) {
                            Scalar d = t ? ref.dstIfTaken() : ref.dstIfNotTaken();
                            Scalar s = t ? ref.srcIfTaken() : ref.srcIfNotTaken();
                            expect(d.contains(x) && s.contains(y), "refined wrongly: " + what + " -> " + d + " , " + s);
                            expect(t ? ref.takenPossible() : ref.notTakenPossible(), "live edge reported dead: " + what);
                        }
                    }
                }
                int self = a.isBranchTakenSelf(op, false);
                long x = gen.member(a, ka);
                expect(self < 0 || (self == 1) == Concrete.jump(op, false, x, x), "self decided wrongly " + op + " " + a);
            }
        }
        System.out.println("branch soundness: " + checks + " checks");
        assertThat(failures).isEmpty();
    }

    @Test
    void withinMeansEveryMemberIsAMember() {
        AbstractValues gen = new AbstractValues(0x3171L);
        int within = 0;
        for (int i = 0; i < PAIRS; i++) {
            Scalar old = gen.next();
            long ko = gen.lastMember;
            // a narrower value: the old one refined by a random comparison, or an unrelated one
            Scalar cur = gen.random().nextBoolean() ? old.refine(JUMPS[gen.random().nextInt(JUMPS.length)], false,
                    Scalar.constant(gen.member(old, ko))).dstIfTaken() : gen.next();
            if (!cur.within(old)) {
                continue;
            }
            within++;
            for (int k = 0; k < 4; k++) {
                long x = gen.member(cur.varOff());
                expect(!cur.contains(x) || old.contains(x), "within but " + x + " in " + cur + " not in " + old);
            }
        }
        System.out.println("within: " + within + " pairs, " + checks + " checks");
        assertThat(within).isGreaterThan(PAIRS / 10);
        assertThat(failures).isEmpty();
    }
}
