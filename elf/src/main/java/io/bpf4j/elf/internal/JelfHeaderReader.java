package io.bpf4j.elf.internal;

import io.bpf4j.elf.MalformedObjectException;
import io.bpf4j.elf.NotBpfObjectException;
import java.nio.ByteOrder;
import net.fornwall.jelf.ElfFile;

/**
 * Reads the ELF file header through jelf and converts it to {@link ElfHeader}.
 *
 * <p>Only the file header goes through jelf. jelf materialises a section as soon as it is
 * touched: a symbol table allocates {@code sh_size / sh_entsize} entries and a string table
 * {@code sh_size} bytes before anything checks them against the file, so a damaged header can
 * make it divide by zero or exhaust the heap. Section headers, symbols and relocations are
 * therefore decoded by bpf4j itself from bounds-checked bytes.
 */
public final class JelfHeaderReader {
    private static final int EI_CLASS = 4;
    private static final int EI_DATA = 5;

    private JelfHeaderReader() {}

    public static ElfHeader read(byte[] file) {
        // Checked before jelf so that the common rejections carry libbpf's wording.
        if (file.length < 16 || file[0] != 0x7f || file[1] != 'E' || file[2] != 'L' || file[3] != 'F') {
            throw MalformedObjectException.ofFile("not a proper ELF object", 0);
        }
        if (file[EI_CLASS] != ElfHeader.ELFCLASS64) {
            throw new NotBpfObjectException("not a 64-bit ELF object (EI_CLASS " + file[EI_CLASS] + ")");
        }
        if (file[EI_DATA] != 1 && file[EI_DATA] != 2) {
            throw MalformedObjectException.ofFile("unknown byte order (EI_DATA " + file[EI_DATA] + ")", EI_DATA);
        }
        if (file.length < ElfHeader.SIZE) {
            throw MalformedObjectException.ofFile("file of " + file.length + " bytes is too short for an ELF header", file.length);
        }
        ElfFile elf;
        try {
            elf = ElfFile.from(file);
        } catch (RuntimeException e) {
            // jelf throws its ElfException, and IndexOutOfBounds and the like on short input.
            throw new MalformedObjectException("elf: bad ELF header: " + e.getMessage(), null, -1, 0, e);
        }
        ByteOrder order = elf.ei_data == ElfFile.DATA_LSB ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        int type = elf.e_type & 0xffff;
        int machine = elf.e_machine & 0xffff;
        if (type != ElfHeader.ET_REL) {
            throw new NotBpfObjectException("not a relocatable object (e_type " + type + ")");
        }
        if (machine != ElfHeader.EM_BPF) {
            throw new NotBpfObjectException("not a valid eBPF object file (e_machine " + machine + ", expected 247)");
        }
        return new ElfHeader(order, elf.ei_class, type, machine, elf.e_shoff, elf.e_shentsize & 0xffff,
                elf.e_shnum & 0xffff, elf.e_shstrndx & 0xffff);
    }
}
