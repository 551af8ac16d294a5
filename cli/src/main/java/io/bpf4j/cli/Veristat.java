package io.bpf4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * veristat's output (tools/testing/selftests/bpf/veristat.c of Linux 6.12): its statistics,
 * their table headers and CSV names, the table and CSV layouts, and comparison mode
 * ({@code -C A.csv B.csv}) with its A/B/DIFF columns.
 */
final class Veristat {
    private static final String SEP = "  ";

    /** veristat's statistics: table header, CSV names (the first is what it writes), alignment. */
    enum Stat {
        FILE_NAME("File", true, "file_name", "filename", "file"),
        PROG_NAME("Program", true, "prog_name", "progname", "prog"),
        VERDICT("Verdict", true, "verdict"),
        DURATION("Duration (us)", false, "duration", "dur"),
        TOTAL_INSNS("Insns", false, "total_insns", "insns"),
        TOTAL_STATES("States", false, "total_states", "states"),
        PEAK_STATES("Peak states", false, "peak_states"),
        MAX_STATES_PER_INSN("Max states per insn", false, "max_states_per_insn"),
        MARK_READ_MAX_LEN("Max mark read length", false, "max_mark_read_len", "mark_read");

        final String header;
        final boolean text;
        final List<String> names;

        Stat(String header, boolean text, String... names) {
            this.header = header;
            this.text = text;
            this.names = List.of(names);
        }

        String csvName() {
            return names.get(0);
        }

        boolean key() {
            return this == FILE_NAME || this == PROG_NAME;
        }

        static Stat byName(String name) {
            for (Stat s : values()) {
                if (s.names.contains(name)) {
                    return s;
                }
            }
            throw new CliException("unrecognized stat name '" + name + "'");
        }
    }

    /** The default table columns. */
    static final List<Stat> TABLE = List.of(Stat.FILE_NAME, Stat.PROG_NAME, Stat.VERDICT, Stat.DURATION,
            Stat.TOTAL_INSNS, Stat.TOTAL_STATES, Stat.PEAK_STATES);
    /** The default CSV columns. */
    static final List<Stat> CSV = List.of(Stat.values());

    /** One program's figures; numbers absent from a CSV read back are 0, as veristat leaves them. */
    record Row(String file, String prog, boolean success, Map<Stat, Long> numbers) {
        Row {
            numbers = Map.copyOf(numbers);
        }

        String text(Stat s) {
            switch (s) {
                case FILE_NAME: return file;
                case PROG_NAME: return prog;
                case VERDICT: return success ? "success" : "failure";
                default: return null;
            }
        }

        long number(Stat s) {
            return numbers.getOrDefault(s, 0L);
        }
    }

    /** veristat's order: file name, then program name, byte by byte. */
    static final Comparator<Row> ORDER = Comparator.comparing(Row::file).thenComparing(Row::prog);

    private Veristat() {
    }

    static String cell(Row r, Stat s) {
        return s.text ? r.text(s) : Long.toString(r.number(s));
    }

    /** The table: header, underline, rows and (after the last row) underline and the summary line. */
    static void printTable(PrintWriter out, List<Stat> columns, List<Row> rows, String done) {
        int[] width = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            width[i] = columns.get(i).header.length();
            for (Row r : rows) {
                width[i] = Math.max(width[i], cell(r, columns.get(i)).length());
            }
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            pad(line.append(i == 0 ? "" : SEP), columns.get(i).header, width[i], columns.get(i).text);
        }
        out.println(line);
        out.println(underline(width));
        for (Row r : rows) {
            line.setLength(0);
            for (int i = 0; i < columns.size(); i++) {
                pad(line.append(i == 0 ? "" : SEP), cell(r, columns.get(i)), width[i], columns.get(i).text);
            }
            out.println(line);
        }
        if (!rows.isEmpty()) {
            out.println(underline(width));
            out.println(done);
        }
    }

    static void printCsv(PrintWriter out, List<Stat> columns, List<Row> rows) {
        out.println(String.join(",", columns.stream().map(Stat::csvName).toList()));
        for (Row r : rows) {
            out.println(String.join(",", columns.stream().map(s -> cell(r, s)).toList()));
        }
    }

    /** A CSV as veristat writes it (any of its stat names in the header); file and program name are required. */
    static Csv readCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty()) {
            throw new CliException(file + ": empty, expected veristat's CSV header");
        }
        List<Stat> columns = new ArrayList<>();
        for (String name : lines.get(0).split(",")) {
            columns.add(Stat.byName(name.strip()));
        }
        List<Row> rows = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            if (lines.get(n).isEmpty()) {
                continue;
            }
            String[] cells = lines.get(n).split(",");
            if (cells.length != columns.size()) {
                throw new CliException(file + ": row #" + n + " has " + cells.length + " columns, the header " + columns.size());
            }
            String f = null;
            String p = null;
            boolean ok = false;
            Map<Stat, Long> numbers = new EnumMap<>(Stat.class);
            for (int i = 0; i < cells.length; i++) {
                Stat s = columns.get(i);
                switch (s) {
                    case FILE_NAME -> f = cells[i];
                    case PROG_NAME -> p = cells[i];
                    case VERDICT -> {
                        if (!cells[i].equals("success") && !cells[i].equals("failure")) {
                            throw new CliException(file + ": unrecognized verification verdict '" + cells[i] + "'");
                        }
                        ok = cells[i].equals("success");
                    }
                    default -> {
                        try {
                            numbers.put(s, Long.parseLong(cells[i].strip()));
                        } catch (NumberFormatException e) {
                            throw new CliException(file + ": failed to parse '" + cells[i] + "' as integer");
                        }
                    }
                }
            }
            if (f == null || p == null) {
                throw new CliException(file + ": row #" + n + " is missing file and/or program name");
            }
            rows.add(new Row(f, p, ok, numbers));
        }
        return new Csv(columns, rows);
    }

    /** A CSV read back: its columns and rows. */
    record Csv(List<Stat> columns, List<Row> rows) {}

    /** One row of comparison mode: base or comp may be absent (the other file lacks the program). */
    record Joined(String file, String prog, Row base, Row comp) {}

    /** Joins two result sets on file and program name, as veristat -C does. */
    static List<Joined> join(List<Row> a, List<Row> b) {
        List<Row> base = a.stream().sorted(ORDER).toList();
        List<Row> comp = b.stream().sorted(ORDER).toList();
        List<Joined> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < base.size() || j < comp.size()) {
            Row x = i < base.size() ? base.get(i) : null;
            Row y = j < comp.size() ? comp.get(j) : null;
            int r = x == null ? 1 : y == null ? -1 : ORDER.compare(x, y);
            if (r == 0) {
                out.add(new Joined(x.file(), x.prog(), x, y));
                i++;
                j++;
            } else if (r < 0) {
                out.add(new Joined(x.file(), x.prog(), x, null));
                i++;
            } else {
                out.add(new Joined(y.file(), y.prog(), null, y));
                j++;
            }
        }
        return out;
    }

    /** The three cells (base, comp, diff) of a stat in comparison mode; key stats have one. */
    static String[] compareCells(Joined j, Stat s) {
        if (s.key()) {
            return new String[] {s == Stat.FILE_NAME ? j.file() : j.prog()};
        }
        if (s.text) {
            String a = j.base() == null ? "N/A" : cell(j.base(), s);
            String b = j.comp() == null ? "N/A" : cell(j.comp(), s);
            String d = j.base() == null || j.comp() == null ? "N/A" : a.equals(b) ? "MATCH" : "MISMATCH";
            return new String[] {a, b, d};
        }
        long a = j.base() == null ? 0 : j.base().number(s);
        long b = j.comp() == null ? 0 : j.comp().number(s);
        String d;
        if (j.base() == null || j.comp() == null) {
            d = "N/A";
        } else {
            double pct = a == 0 ? (b == a ? 0.0 : b < a ? -100.0 : 100.0) : (b - a) * 100.0 / a;
            d = String.format(Locale.ROOT, "%+d (%+.2f%%)", b - a, pct);
        }
        return new String[] {j.base() == null ? "N/A" : Long.toString(a), j.comp() == null ? "N/A" : Long.toString(b), d};
    }

    static void printCompareTable(PrintWriter out, List<Stat> columns, List<Joined> rows) {
        String[] sfx = {" (A)", " (B)", " (DIFF)"};
        List<Integer> widths = new ArrayList<>();
        for (Stat s : columns) {
            int n = s.key() ? 1 : 3;
            for (int k = 0; k < n; k++) {
                int w = (s.header + (s.key() ? "" : sfx[k])).length();
                for (Joined j : rows) {
                    w = Math.max(w, compareCells(j, s)[k].length());
                }
                widths.add(w);
            }
        }
        StringBuilder line = new StringBuilder();
        int c = 0;
        for (Stat s : columns) {
            int n = s.key() ? 1 : 3;
            for (int k = 0; k < n; k++, c++) {
                String suffix = s.key() ? "" : sfx[k];
                line.append(c == 0 ? "" : SEP);
                pad(line, s.header, widths.get(c) - suffix.length(), true);
                line.append(suffix);
            }
        }
        out.println(line);
        String under = underline(widths.stream().mapToInt(Integer::intValue).toArray());
        out.println(under);
        for (Joined j : rows) {
            line.setLength(0);
            c = 0;
            for (Stat s : columns) {
                String[] cells = compareCells(j, s);
                for (String cell : cells) {
                    pad(line.append(c == 0 ? "" : SEP), cell, widths.get(c), s.text);
                    c++;
                }
            }
            out.println(line);
        }
        // veristat -C prints no closing underline (its last-row marker is only set while sizing)
    }

    static void printCompareCsv(PrintWriter out, List<Stat> columns, List<Joined> rows) {
        String[] sfx = {"_base", "_comp", "_diff"};
        List<String> header = new ArrayList<>();
        for (Stat s : columns) {
            if (s.key()) {
                header.add(s.csvName());
            } else {
                for (String x : sfx) {
                    header.add(s.csvName() + x);
                }
            }
        }
        out.println(String.join(",", header));
        for (Joined j : rows) {
            List<String> cells = new ArrayList<>();
            for (Stat s : columns) {
                cells.addAll(List.of(compareCells(j, s)));
            }
            out.println(String.join(",", cells));
        }
    }

    private static void pad(StringBuilder sb, String s, int width, boolean left) {
        if (!left) {
            sb.append(" ".repeat(Math.max(0, width - s.length())));
        }
        sb.append(s);
        if (left) {
            sb.append(" ".repeat(Math.max(0, width - s.length())));
        }
    }

    private static String underline(int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            sb.append(i == 0 ? "" : SEP).append("-".repeat(widths[i]));
        }
        return sb.toString();
    }
}
