package io.bpf4j.bench;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfExt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing one object completely: ELF sections, symbols and relocations, then BTF and BTF.ext
 * (reading the models forces every lazily parsed part). The default object is the largest one
 * in testdata/objects. {@link #parseVmlinuxBtf} parses the running kernel's raw BTF
 * ({@code /sys/kernel/btf/vmlinux}, several MB), read into memory once before measuring.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ParseBenchmark {
    /** An object path; empty means the largest object under testdata/objects. */
    @Param("")
    public String object;

    private byte[] bytes;

    @Setup
    public void load() throws IOException {
        Path path = object.isEmpty() ? Corpus.largestObject() : Path.of(object);
        bytes = Files.readAllBytes(path);
        System.err.println("parsing " + path + " (" + bytes.length + " bytes)");
    }

    @Benchmark
    public void parseElfBtfAndExt(Blackhole bh) {
        ElfObject elf = ElfObject.read(bytes);
        bh.consume(elf.symbols().size());
        bh.consume(elf.relocationSections().size());
        Btf btf = elf.btf().orElse(null);
        bh.consume(btf == null ? 0 : btf.types().size());
        BtfExt ext = elf.btfExt().orElse(null);
        bh.consume(ext);
    }

    /** The kernel's BTF, read once; the benchmark fails at setup when the file is not readable. */
    @State(Scope.Benchmark)
    public static class KernelBtf {
        byte[] bytes;

        @Setup
        public void load() throws IOException {
            bytes = Files.readAllBytes(Path.of("/sys/kernel/btf/vmlinux"));
            System.err.println("parsing /sys/kernel/btf/vmlinux (" + bytes.length + " bytes)");
        }
    }

    /**
     * Parses raw vmlinux BTF: a copy of the bytes (as btf__new copies them), header, every type
     * record checked (strings stay in place, as in libbpf).
     */
    @Benchmark
    public int parseVmlinuxBtf(KernelBtf kernel) {
        return Btf.parse(kernel.bytes).typeCount();
    }

    /**
     * The same without the copy ({@code Btf.wrap}: the array is read in place), as bpf4j's own
     * readers parse bytes they read themselves; libbpf's side still copies.
     */
    @Benchmark
    public int parseVmlinuxBtfInPlace(KernelBtf kernel) {
        return Btf.wrap(kernel.bytes, Btf.orderOf(kernel.bytes)).typeCount();
    }
}
