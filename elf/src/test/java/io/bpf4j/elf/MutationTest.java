package io.bpf4j.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfDumper;
import io.bpf4j.elf.btf.BtfException;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.isa.BpfException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged objects: truncations, seeded byte flips and header fields set to extremes. Each case
 * must end in a model or in one of our exceptions, within a short time, and a model must
 * survive being printed, dumped and decoded.
 */
class MutationTest {
    private static final Duration PER_CASE = Duration.ofSeconds(2);
    private static final int SMALL_OBJECT = 16 * 1024;
    private static final AtomicLong CASES = new AtomicLong();
    private static final AtomicLong REJECTED = new AtomicLong();

    static Stream<Path> objects() {
        return Corpus.objects().stream();
    }

    @AfterAll
    static void report() {
        System.out.println("mutation cases: " + CASES.get() + ", rejected with a typed exception: " + REJECTED.get());
    }

    /** One damaged input. */
    record Case(String what, byte[] bytes) {}

    @ParameterizedTest
    @MethodSource("objects")
    void truncations(Path object) throws IOException {
        byte[] good = Files.readAllBytes(object);
        List<Case> cases = new ArrayList<>();
        int step = good.length <= SMALL_OBJECT ? 1 : Math.max(1, good.length / 2000);
        for (int len = 0; len < good.length; len += step) {
            cases.add(new Case("truncated to " + len, java.util.Arrays.copyOf(good, len)));
        }
        runAll(object, cases);
    }

    @ParameterizedTest
    @MethodSource("objects")
    void randomByteFlips(Path object) throws IOException {
        byte[] good = Files.readAllBytes(object);
        Random random = new Random(object.getFileName().toString().hashCode());
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            byte[] b = good.clone();
            int flips = 1 + random.nextInt(4);
            StringBuilder what = new StringBuilder("flip");
            for (int f = 0; f < flips; f++) {
                int at = random.nextInt(b.length);
                b[at] ^= (byte) (1 + random.nextInt(255));
                what.append(' ').append(at);
            }
            cases.add(new Case(what.toString(), b));
        }
        runAll(object, cases);
    }

    @ParameterizedTest
    @MethodSource("objects")
    void headerFieldsAtExtremes(Path object) throws IOException {
        byte[] good = Files.readAllBytes(object);
        ElfObject o = ElfObject.read(good);
        ByteOrder order = o.byteOrder();
        List<Case> cases = new ArrayList<>();
        long len = good.length;
        long shoff = ByteBuffer.wrap(good).order(order).getLong(0x28);
        // ELF header: e_shoff (8 bytes), e_shentsize, e_shnum, e_shstrndx (2 bytes each).
        extremes(cases, good, order, 0x28, 8, "e_shoff", len);
        extremes(cases, good, order, 0x3a, 2, "e_shentsize", len);
        extremes(cases, good, order, 0x3c, 2, "e_shnum", len);
        extremes(cases, good, order, 0x3e, 2, "e_shstrndx", len);
        extremes(cases, good, order, 0x10, 2, "e_type", len);
        extremes(cases, good, order, 0x12, 2, "e_machine", len);
        for (ElfSection s : o.sections()) {
            int h = (int) shoff + s.index() * 64;
            String n = "section(" + s.index() + ") ";
            extremes(cases, good, order, h, 4, n + "sh_name", len);
            extremes(cases, good, order, h + 4, 4, n + "sh_type", len);
            extremes(cases, good, order, h + 24, 8, n + "sh_offset", len);
            extremes(cases, good, order, h + 32, 8, n + "sh_size", len);
            extremes(cases, good, order, h + 40, 4, n + "sh_link", len);
            extremes(cases, good, order, h + 44, 4, n + "sh_info", len);
            extremes(cases, good, order, h + 56, 8, n + "sh_entsize", len);
        }
        ElfSection symtab = o.sections().stream().filter(s -> s.type() == SectionType.SYMTAB).findFirst().orElse(null);
        if (symtab != null) {
            int count = o.symbols().size();
            for (int i = 0; i < count; i += Math.max(1, count / 40)) {
                int at = (int) symtab.offset() + i * 24;
                extremes(cases, good, order, at, 4, "symbol #" + i + " st_name", len);
                extremes(cases, good, order, at + 6, 2, "symbol #" + i + " st_shndx", len);
                extremes(cases, good, order, at + 8, 8, "symbol #" + i + " st_value", len);
            }
        }
        for (RelocationSection rs : o.relocationSections()) {
            int count = rs.relocations().size();
            for (int i = 0; i < count; i += Math.max(1, count / 10)) {
                int at = (int) rs.section().offset() + i * 16;
                extremes(cases, good, order, at, 8, rs.section().name() + " relo #" + i + " r_offset", len);
                // r_info: the symbol index is the high 32 bits, the type the low 32 bits.
                int symAt = order == ByteOrder.LITTLE_ENDIAN ? at + 12 : at + 8;
                int typeAt = order == ByteOrder.LITTLE_ENDIAN ? at + 8 : at + 12;
                extremes(cases, good, order, symAt, 4, rs.section().name() + " relo #" + i + " symbol", len);
                extremes(cases, good, order, typeAt, 4, rs.section().name() + " relo #" + i + " type", len);
            }
        }
        o.section(".BTF").ifPresent(btf -> {
            int base = (int) btf.offset();
            for (int f = 4; f < 24; f += 4) {
                extremes(cases, good, order, base + f, 4, ".BTF header +" + f, btf.size());
            }
            cases.add(new Case(".BTF version 2", with(good, base + 2, 2)));
            cases.add(new Case(".BTF flags 1", with(good, base + 3, 1)));
            // Type records: the first 60 types' name, info and size/type words.
            ByteBuffer bb = ByteBuffer.wrap(good).order(order);
            int typesAt = base + bb.getInt(base + 4) + bb.getInt(base + 8);
            Btf parsed = o.btf().get();
            int p = typesAt;
            for (BtfType t : parsed.types().subList(0, Math.min(60, parsed.types().size()))) {
                for (int w = 0; w < 12; w += 4) {
                    extremes(cases, good, order, p + w, 4, "type [" + t.id() + "] word " + w / 4, btf.size());
                }
                p += recordSize(good, order, p);
            }
        });
        o.section(".BTF.ext").ifPresent(ext -> {
            int base = (int) ext.offset();
            int hdr = ByteBuffer.wrap(good).order(order).getInt(base + 4);
            for (int f = 4; f < Math.min(hdr, 32); f += 4) {
                extremes(cases, good, order, base + f, 4, ".BTF.ext header +" + f, ext.size());
            }
            // The record size and first block header of each sub-section.
            for (int f = 8; f < Math.min(hdr, 32); f += 8) {
                int sub = base + hdr + ByteBuffer.wrap(good).order(order).getInt(base + f);
                for (int w = 0; w < 16 && sub + w + 4 <= base + ext.size(); w += 4) {
                    extremes(cases, good, order, sub + w, 4, ".BTF.ext sub-section +" + f + " word " + w / 4, ext.size());
                }
            }
        });
        runAll(object, cases);
    }

    private static int recordSize(byte[] b, ByteOrder order, int p) {
        int info = ByteBuffer.wrap(b).order(order).getInt(p + 4);
        int kind = info >>> 24 & 0x1f;
        int vlen = info & 0xffff;
        switch (kind) {
            case 1: case 14: case 17: return 16;
            case 3: return 24;
            case 4: case 5: case 15: case 19: return 12 + 12 * vlen;
            case 6: case 13: return 12 + 8 * vlen;
            default: return 12;
        }
    }

    private static byte[] with(byte[] good, int at, int value) {
        byte[] b = good.clone();
        b[at] = (byte) value;
        return b;
    }

    /** Cases with the field at {@code at} set to 0, all ones, the signed maximum, and just past {@code end}. */
    private static void extremes(List<Case> out, byte[] good, ByteOrder order, int at, int width, String field, long end) {
        long[] values = {0, -1, width == 8 ? Long.MAX_VALUE : (1L << (width * 8 - 1)) - 1, end, end + 1, end - 1, 1};
        for (long v : values) {
            if (at < 0 || at + width > good.length) continue;
            byte[] b = good.clone();
            ByteBuffer bb = ByteBuffer.wrap(b).order(order);
            switch (width) {
                case 2: bb.putShort(at, (short) v); break;
                case 4: bb.putInt(at, (int) v); break;
                default: bb.putLong(at, v); break;
            }
            out.add(new Case(field + " = " + v, b));
        }
    }

    /**
     * Runs the cases on one preemptible worker: a hang fails the batch at its deadline, and
     * each case must also finish within {@link #PER_CASE} on its own.
     */
    private static void runAll(Path object, List<Case> cases) {
        Duration batch = PER_CASE.plusMillis(50L * cases.size());
        assertTimeoutPreemptively(batch, () -> {
            for (Case c : cases) {
                long start = System.nanoTime();
                check(c);
                long took = System.nanoTime() - start;
                assertThat(Duration.ofNanos(took)).as("%s: %s", object.getFileName(), c.what()).isLessThan(PER_CASE);
            }
        }, () -> object.getFileName() + ": the batch of " + cases.size() + " cases did not finish in time");
    }

    private static void check(Case c) {
        CASES.incrementAndGet();
        ElfObject o;
        try {
            o = ElfObject.read(c.bytes());
        } catch (BpfException e) {
            REJECTED.incrementAndGet();
            assertThat(e.getMessage()).as(c.what()).isNotBlank();
            return;
        } catch (RuntimeException | Error e) {
            throw new AssertionError(c.what() + ": escaped as " + e, e);
        }
        try {
            exercise(o);
        } catch (BtfException e) {
            // A lookup into a damaged but parseable BTF (a size loop, a missing size) is typed too.
        } catch (RuntimeException | Error e) {
            throw new AssertionError(c.what() + ": using the model threw " + e, e);
        }
    }

    private static void exercise(ElfObject o) {
        assertThat(o.toString()).isNotEmpty();
        for (ElfSection s : o.sections()) {
            assertThat(s.toString()).isNotEmpty();
            s.data();
            o.symbolsIn(s);
            o.relocationsFor(s);
            if (s.isExecutable()) o.instructions(s);
        }
        o.symbols().forEach(ElfSymbol::toString);
        o.relocationSections().forEach(RelocationSection::toString);
        o.btfExt().ifPresent(BtfExt -> BtfExt.toString());
        o.btf().ifPresent(btf -> {
            BtfDumper.dump(btf);
            for (BtfType t : btf.types()) {
                try {
                    btf.resolve(t.id());
                    btf.sizeOf(t.id());
                } catch (BtfException expected) {
                    // void, FUNC and friends have no size; damaged ones may loop
                }
            }
        });
    }
}
