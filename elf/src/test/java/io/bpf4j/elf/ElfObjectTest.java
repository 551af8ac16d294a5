package io.bpf4j.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.isa.Call;
import io.bpf4j.isa.Exit;
import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.isa.LoadImm64;
import io.bpf4j.isa.Slot;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ElfObjectTest {
    static Stream<ByteOrder> orders() {
        return Stream.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
    }

    /** Sections: 1 prog (code), 2 .data, 3 .strtab, 4 .symtab, 5 .relprog, 6 .shstrtab. */
    static ElfWriter object(ByteOrder order) {
        ElfWriter w = new ElfWriter(order);
        byte[] code = InstructionCodec.encode(List.of(
                new LoadImm64(new Slot(0x18, 1, 0, (short) 0, 8), new Slot(0, 0, 0, (short) 0, 0)),
                new Call(new Slot(0x85, 0, 1, (short) 0, -1)),
                new Exit(new Slot(0x95, 0, 0, (short) 0, 0))), order);
        w.add("prog", SectionType.PROGBITS, SectionType.FLAG_ALLOC | SectionType.FLAG_EXECINSTR, code, 0, 0, 0);
        w.add(".data", SectionType.PROGBITS, SectionType.FLAG_ALLOC | SectionType.FLAG_WRITE, new byte[16], 0, 0, 0);
        w.add(".strtab", SectionType.STRTAB, 0, ElfWriter.strings("main", "counter", "ext_fn"), 0, 0, 0);
        byte[] syms = ElfWriter.concat(
                w.symbol(0, 0, 0, 0, 0, 0),
                w.symbol(0, 0x03, 0, 2, 0, 0),             // 1: .data section symbol
                w.symbol(1, 0x12, 0, 1, 0, 32),            // 2: main, GLOBAL FUNC in prog
                w.symbol(6, 0x11, 2, 2, 8, 8),             // 3: counter, GLOBAL OBJECT hidden in .data
                w.symbol(14, 0x10, 0, 0, 0, 0),            // 4: ext_fn, GLOBAL NOTYPE undefined
                w.symbol(0, 0x00, 0, 0xfff1, 5, 0),        // 5: ABS
                w.symbol(0, 0x00, 0, 0xfff2, 6, 0));       // 6: COMMON
        w.add(".symtab", SectionType.SYMTAB, 0, syms, 3, 2, 24);
        w.add(".relprog", SectionType.REL, 0, ElfWriter.concat(w.rel(0, 1, 1), w.rel(16, 4, 10)), 4, 1, 16);
        return w;
    }

    @ParameterizedTest
    @MethodSource("orders")
    void readsSectionsSymbolsAndRelocations(ByteOrder order) {
        ElfObject o = ElfObject.read(object(order).bytes());
        assertThat(o.byteOrder()).isEqualTo(order);
        assertThat(o.sections()).extracting(ElfSection::name).containsExactly("", "prog", ".data", ".strtab", ".symtab", ".relprog", ".shstrtab");
        ElfSection prog = o.section("prog").orElseThrow();
        assertThat(prog.isExecutable()).isTrue();
        assertThat(o.instructions(prog)).hasSize(3).first().isInstanceOf(LoadImm64.class);
        assertThat(o.symbols()).hasSize(7);
        ElfSymbol counter = o.symbol("counter").orElseThrow();
        assertThat(counter).isEqualTo(new ElfSymbol(3, "counter", 8, 8, SymbolType.OBJECT, SymbolBinding.GLOBAL, SymbolVisibility.HIDDEN, 2));
        assertThat(o.symbol("ext_fn").orElseThrow().isUndefined()).isTrue();
        assertThat(o.symbols().get(5).isAbsolute()).isTrue();
        assertThat(o.symbols().get(6).isCommon()).isTrue();
        assertThat(o.symbolsIn(o.section(2))).extracting(ElfSymbol::index).containsExactly(1, 3);
        assertThat(o.displayName(o.symbols().get(1))).isEqualTo(".data");
        assertThat(o.displayName(counter)).isEqualTo("counter");
        RelocationSection rs = o.relocationSections().get(0);
        assertThat(rs.target()).isSameAs(prog);
        assertThat(rs.relocations()).containsExactly(
                new Relocation(0, 0, RelocationType.R_BPF_64_64, 1, o.symbols().get(1), 8),
                new Relocation(1, 16, RelocationType.R_BPF_64_32, 10, o.symbols().get(4), -1));
        assertThat(o.relocationsFor(prog)).isEqualTo(rs.relocations());
        assertThat(o.btf()).isEmpty();
        assertThat(o.toString()).contains("7 sections");
    }

    @ParameterizedTest
    @MethodSource("orders")
    void rejectsWhatIsNotA64BitBpfObject(ByteOrder order) {
        ElfWriter w = object(order);
        w.machine = 62;
        assertThatThrownBy(() -> ElfObject.read(w.bytes())).isInstanceOf(NotBpfObjectException.class).hasMessageContaining("e_machine 62");
        ElfWriter exec = object(order);
        exec.type = 2;
        assertThatThrownBy(() -> ElfObject.read(exec.bytes())).isInstanceOf(NotBpfObjectException.class);
        ElfWriter c32 = object(order);
        c32.elfClass = 1;
        assertThatThrownBy(() -> ElfObject.read(c32.bytes())).isInstanceOf(NotBpfObjectException.class).hasMessageContaining("64-bit");
        assertThatThrownBy(() -> ElfObject.read("not an object".getBytes())).isInstanceOf(MalformedObjectException.class);
        assertThatThrownBy(() -> ElfObject.read(new byte[0])).isInstanceOf(MalformedObjectException.class);
    }

    private static MalformedObjectException malformed(byte[] bytes) {
        try {
            ElfObject.read(bytes);
        } catch (MalformedObjectException e) {
            return e;
        }
        throw new AssertionError("expected a MalformedObjectException");
    }

    @ParameterizedTest
    @MethodSource("orders")
    void namesThePlaceOfTheDamage(ByteOrder order) {
        byte[] good = object(order).bytes();
        long shoff = ByteBuffer.wrap(good).order(order).getLong(0x28);
        // Section 2's sh_offset past the end of the file.
        byte[] b = good.clone();
        ByteBuffer.wrap(b).order(order).putLong((int) shoff + 2 * 64 + 24, good.length);
        MalformedObjectException e = malformed(b);
        assertThat(e.sectionIndex()).isEqualTo(2);
        assertThat(e.fileOffset()).isEqualTo(shoff + 2 * 64 + 24);
        // Symbol 3's section index out of range.
        ElfObject o = ElfObject.read(good);
        ElfSection symtab = o.section(4);
        b = good.clone();
        ByteBuffer.wrap(b).order(order).putShort((int) symtab.offset() + 3 * 24 + 6, (short) 40);
        e = malformed(b);
        assertThat(e.sectionName()).contains(".symtab");
        assertThat(e.fileOffset()).isEqualTo(symtab.offset() + 3 * 24 + 6);
        // A relocation naming symbol 99.
        ElfSection rel = o.section(5);
        b = good.clone();
        ByteBuffer.wrap(b).order(order).putLong((int) rel.offset() + 16 + 8, 99L << 32 | 10);
        e = malformed(b);
        assertThat(e.sectionName()).contains(".relprog");
        assertThat(e.getMessage()).contains("relo #1").contains("99");
        // A relocation past the end of its target.
        b = good.clone();
        ByteBuffer.wrap(b).order(order).putLong((int) rel.offset(), 32);
        e = malformed(b);
        assertThat(e.getMessage()).contains("outside section 'prog'");
        // The symbol table's string table link pointing at .data.
        b = good.clone();
        ByteBuffer.wrap(b).order(order).putInt((int) shoff + 4 * 64 + 40, 2);
        e = malformed(b);
        assertThat(e.getMessage()).contains("symbol strings section missing or invalid");
        // A symbol name running off the string table.
        b = good.clone();
        ByteBuffer.wrap(b).order(order).putInt((int) symtab.offset() + 2 * 24, 1000);
        assertThat(malformed(b).sectionName()).contains(".strtab");
    }

    @ParameterizedTest
    @MethodSource("orders")
    void unknownRelocationTypesAreKept(ByteOrder order) {
        byte[] b = object(order).bytes();
        ElfSection rel = ElfObject.read(b).section(5);
        ByteBuffer.wrap(b).order(order).putLong((int) rel.offset() + 8, 1L << 32 | 77);
        Relocation r = ElfObject.read(b).relocationSections().get(0).relocations().get(0);
        assertThat(r.type()).isEqualTo(RelocationType.UNKNOWN);
        assertThat(r.rawType()).isEqualTo(77);
        assertThat(r.addend()).isZero();
    }
}
