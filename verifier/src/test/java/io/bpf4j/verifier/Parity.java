package io.bpf4j.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.isa.abi.MapShape;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.testdata.KernelVerifier;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One program judged by both verifiers in the same run: the running kernel (through the oracle
 * harness) and bpf4j. The kernel's verdict and error line are the expectation; nothing is a
 * golden taken from bpf4j.
 */
final class Parity {
    private final ProgramType type;
    private final List<Instruction> insns;
    private final List<MapShape> maps = new ArrayList<>();
    /** The values frozen maps hold (both sides get the same; zeros when not given). */
    private final java.util.Map<Integer, byte[]> frozenValues = new java.util.HashMap<>();
    private int logLevel = 1;

    private Parity(ProgramType type, List<Instruction> insns) {
        this.type = type;
        this.insns = insns;
    }

    static Parity of(ProgramType type, Instruction... insns) {
        return new Parity(type, Arrays.asList(insns));
    }

    static Parity socket(Instruction... insns) {
        return of(ProgramType.SOCKET_FILTER, insns);
    }

    Parity maps(MapShape... m) {
        maps.addAll(Arrays.asList(m));
        return this;
    }

    /** The value the frozen map at {@code index} holds at key 0, in the kernel and for bpf4j. */
    Parity frozenValue(int index, byte[] value) {
        frozenValues.put(index, value.clone());
        return this;
    }

    private byte[] frozenValue(int index) {
        return frozenValues.computeIfAbsent(index, i -> new byte[maps.get(i).valueSize()]);
    }

    Parity logLevel(int level) {
        this.logLevel = level;
        return this;
    }

    /** What both said. */
    record Outcome(KernelVerifier.Verdict kernel, boolean accepted, String message, String log, VerifierStats stats) {
    }

    /** The kernel's verdict for this program: the expectation of every assertion below. */
    KernelVerifier.Verdict kernel() {
        List<KernelVerifier.MapDef> defs = new ArrayList<>();
        for (int i = 0; i < maps.size(); i++) {
            MapShape m = maps.get(i);
            KernelVerifier.MapDef d = def(m);
            defs.add(m.frozen() ? d.readOnly(frozenValue(i)) : d);
        }
        byte[] code = InstructionCodec.encode(insns, ByteOrder.LITTLE_ENDIAN);
        return KernelVerifier.require().verify(KernelVerifier.Program.of(type.id(), code).withMaps(defs).withLogLevel(logLevel));
    }

    private static KernelVerifier.MapDef def(MapShape m) {
        KernelVerifier.MapDef d = KernelVerifier.MapDef.of(m.type().id(), m.keySize(), m.valueSize(), m.maxEntries())
                .withFlags(m.flags());
        if (m.inner().isPresent()) {
            d = d.withInner(def(m.inner().get()));
        }
        if (m.frozen()) {
            d = d.readOnly(new byte[m.valueSize()]);
        }
        return d;
    }

    Outcome run() {
        KernelVerifier.Verdict k = kernel();
        // the harness creates maps without names: so must bpf4j's copies be, for messages to compare
        List<MapShape> unnamed = new ArrayList<>();
        for (MapShape m : maps) {
            unnamed.add(m.toBuilder().name("").build());
        }
        java.util.Map<Integer, byte[]> values = new java.util.HashMap<>();
        for (int i = 0; i < maps.size(); i++) {
            if (maps.get(i).frozen()) {
                values.put(i, frozenValue(i));
            }
        }
        VerifierInput in = VerifierInput.builder(insns, type).maps(unnamed).frozenValues(values).logLevel(logLevel).build();
        try {
            VerifiedProgram p = Verifier.verify(in);
            StatsRecorder.record(k.log(), p.log());
            return new Outcome(k, true, null, p.log(), p.stats());
        } catch (VerifierException e) {
            StatsRecorder.record(k.log(), e.log());
            return new Outcome(k, false, e.kernelMessage(), e.log(), e.stats());
        }
    }

    /** Same verdict and, for a rejection, the same error line; returns the outcome for further checks. */
    Outcome agrees() {
        Outcome o = run();
        String ctx = "kernel log:\n" + o.kernel().log() + "\nbpf4j log:\n" + o.log();
        assertThat(o.accepted()).as("verdict (kernel: %s, bpf4j: %s)\n%s", o.kernel().summary(), o.message(), ctx)
                .isEqualTo(o.kernel().accepted());
        if (!o.accepted()) {
            assertThat(o.message()).as(ctx).isEqualTo(kernelMessage(o.kernel()));
        }
        return o;
    }

    /**
     * The kernel's error line; a few messages have no newline, so the statistics line runs into
     * them (the message is what precedes it).
     */
    static String kernelMessage(KernelVerifier.Verdict v) {
        String line = v.errorLine();
        if (line == null) {
            return null;
        }
        int glued = line.indexOf("processed ");
        return glued > 0 && line.matches(".*processed \\d+ insns .*mark_read \\d+$") ? line.substring(0, glued) : line;
    }

    /** As {@link #agrees()}, and the kernel rejects it (so the test covers the rule it names). */
    Outcome rejected() {
        Outcome o = agrees();
        assertThat(o.kernel().accepted()).as("the kernel accepts this program: " + o.kernel().log()).isFalse();
        return o;
    }

    /** As {@link #accepted()}, and the same {@code processed ...} statistics line (exploration and pruning). */
    Outcome acceptedSameStats() {
        Outcome o = accepted();
        assertThat(statsLine(o.log())).as("kernel log:\n" + o.kernel().log() + "\nbpf4j log:\n" + o.log())
                .isEqualTo(statsLine(o.kernel().log()));
        return o;
    }

    /**
     * At log level 2: the same precision-tracking lines ({@code mark_precise:}, {@code force_precise:},
     * {@code frame N: propagating}) in the same order, and the same statistics line.
     */
    Outcome sameBacktracking() {
        logLevel = 2;
        Outcome o = agrees();
        String ctx = "kernel log:\n" + o.kernel().log() + "\nbpf4j log:\n" + o.log();
        assertThat(precisionLines(o.log())).as(ctx).isEqualTo(precisionLines(o.kernel().log()));
        assertThat(precisionLines(o.kernel().log())).as("the program exercises backtracking").isNotEmpty();
        assertThat(statsLine(o.log())).as(ctx).isEqualTo(statsLine(o.kernel().log()));
        return o;
    }

    static List<String> precisionLines(String log) {
        List<String> out = new ArrayList<>();
        for (String l : log.split("\n")) {
            if (l.startsWith("mark_precise:") || l.startsWith("force_precise:") || l.matches("frame \\d+: propagating .*")) {
                out.add(l);
            }
        }
        return out;
    }

    static String statsLine(String log) {
        for (String l : log.split("\n")) {
            if (l.startsWith("processed ")) {
                return l;
            }
        }
        return null;
    }

    /** As {@link #agrees()}, and the kernel accepts it. */
    Outcome accepted() {
        Outcome o = agrees();
        assertThat(o.kernel().accepted()).as("the kernel rejects this program: " + o.kernel().log()).isTrue();
        return o;
    }
}
