package io.bpf4j.verifier;

import static io.bpf4j.verifier.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.JumpOp;
import io.bpf4j.isa.Size;
import io.bpf4j.isa.abi.MapShape;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.isa.abi.ProgramType;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Any bytes give a verdict: mutated programs (bit flips, random slots, truncation, odd map
 * shapes) end in a {@link VerifiedProgram} or a {@link VerifierException}, never in another
 * exception, never in a hang, and never in bpf4j's internal-error rejection.
 */
class FuzzTest {
    private static final long SEED = 0xb9f4_2026L;
    private static final ProgramType[] TYPES = {ProgramType.SOCKET_FILTER, ProgramType.XDP, ProgramType.SCHED_CLS,
            ProgramType.KPROBE, ProgramType.CGROUP_SKB, ProgramType.TRACEPOINT, ProgramType.RAW_TRACEPOINT};

    private static List<Instruction[]> seeds() {
        List<Instruction[]> s = new ArrayList<>();
        s.add(new Instruction[] {mov(0, 0), exit()});
        s.add(new Instruction[] {ldx(Size.W, 2, 1, 0), ldx(Size.W, 3, 1, 4), movr(4, 2), alu(AluOp.ADD, 4, 14),
                jmpr(JumpOp.JGT, 4, 3, 1), ldx(Size.B, 0, 2, 13), mov(0, 2), exit()});
        s.add(new Instruction[] {st(Size.W, 10, -4, 0), movr(2, 10), alu(AluOp.ADD, 2, -4), ldMap(1, 0), call(1),
                jmp(JumpOp.JEQ, 0, 0, 1), ldx(Size.W, 0, 0, 0), mov(0, 0), exit()});
        s.add(new Instruction[] {mov(0, 0), alu(AluOp.ADD, 0, 1), jmp(JumpOp.JLT, 0, 10, -2), exit()});
        s.add(new Instruction[] {mov(1, 3), callLocal(1), exit(), movr(0, 1), exit()});
        s.add(new Instruction[] {ldMap(1, 1), mov(2, 8), mov(3, 0), call(131), jmp(JumpOp.JEQ, 0, 0, 4),
                st(Size.DW, 0, 0, 1), movr(1, 0), mov(2, 0), call(132), mov(0, 0), exit()});
        s.add(new Instruction[] {stx(Size.DW, 10, -8, 1), ldx(Size.DW, 2, 10, -8), ldx(Size.W, 0, 2, 0),
                ldMapValue(3, 2, 0), ldx(Size.DW, 4, 3, 0), exit()});
        return s;
    }

    private static List<MapShape> randomMaps(Random rnd) {
        List<MapShape> maps = new ArrayList<>();
        maps.add(MapShape.builder(MapType.ARRAY).name("a").keySize(4).valueSize(1 + rnd.nextInt(64)).maxEntries(1 + rnd.nextInt(4)).build());
        maps.add(MapShape.builder(MapType.RINGBUF).name("rb").maxEntries(4096).build());
        MapType[] types = MapType.values();
        maps.add(MapShape.builder(types[rnd.nextInt(types.length)]).name("r").keySize(rnd.nextInt(16)).valueSize(rnd.nextInt(64))
                .maxEntries(rnd.nextInt(8)).flags(rnd.nextBoolean() ? MapShape.F_RDONLY_PROG : 0).frozen(rnd.nextBoolean()).build());
        return maps;
    }

    private static byte[] mutate(Random rnd, byte[] code) {
        byte[] b = code.clone();
        int kind = b.length < 8 ? 4 : rnd.nextInt(5);
        switch (kind) {
            case 0 -> {
                for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> {
                int slot = rnd.nextInt(b.length / 8);
                for (int i = 0; i < 8; i++) {
                    b[slot * 8 + i] = (byte) rnd.nextInt(256);
                }
            }
            case 2 -> b = java.util.Arrays.copyOf(b, Math.max(1, b.length - 1 - rnd.nextInt(8)));
            case 3 -> {
                int slot = rnd.nextInt(b.length / 8);
                b[slot * 8 + 2] = (byte) (rnd.nextInt(7) - 3); // jump offsets nearby
            }
            default -> {
                byte[] c = new byte[b.length + 8];
                System.arraycopy(b, 0, c, 0, b.length);
                for (int i = 0; i < 8; i++) {
                    c[b.length + i] = (byte) rnd.nextInt(256);
                }
                b = c;
            }
        }
        return b;
    }

    @Test
    void mutatedProgramsAlwaysGetAVerdict() {
        Random rnd = new Random(SEED);
        List<Instruction[]> seeds = seeds();
        int accepted = 0;
        int rejected = 0;
        int rounds = Integer.getInteger("bpf4j.fuzzRounds", 3000);
        for (int round = 0; round < rounds; round++) {
            Instruction[] seed = seeds.get(rnd.nextInt(seeds.size()));
            byte[] code = InstructionCodec.encode(List.of(seed), ByteOrder.LITTLE_ENDIAN);
            for (int m = 0, n = 1 + rnd.nextInt(3); m < n; m++) {
                code = mutate(rnd, code);
            }
            Instructions insns = InstructionCodec.decode(code, ByteOrder.LITTLE_ENDIAN);
            ProgramType type = TYPES[rnd.nextInt(TYPES.length)];
            List<MapShape> maps = randomMaps(rnd);
            int logLevel = rnd.nextInt(3);
            // a level-2 log of a loop to the limit is ~900 bytes a step: the bounded log keeps its end
            VerifierInput in = VerifierInput.builder(insns, type).maps(maps)
                    .logLevel(logLevel).limits(new VerifierLimits(100_000, 8192, 1 << 20)).build();
            int r = round;
            String outcome = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try {
                    Verifier.verify(in);
                    return null;
                } catch (VerifierException e) {
                    return e.kernelMessage();
                }
            }, () -> "round " + r + " hung");
            if (outcome == null) {
                accepted++;
            } else {
                assertThat(outcome).as("round %d: %s", round, insns).doesNotStartWith("bpf4j: internal error");
                if (Boolean.getBoolean("bpf4j.fuzzVerbose")) {
                    System.out.println("FUZZ " + outcome.replaceAll("[0-9]+", "N"));
                }
                rejected++;
            }
        }
        assertThat(accepted + rejected).isEqualTo(rounds);
        assertThat(accepted).isPositive();
    }
}
