package io.bpf4j.elf.btf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import io.bpf4j.testdata.KernelFacts;
import org.junit.jupiter.api.Test;

/** The running kernel's BTF: raw-format parsing at full scale, compared with bpftool on the same file. */
@Tag("kernel")
class KernelBtfTest {
    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    private static byte[] vmlinux() throws IOException {
        KernelFacts.assume(Files.isReadable(VMLINUX) ? null : VMLINUX + " is not readable on this host");
        return Files.readAllBytes(VMLINUX);
    }

    @Test
    void parsesVmlinuxQuickly() throws IOException {
        byte[] data = vmlinux();
        long best = Long.MAX_VALUE;
        Btf btf = null;
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            btf = Btf.parse(data);
            best = Math.min(best, System.nanoTime() - start);
        }
        System.out.printf("vmlinux BTF: %d bytes, %d types, best parse of 5: %.1f ms%n", data.length, btf.typeCount() - 1, best / 1e6);
        assertThat(TimeUnit.NANOSECONDS.toMillis(best)).as("parse time in ms").isLessThan(2000);
        BtfType task = btf.findByName("task_struct", BtfKind.STRUCT).orElseThrow();
        assertThat(btf.sizeOf(task.id())).isEqualTo(((BtfType.Struct) task).size());
        Map<BtfKind, Integer> kinds = new EnumMap<>(BtfKind.class);
        for (BtfType t : btf.types()) {
            kinds.merge(t.kind(), 1, Integer::sum);
            btf.resolve(t.id());
            if (t instanceof BtfType.Composite || t instanceof BtfType.Int || t instanceof BtfType.Enumeration) {
                assertThat(btf.sizeOf(t.id())).isEqualTo(sizeField(t));
            }
        }
        assertThat(Btf.read(VMLINUX).typeCount()).isEqualTo(btf.typeCount());
        assertThat(kinds).containsKeys(BtfKind.INT, BtfKind.STRUCT, BtfKind.FUNC, BtfKind.FUNC_PROTO, BtfKind.DATASEC, BtfKind.VAR);
    }

    private static long sizeField(BtfType t) {
        if (t instanceof BtfType.Composite) return ((BtfType.Composite) t).size();
        if (t instanceof BtfType.Int) return ((BtfType.Int) t).size();
        return ((BtfType.Enumeration) t).size();
    }

    /** Damaged copies of the kernel's BTF end in a typed exception or a usable model, quickly. */
    @Test
    void damagedVmlinuxFailsTyped() throws IOException {
        byte[] data = vmlinux();
        java.util.List<byte[]> cases = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            cases.add(java.util.Arrays.copyOf(data, (int) ((long) data.length * i / 40)));
        }
        java.nio.ByteOrder order = Btf.orderOf(data);
        for (int field = 4; field < 24; field += 4) {
            for (int v : new int[] {0, -1, Integer.MAX_VALUE, data.length, data.length / 2 & ~3}) {
                byte[] b = data.clone();
                java.nio.ByteBuffer.wrap(b).order(order).putInt(field, v);
                cases.add(b);
            }
        }
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20; i++) {
            byte[] b = data.clone();
            b[24 + random.nextInt(b.length - 24)] ^= (byte) 0xff;
            cases.add(b);
        }
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(120), () -> {
            for (byte[] b : cases) {
                try {
                    Btf btf = Btf.parse(b);
                    assertThat(btf.toString()).isNotEmpty();
                } catch (io.bpf4j.isa.BpfException expected) {
                    assertThat(expected).isInstanceOf(BtfException.class);
                }
            }
        });
    }

    /** bpftool is the reference for the dump format; the kernel's BTF has every kind the kernel uses. */
    @Test
    void dumpEqualsBpftool() throws Exception {
        byte[] data = vmlinux();
        Path bpftool = Path.of("/usr/sbin/bpftool");
        KernelFacts.assume(Files.isExecutable(bpftool) ? null : "bpftool is not installed");
        Process p = new ProcessBuilder(bpftool.toString(), "btf", "dump", "file", VMLINUX.toString()).redirectErrorStream(true).start();
        String expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        String actual = BtfDumper.dump(Btf.parse(data));
        // Compared line by line first so that a difference is reported where it is, not as a 10 MB blob.
        String[] a = actual.split("\n", -1);
        String[] e = expected.split("\n", -1);
        for (int i = 0; i < Math.min(a.length, e.length); i++) {
            if (!a[i].equals(e[i])) {
                assertThat(a[i]).as("line %d", i + 1).isEqualTo(e[i]);
            }
        }
        assertThat(a.length).isEqualTo(e.length);
    }
}
