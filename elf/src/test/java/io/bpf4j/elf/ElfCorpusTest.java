package io.bpf4j.elf;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfDumper;
import io.bpf4j.elf.btf.BtfExt;
import io.bpf4j.elf.btf.BtfExtSection;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.elf.btf.CoreRelo;
import io.bpf4j.elf.btf.FuncInfo;
import io.bpf4j.elf.btf.LineInfo;
import io.bpf4j.isa.Call;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.LoadImm64;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every corpus object: parses, its BTF dump equals bpftool's, and its parts agree with each other. */
class ElfCorpusTest {
    static Stream<Path> objects() {
        return Corpus.objects().stream();
    }

    @Test
    void corpusIsNotEmpty() {
        assertThat(Corpus.objects()).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("objects")
    void btfDumpEqualsBpftool(Path object) throws IOException {
        ElfObject o = ElfObject.read(object);
        Optional<Path> golden = Corpus.btfGolden(object);
        if (golden.isPresent()) {
            assertThat(o.btf()).as("an object with a bpftool dump has BTF").isPresent();
            assertThat(BtfDumper.dump(o.btf().get())).isEqualTo(Files.readString(golden.get()));
        } else {
            // bpftool prints no dump (and the generator writes no golden) only when there is no .BTF.
            assertThat(o.section(".BTF")).isEmpty();
            assertThat(o.btf()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("objects")
    void relocationsPointAtTheInstructionsTheirTypeExpects(Path object) {
        ElfObject o = ElfObject.read(object);
        assertThat(o.toString()).isNotEmpty();
        for (RelocationSection rs : o.relocationSections()) {
            assertThat(rs.section().link()).isEqualTo(o.sections().stream().filter(s -> s.type() == SectionType.SYMTAB).findFirst().get().index());
            if (!rs.target().isExecutable()) continue;
            Instructions insns = o.instructions(rs.target());
            for (Relocation r : rs.relocations()) {
                assertThat(r.offset() % 8).isZero();
                int index = insns.indexAtSlot((int) (r.offset() / 8));
                assertThat(index).as("relo #%d of %s starts an instruction", r.index(), rs.section().name()).isNotNegative();
                Instruction insn = insns.get(index);
                if (r.type() == RelocationType.R_BPF_64_64) {
                    assertThat(insn).isInstanceOf(LoadImm64.class);
                    assertThat(r.addend()).isEqualTo(insn.raw().get(0).imm());
                } else if (r.type() == RelocationType.R_BPF_64_32) {
                    assertThat(insn).isInstanceOf(Call.class);
                    assertThat(r.addend()).isEqualTo(insn.raw().get(0).imm());
                } else {
                    assertThat(r.type()).as("code relocations are 64_64 or 64_32").isIn(RelocationType.R_BPF_64_64, RelocationType.R_BPF_64_32);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("objects")
    void symbolsAndSectionsAgree(Path object) {
        ElfObject o = ElfObject.read(object);
        for (ElfSection s : o.sections()) {
            assertThat(o.section(s.index())).isSameAs(s);
            assertThat(o.sectionsNamed(s.name())).contains(s);
            assertThat(s.data().remaining()).isEqualTo(s.fileSize());
            assertThat(s.data().isReadOnly()).isTrue();
            assertThat(s.bytes()).hasSize(s.fileSize());
            List<ElfSymbol> in = o.symbolsIn(s);
            for (int i = 1; i < in.size(); i++) {
                assertThat(Long.compareUnsigned(in.get(i - 1).value(), in.get(i).value())).isNotPositive();
            }
            if (s.isExecutable()) {
                assertThat(o.instructions(s).slotCount() * 8L).isEqualTo(s.size());
                for (ElfSymbol f : in) {
                    if (f.type() == SymbolType.FUNC) {
                        assertThat(f.value() + f.size()).isLessThanOrEqualTo(s.size());
                    }
                }
            }
        }
        for (ElfSymbol y : o.symbols()) {
            assertThat(y.isInSection() ? y.sectionIndex() < o.sections().size() : true).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("objects")
    void btfExtRecordsMatchSymbolsAndTypes(Path object) {
        ElfObject o = ElfObject.read(object);
        if (o.btfExt().isEmpty()) return;
        Btf btf = o.btf().get();
        BtfExt ext = o.btfExt().get();
        for (BtfExtSection<FuncInfo> block : ext.funcInfo()) {
            ElfSection sec = o.section(block.sectionName()).orElseThrow();
            List<String> funcSymbols = o.symbolsIn(sec).stream().filter(y -> y.type() == SymbolType.FUNC).map(ElfSymbol::name).collect(Collectors.toList());
            for (FuncInfo fi : block.records()) {
                BtfType t = btf.type(fi.typeId());
                assertThat(t).isInstanceOf(BtfType.Func.class);
                assertThat(funcSymbols).contains(t.name());
                ElfSymbol sym = o.symbol(t.name()).orElseThrow();
                assertThat(sym.value()).isEqualTo(fi.insnOffset());
                assertThat(fi.insnIndex()).isEqualTo(fi.insnOffset() / 8);
            }
        }
        for (BtfExtSection<LineInfo> block : ext.lineInfo()) {
            ElfSection sec = o.section(block.sectionName()).orElseThrow();
            for (LineInfo li : block.records()) {
                assertThat(li.insnOffset()).isLessThan(sec.size());
                assertThat(li.lineNumber()).isPositive();
                sourceLine(li.fileName(), li.lineNumber()).ifPresent(text -> assertThat(li.line()).isEqualTo(text));
            }
        }
        for (BtfExtSection<CoreRelo> block : ext.coreRelos()) {
            ElfSection sec = o.section(block.sectionName()).orElseThrow();
            for (CoreRelo r : block.records()) {
                assertThat(r.insnOffset()).isLessThan(sec.size());
                assertThat(r.accessString()).matches("[0-9]+(:[0-9]+)*");
                if (r.kind().isTypeBased()) assertThat(r.accessString()).isEqualTo("0");
                assertThat(btf.type(r.typeId())).isNotNull();
            }
        }
    }

    /** The text of a line of a corpus source file, found by base name under testdata/src or elf/src/test/c. */
    private static Optional<String> sourceLine(String file, int line) {
        String base = Path.of(file).getFileName().toString();
        for (Path dir : List.of(Corpus.root().resolve("testdata/src"), Corpus.root().resolve("elf/src/test/c"))) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.walk(dir)) {
                Optional<Path> src = s.filter(p -> p.getFileName().toString().equals(base)).findFirst();
                if (src.isEmpty()) continue;
                List<String> lines = Files.readAllLines(src.get());
                return line <= lines.size() ? Optional.of(lines.get(line - 1)) : Optional.empty();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return Optional.empty();
    }

    private static List<String> codeRelocations(ElfObject o) {
        return o.relocationSections().stream().filter(r -> r.target().isExecutable())
                .flatMap(r -> r.relocations().stream().map(x -> r.section().name() + " " + x.type() + " " + o.displayName(x.symbol())))
                .toList();
    }

    /** The big-endian build of a source reads to the same model as the little-endian one. */
    @ParameterizedTest
    @MethodSource("objects")
    void bigEndianTwinReadsTheSame(Path object) {
        String name = object.getFileName().toString();
        String twinName = name.contains("bpfel") ? name.replace("bpfel", "bpfeb") : name.endsWith(".el.o") ? name.replace(".el.o", ".eb.o") : null;
        if (twinName == null) return;
        Path twin = object.resolveSibling(twinName);
        if (!Files.exists(twin)) return;
        ElfObject le = ElfObject.read(object);
        ElfObject be = ElfObject.read(twin);
        assertThat(le.byteOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(be.byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
        // Code may differ (clang lays out bitfield accesses per byte order), so compare what the source fixes.
        assertThat(be.symbols()).extracting(ElfSymbol::name, ElfSymbol::type, ElfSymbol::binding, ElfSymbol::sectionIndex)
                .isEqualTo(le.symbols().stream().map(y -> org.assertj.core.groups.Tuple.tuple(y.name(), y.type(), y.binding(), y.sectionIndex())).toList());
        assertThat(be.sections()).extracting(ElfSection::name).isEqualTo(le.sections().stream().map(ElfSection::name).toList());
        // Only code relocations: .rel.BTF.ext follows line_info, which differs with the code.
        assertThat(codeRelocations(be)).isEqualTo(codeRelocations(le));
        assertThat(be.btf().map(BtfDumper::dump)).isEqualTo(le.btf().map(BtfDumper::dump));
        assertThat(be.btf().map(Btf::types)).isEqualTo(le.btf().map(Btf::types));
        assertThat(be.btfExt().map(e -> e.funcInfo().size())).isEqualTo(le.btfExt().map(e -> e.funcInfo().size()));
        // As sets: on big-endian clang adds FIELD_BYTE_SIZE records to bitfield reads.
        assertThat(be.btfExt().map(e -> e.coreRelos().stream().flatMap(b -> b.records().stream()).map(r -> r.kind() + " " + r.accessString()).collect(Collectors.toSet())))
                .isEqualTo(le.btfExt().map(e -> e.coreRelos().stream().flatMap(b -> b.records().stream()).map(r -> r.kind() + " " + r.accessString()).collect(Collectors.toSet())));
    }
}
