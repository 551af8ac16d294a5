package io.bpf4j.isa.text;

import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.isa.Slot;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A whole {@code llvm-objdump-19 -dr} listing, from the first {@code Disassembly of section}
 * line to the end: section headers, {@code <symbol>:} labels, addresses in instruction units, the
 * raw bytes column, instruction text ({@link LlvmSyntax}), branch targets as
 * {@code <symbol+0x..>} and relocation lines under the instruction they patch.
 *
 * <h2>Filling the records from an ELF object</h2>
 * <ul>
 * <li>One {@link CodeSection} per section with {@code SHF_EXECINSTR}, in section-header order
 *     (llvm-objdump {@code -d} disassembles exactly those).</li>
 * <li>{@link CodeSection#symbols()}: every symbol whose {@code st_shndx} is that section, with
 *     its {@code st_value} and type. The listing itself drops what llvm-objdump drops: symbols
 *     with an empty name and {@code STT_SECTION}/{@code STT_FILE} symbols. When no symbol is left
 *     at offset 0, llvm-objdump labels the start with the section name, and so does this.</li>
 * <li>Several symbols at one address: one label is printed, the last in (name, then type)
 *     order, comparing names byte by byte, among those that are not {@code STT_OBJECT} if there
 *     are any. A place that only {@code STT_OBJECT} symbols name is dumped as data (hex and
 *     ASCII, eight bytes a line), not disassembled. Branch targets resolve against the last
 *     symbol in that order at or below the target, objects included (unsigned comparison, so a
 *     target before the section start wraps around, as llvm-objdump prints it).</li>
 * <li>A section with no bytes prints nothing, not even its header.</li>
 * <li>{@link CodeSection#relocations()}: the entries of the {@code SHT_REL} section whose
 *     {@code sh_info} is this section: {@code r_offset}, the type's name
 *     ({@link #bpfRelocationTypeName(int)}), and the name llvm-objdump prints for the symbol:
 *     the symbol's name, or for an {@code STT_SECTION} symbol the name of its section. The
 *     addend is printed only when non-zero (BPF objects use REL, whose addend is 0 here).
 *     Each relocation is printed, in offset order, under the instruction whose bytes contain its
 *     offset; a run of zero bytes is folded into {@code ...} only up to the next relocation.
 *     Relocations inside bytes dumped as data are not printed.</li>
 * <li>{@link CodeSection#annotations()}: lines llvm-objdump prints from other sections, such as
 *     the {@code .BTF.ext} CO-RE relocation (llvm-objdump prints at most one, the first record
 *     at that offset); see {@link Annotation}. They come before the relocation lines of the same
 *     instruction.</li>
 * </ul>
 */
public final class ObjdumpListing {
    /** ELF symbol types ({@code STT_*}) as far as the listing cares. */
    public enum SymbolType {
        NOTYPE, OBJECT, FUNC, SECTION, FILE, OTHER;

        /** The type for an ELF {@code st_info & 0xf} value. */
        public static SymbolType ofElf(int sttType) {
            return switch (sttType) {
                case 0 -> NOTYPE;
                case 1 -> OBJECT;
                case 2 -> FUNC;
                case 3 -> SECTION;
                case 4 -> FILE;
                default -> OTHER;
            };
        }
    }

    /** A symbol defined in a code section; {@code value} is its offset in bytes from the section start. */
    public record Symbol(String name, long value, SymbolType type) {
        public Symbol {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * A relocation against a code section: byte offset in the section, type name as printed
     * ({@code R_BPF_64_64}), the symbol text as printed and the explicit addend (0 for REL).
     */
    public record Relocation(long offset, String type, String symbol, long addend) {
        public Relocation {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(symbol, "symbol");
        }

        public Relocation(long offset, String type, String symbol) {
            this(offset, type, symbol, 0);
        }
    }

    /**
     * A line of extra text under the instruction that starts at byte {@code offset}, printed as
     * {@code \t\t<offset as %016x>:  <text>} before that instruction's relocation lines, the way
     * llvm-objdump prints a {@code .BTF.ext} CO-RE relocation ({@code text} is then
     * {@code "CO-RE <byte_off> [7] struct task_struct::pid (0:0)"}). An annotation whose offset
     * is not the start of a disassembled instruction (inside an instruction, in a {@code ...}
     * zero block, in a data dump) is not printed, as llvm-objdump does not print it.
     */
    public record Annotation(long offset, String text) {
        public Annotation {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * One executable section with what the listing needs of it. Annotations at one offset are
     * printed in list order.
     */
    public record CodeSection(String name, byte[] bytes, ByteOrder order, List<Symbol> symbols, List<Relocation> relocations,
                              List<Annotation> annotations) {
        public CodeSection {
            Objects.requireNonNull(name, "name");
            bytes = bytes.clone();
            Objects.requireNonNull(order, "order");
            symbols = List.copyOf(symbols);
            relocations = List.copyOf(relocations);
            annotations = List.copyOf(annotations);
        }

        /** A section without annotations. */
        public CodeSection(String name, byte[] bytes, ByteOrder order, List<Symbol> symbols, List<Relocation> relocations) {
            this(name, bytes, order, symbols, relocations, List.of());
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    private final List<CodeSection> sections;
    private final LlvmSyntax syntax;

    private ObjdumpListing(List<CodeSection> sections, LlvmSyntax syntax) {
        this.sections = List.copyOf(sections);
        this.syntax = Objects.requireNonNull(syntax, "syntax");
    }

    /** A listing of these sections, in this order, decoded as {@code syntax} says. */
    public static ObjdumpListing of(List<CodeSection> sections, LlvmSyntax syntax) {
        return new ObjdumpListing(sections, syntax);
    }

    /** A listing as plain {@code llvm-objdump-19 -dr} prints it (cpu v1). */
    public static ObjdumpListing of(List<CodeSection> sections) {
        return new ObjdumpListing(sections, LlvmSyntax.defaults());
    }

    /** The name llvm-objdump prints for an ELF BPF relocation type. */
    public static String bpfRelocationTypeName(int type) {
        return switch (type) {
            case 0 -> "R_BPF_NONE";
            case 1 -> "R_BPF_64_64";
            case 2 -> "R_BPF_64_ABS64";
            case 3 -> "R_BPF_64_ABS32";
            case 4 -> "R_BPF_64_NODYLD32";
            case 10 -> "R_BPF_64_32";
            default -> "Unknown";
        };
    }

    /** The listing text, starting at the first {@code Disassembly of section} line; lines end in {@code \n}. */
    public String render() {
        StringBuilder out = new StringBuilder();
        boolean first = true;
        for (CodeSection s : sections) {
            if (s.bytes.length == 0) {
                continue; // llvm-objdump prints nothing at all for an empty section
            }
            if (!first) {
                out.append('\n');
            }
            first = false;
            renderSection(s, out);
        }
        return out.toString();
    }

    private record Label(String name, long addr, SymbolType type) {}

    private static final Comparator<Label> LABEL_ORDER = Comparator.comparingLong(Label::addr)
            .thenComparing(Label::name, ObjdumpListing::compareBytes)
            .thenComparing(Label::type);

    private static int compareBytes(String a, String b) {
        byte[] x = a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] y = b.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.util.Arrays.compareUnsigned(x, y);
    }

    private static List<Label> labels(CodeSection s) {
        List<Label> labels = new ArrayList<>();
        for (Symbol sym : s.symbols()) {
            if (sym.name().isEmpty() || sym.type() == SymbolType.SECTION || sym.type() == SymbolType.FILE) {
                continue;
            }
            labels.add(new Label(sym.name(), sym.value(), sym.type()));
        }
        if (labels.stream().noneMatch(l -> l.addr() == 0)) {
            labels.add(new Label(s.name(), 0, SymbolType.FUNC));
        }
        labels.sort((a, b) -> {
            int c = Long.compareUnsigned(a.addr(), b.addr());
            return c != 0 ? c : LABEL_ORDER.compare(a, b);
        });
        return labels;
    }

    private void renderSection(CodeSection s, StringBuilder out) {
        out.append("Disassembly of section ").append(s.name()).append(":\n");
        byte[] bytes = s.bytes;
        long size = bytes.length;
        List<Label> labels = labels(s);
        List<Relocation> relocs = new ArrayList<>(s.relocations());
        relocs.sort(Comparator.comparingLong(Relocation::offset));
        int rel = 0;
        List<Annotation> notes = new ArrayList<>(s.annotations());
        notes.sort(Comparator.comparingLong(Annotation::offset)); // stable: list order within one offset
        int note = 0;
        for (int li = 0; li < labels.size(); ) {
            long start = labels.get(li).addr();
            int lj = li;
            while (lj < labels.size() && labels.get(lj).addr() == start) {
                lj++;
            }
            // The label is the last symbol here in (name, type) order, preferring any that is not
            // STT_OBJECT; a place only data objects name is dumped as data, not disassembled.
            Label shown = labels.get(lj - 1);
            boolean data = true;
            for (int k = li; k < lj; k++) {
                if (labels.get(k).type() != SymbolType.OBJECT) {
                    shown = labels.get(k);
                    data = false;
                }
            }
            long end = lj < labels.size() ? Math.min(labels.get(lj).addr(), size) : size;
            li = lj;
            if (Long.compareUnsigned(start, end) >= 0) {
                continue;
            }
            out.append(String.format("\n%016x <%s>:\n", start, shown.name()));
            int index = (int) start;
            // Relocations below a label's start are never printed: those inside a data dump
            // (or a symbol llvm-objdump skipped) are dropped, as llvm-objdump drops them.
            while (rel < relocs.size() && relocs.get(rel).offset() < index) {
                rel++;
            }
            if (data) {
                dumpData(bytes, index, (int) end, out);
                continue;
            }
            while (index < end) {
                int maxOffset = (int) (end - index);
                // llvm-objdump never folds the bytes the next relocation patches into a "..."
                // zero block (a relocation left behind, below this point, does not limit it).
                if (rel < relocs.size() && relocs.get(rel).offset() >= index) {
                    maxOffset = (int) Math.min(maxOffset, relocs.get(rel).offset() - index);
                }
                int zeroes = skippableZeroes(bytes, index, index + maxOffset);
                if (zeroes > 0) {
                    out.append("\t\t...\n");
                    index += zeroes;
                    continue;
                }
                int avail = (int) (end - index);
                int consumed;
                String text;
                LlvmSyntax.Decoded d = null;
                if (avail >= 8) {
                    Slot slot = InstructionCodec.readSlot(bytes, index, s.order());
                    Slot next = avail >= 16 ? InstructionCodec.readSlot(bytes, index + 8, s.order()) : null;
                    d = syntax.decode(slot, next);
                    if (d.unknown() && next == null && !syntax.decode(slot, Slot.ZERO).unknown()) {
                        // An ld_imm64 cut off by the end of the symbol: LLVM reports size 0 and
                        // llvm-objdump then steps a single byte.
                        consumed = 1;
                    } else {
                        consumed = d.slots() * 8;
                    }
                    text = d.text();
                } else {
                    consumed = 1;
                    text = LlvmSyntax.UNKNOWN;
                }
                out.append(String.format("%8d:", index / 8)).append('\t');
                for (int i = 0; i < consumed; i++) {
                    if (i > 0) {
                        out.append(' ');
                    }
                    out.append(Character.forDigit((bytes[index + i] >> 4) & 0xf, 16)).append(Character.forDigit(bytes[index + i] & 0xf, 16));
                }
                out.append('\t').append(text);
                if (d != null && d.branch() && consumed == 8) {
                    long target = index + 8 + d.displacement() * 8;
                    appendTarget(labels, target, out);
                }
                out.append('\n');
                while (note < notes.size() && notes.get(note).offset() < index) {
                    note++; // not at an instruction start: llvm-objdump looks annotations up by exact address
                }
                while (note < notes.size() && notes.get(note).offset() == index) {
                    printAnnotation(notes.get(note++), out);
                }
                // Every relocation not yet printed whose offset is below the end of this
                // instruction goes under it, including any left behind by a data dump.
                while (rel < relocs.size() && relocs.get(rel).offset() < index + consumed) {
                    printRelocation(relocs.get(rel++), out);
                }
                index += consumed;
            }
        }
    }

    /** Eight bytes a line, hex then printable ASCII, at byte (not instruction) addresses. */
    private static void dumpData(byte[] bytes, int from, int end, StringBuilder out) {
        for (int line = from; line < end; line += 8) {
            int n = Math.min(8, end - line);
            out.append(String.format("%8x:", line));
            StringBuilder ascii = new StringBuilder();
            for (int i = 0; i < n; i++) {
                int b = bytes[line + i] & 0xff;
                out.append(' ').append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
                ascii.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
            }
            out.append(" ".repeat(3 * (8 - n))).append("         ").append(ascii).append('\n');
        }
    }

    private static void appendTarget(List<Label> labels, long target, StringBuilder out) {
        Label at = null;
        for (Label l : labels) {
            if (Long.compareUnsigned(l.addr(), target) <= 0) {
                at = l;
            } else {
                break;
            }
        }
        if (at == null) {
            return;
        }
        long disp = target - at.addr();
        out.append(" <").append(at.name());
        if (disp != 0) {
            out.append("+0x").append(Long.toHexString(disp));
        }
        out.append('>');
    }

    private static void printAnnotation(Annotation a, StringBuilder out) {
        out.append("\t\t").append(String.format("%016x", a.offset())).append(":  ").append(a.text()).append('\n');
    }

    private static void printRelocation(Relocation r, StringBuilder out) {
        out.append("\t\t").append(String.format("%016x", r.offset())).append(":  ").append(r.type()).append('\t').append(r.symbol());
        if (r.addend() != 0) {
            out.append(r.addend() < 0 ? "-0x" + Long.toHexString(-r.addend()) : "+0x" + Long.toHexString(r.addend()));
        }
        out.append('\n');
    }

    /**
     * How many zero bytes llvm-objdump folds into one {@code ...} line at {@code from}: none
     * unless at least 8 zero bytes follow (up to {@code to}), then their count rounded down to
     * a multiple of 4.
     */
    static int skippableZeroes(byte[] bytes, int from, int to) {
        int n = 0;
        while (from + n < to && bytes[from + n] == 0) {
            n++;
        }
        return n < 8 ? 0 : n & ~3;
    }
}
