package io.bpf4j.loader;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfDumper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The BTF of an object file or a raw BTF file ({@code /sys/kernel/btf/vmlinux}), read as
 * {@code bpftool btf dump file F} reads it, and printed in bpftool's forms.
 *
 * <pre>{@code
 * BpfBtf btf = BpfBtf.read(Path.of("/sys/kernel/btf/vmlinux"));
 * System.out.print(btf.formatC());      // the vmlinux.h of bpftool btf dump file F format c
 * }</pre>
 */
public final class BpfBtf {
    private final Btf btf;

    private BpfBtf(Btf btf) {
        this.btf = btf;
    }

    /**
     * Reads the BTF of {@code path}: an ELF object's {@code .BTF} section, or a raw BTF file
     * (starting with the BTF magic {@code 0xeb9f}, either byte order).
     *
     * @throws UncheckedIOException           when the file cannot be read
     * @throws io.bpf4j.isa.BpfException      when it is neither, is malformed, or an ELF object has no {@code .BTF}
     */
    public static BpfBtf read(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("btf: cannot read '" + path + "'", e);
        }
        return parse(bytes);
    }

    /** {@link #read(Path)} from memory. */
    public static BpfBtf parse(byte[] bytes) {
        if (isElf(bytes)) {
            return ElfObject.read(bytes).btf().map(BpfBtf::new)
                    .orElseThrow(() -> new io.bpf4j.isa.BpfException("no .BTF section"));
        }
        return new BpfBtf(Btf.parse(bytes));
    }

    /** The BTF of an open object, if it has any. */
    public static Optional<BpfBtf> of(BpfObject object) {
        return object.spec().btf().map(BpfBtf::new);
    }

    private static boolean isElf(byte[] b) {
        return b.length >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
    }

    /** How many types there are, without the void type 0. */
    public int typeCount() {
        return btf.types().size();
    }

    /** bpftool's raw text form ({@code bpftool btf dump file F}): one line per type, members indented. */
    public String dump() {
        return BtfDumper.dump(btf);
    }

    /**
     * bpftool's JSON form ({@code bpftool -j btf dump file F}) as maps, lists, strings and
     * numbers, ready for any JSON writer: {@code {"types": [...]}}.
     */
    public Map<String, Object> toJson() {
        return BtfDumper.json(btf);
    }

    /**
     * C declarations of every type, as {@code bpftool btf dump file F format c} prints them (the
     * {@code vmlinux.h} of CO-RE programs), in libbpf's order and form.
     */
    public String formatC() {
        return BtfCFormat.format(btf);
    }

    /** {@code BpfBtf[N types]}. */
    @Override
    public String toString() {
        return "BpfBtf[" + typeCount() + " types]";
    }
}
