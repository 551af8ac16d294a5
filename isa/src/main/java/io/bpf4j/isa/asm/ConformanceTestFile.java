package io.bpf4j.isa.asm;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One {@code .data} file of the eBPF conformance suite, read with the suite's parser rules:
 * {@code #} starts a comment anywhere; a line containing {@code --} starts a section, chosen by
 * substring ({@code asm}, {@code result}, {@code mem}, {@code raw}, {@code no register offset},
 * {@code " c"}, {@code error}, in that order); the last result or error line counts.
 *
 * @param asm         the assembly lines, in order
 * @param raw         raw instruction words ({@code -- raw}), each a little-endian 64-bit slot; empty when absent
 * @param memory      the input memory bytes
 * @param result      the expected r0 (unsigned), or {@code null} when the file has none
 * @param error       the expected error text, or {@code null}
 */
public record ConformanceTestFile(List<String> asm, List<Long> raw, byte[] memory, Long result, String error) {

    private enum Section { NONE, ASM, RESULT, MEM, RAW, IGNORED, ERROR }

    public static ConformanceTestFile parse(String text) {
        List<String> asm = new ArrayList<>();
        List<Long> raw = new ArrayList<>();
        StringBuilder mem = new StringBuilder();
        String result = null;
        String error = null;
        Section section = Section.NONE;
        for (String line : text.split("\n", -1)) {
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            if (line.contains("--")) {
                section = line.contains("asm") ? Section.ASM
                        : line.contains("result") ? Section.RESULT
                        : line.contains("mem") ? Section.MEM
                        : line.contains("raw") ? Section.RAW
                        : line.contains("no register offset") || line.contains(" c") ? Section.IGNORED
                        : line.contains("error") ? Section.ERROR
                        : null;
                if (section == null) {
                    throw new AssemblerException(0, "unknown section header '" + line.strip() + "'");
                }
                continue;
            }
            if (line.isBlank()) {
                continue;
            }
            switch (section) {
                case ASM -> asm.add(line);
                case RESULT -> result = line.strip();
                case ERROR -> error = line.strip();
                case MEM -> mem.append(' ').append(line);
                case RAW -> {
                    for (String w : line.strip().split("\\s+")) {
                        raw.add(w.startsWith("0x") ? Long.parseUnsignedLong(w.substring(2), 16) : Long.parseUnsignedLong(w));
                    }
                }
                default -> { }
            }
        }
        List<Byte> bytes = new ArrayList<>();
        for (String b : mem.toString().strip().split("\\s+")) {
            if (!b.isEmpty()) {
                bytes.add((byte) Integer.parseInt(b, 16));
            }
        }
        byte[] memory = new byte[bytes.size()];
        for (int i = 0; i < memory.length; i++) {
            memory[i] = bytes.get(i);
        }
        Long expected = result == null ? null
                : result.contains("0x") ? Long.parseUnsignedLong(result.substring(result.indexOf("0x") + 2).strip(), 16)
                : Long.parseUnsignedLong(result);
        return new ConformanceTestFile(List.copyOf(asm), List.copyOf(raw), memory, expected, error);
    }

    /** The program bytes the suite's runner would use: the raw words if present, else the assembled asm. */
    public byte[] programBytes() {
        if (!raw.isEmpty()) {
            byte[] out = new byte[raw.size() * 8];
            for (int i = 0; i < raw.size(); i++) {
                long w = raw.get(i);
                for (int b = 0; b < 8; b++) {
                    out[i * 8 + b] = (byte) (w >>> (8 * b));
                }
            }
            return out;
        }
        return ConformanceAssembler.assembleBytes(String.join("\n", asm));
    }

    @Override
    public String toString() {
        return "ConformanceTestFile[" + asm.size() + " asm lines, " + raw.size() + " raw words, memory "
                + HexFormat.of().formatHex(memory) + ", result " + result + ", error " + error + "]";
    }
}
