package io.bpf4j.relocator;

import io.bpf4j.isa.abi.ProgramType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class SectionDefsTest {

    /** One row of the reference table (docs/reference/libbpf-section-defs.md, a copy in test resources). */
    record Row(int number, String pattern, String match, int type, int attach, Set<SecFlag> flags, boolean masterOnly) {}

    static List<Row> referenceRows() throws IOException {
        String text;
        try (InputStream in = SectionDefsTest.class.getResourceAsStream("libbpf-section-defs.md")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Pattern number = Pattern.compile("\\((\\d+)\\)");
        List<Row> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.matches("\\| \\d+ \\|.*")) {
                continue;
            }
            String[] c = line.replace("\\|", "&").split("\\|");
            String pattern = c[2].trim().replace("`", "");
            Matcher t = number.matcher(c[4]);
            t.find();
            Matcher a = number.matcher(c[5]);
            int attach = a.find() ? Integer.parseInt(a.group(1)) : Integer.parseInt(c[5].trim());
            EnumSet<SecFlag> flags = EnumSet.noneOf(SecFlag.class);
            for (String f : c[6].split("&")) {
                String name = f.trim();
                if (name.equals("-")) {
                    continue;
                }
                if (name.equals("SEC_ATTACHABLE_OPT")) {
                    flags.add(SecFlag.ATTACHABLE);
                    flags.add(SecFlag.EXP_ATTACH_OPT);
                } else {
                    flags.add(SecFlag.valueOf(name.substring(4)));
                }
            }
            rows.add(new Row(Integer.parseInt(c[1].trim()), pattern, c[3].trim(), Integer.parseInt(t.group(1)), attach,
                    flags, c[8].trim().equals("master only")));
        }
        return rows;
    }

    @Test
    void tableEqualsTheReferenceRowByRow() throws IOException {
        List<Row> rows = referenceRows();
        List<SectionDef> defs = SectionDefs.builtin();
        assertThat(rows).hasSize(116);
        assertThat(defs).hasSameSizeAs(rows);
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            SectionDef d = defs.get(i);
            assertThat(d.pattern()).as("row %d", r.number()).isEqualTo(r.pattern());
            assertThat(d.programType().id()).as("type of %s", r.pattern()).isEqualTo(r.type());
            assertThat(d.expectedAttachTypeId()).as("attach of %s", r.pattern()).isEqualTo(r.attach());
            assertThat(d.flags()).as("flags of %s", r.pattern()).isEqualTo(r.flags());
            assertThat(d.masterOnly()).as("since of %s", r.pattern()).isEqualTo(r.masterOnly());
            SectionDef.Match expected = r.match().equals("exact") ? SectionDef.Match.EXACT : SectionDef.Match.PREFIX_OR_SLASH;
            assertThat(d.match()).as("match of %s", r.pattern()).isEqualTo(expected);
        }
    }

    @Test
    void everyPatternFindsItsOwnEntryOrAnEarlierOneThatAlsoMatches() {
        // First match wins: the bare name of every entry resolves to that entry, because no
        // earlier entry matches it (the table is ordered so that, e.g., sk_reuseport/migrate
        // comes before sk_reuseport).
        for (SectionDef def : SectionDefs.builtin()) {
            assertThat(SectionDefs.find(def.prefix())).contains(def);
            if (def.match() == SectionDef.Match.PREFIX_OR_SLASH) {
                assertThat(SectionDefs.find(def.prefix() + "/x/y")).contains(def);
            }
        }
    }

    @ParameterizedTest(name = "{0} -> type {1}, attach {2}")
    @CsvSource({
            // verified with libbpf (reference doc §3.2 [V])
            "foobar/xyz, 0, 0",
            "kprobex, 0, 0",
            "xdp/foo, 0, 0",
            "kprobe, 2, 0",
            "tracepoint, 5, 0",
            "fentry, 26, 24",
            "tc, 3, 0",
            // + patterns: exact or prefix followed by '/'
            "kprobe/do_sys_open, 2, 0",
            "kprobe.multi/foo*, 2, 42",
            "kprobe.multix, 0, 0",
            "tp/syscalls/sys_enter_read, 5, 0",
            "uprobe.s/bin:main, 2, 0",
            "tc/ingress, 3, 46",
            "tc/other, 0, 0",
            "xdp.frags, 6, 37",
            "xdp.frags/devmap, 6, 33",
            "cgroup_skb/ingress, 8, 0",
            "socket1, 0, 0",
            "xdp_foo, 0, 0",
            "sk_reuseport/migrate, 21, 40",
            "lsm.s/file_open, 29, 27",
            "tp.s/syscalls/x, 5, 0",
            "struct_ops/ops_init, 27, 0",
            "'', 0, 0",
    })
    void matchesLikeLibbpf(String name, int type, int attach) {
        ProgramSection s = SectionDefs.classify(name);
        assertThat(s.programType().id()).isEqualTo(type);
        assertThat(s.expectedAttachTypeId()).isEqualTo(attach);
        assertThat(s.definition().isPresent()).isEqualTo(type != 0);
    }

    @Test
    void questionMarkPrefixDisablesAutoloadAndIsStripped() {
        ProgramSection s = SectionDefs.classify("?tp/syscalls/sys_enter_write");
        assertThat(s.autoload()).isFalse();
        assertThat(s.name()).isEqualTo("tp/syscalls/sys_enter_write");
        assertThat(s.elfSectionName()).isEqualTo("?tp/syscalls/sys_enter_write");
        assertThat(s.programType()).isEqualTo(ProgramType.TRACEPOINT);
        assertThat(s.attachTarget()).contains("syscalls/sys_enter_write");
        assertThat(SectionDefs.classify("xdp").autoload()).isTrue();
    }

    @Test
    void sleepableAndFragsVariants() {
        assertThat(SectionDefs.classify("fentry.s/do_nanosleep").sleepable()).isTrue();
        assertThat(SectionDefs.classify("fentry/do_nanosleep").sleepable()).isFalse();
        assertThat(SectionDefs.classify("fentry.s/do_nanosleep").attachTarget()).contains("do_nanosleep");
        assertThat(SectionDefs.classify("syscall").sleepable()).isTrue();
        assertThat(SectionDefs.classify("xdp.frags").definition().orElseThrow().flags()).containsExactly(SecFlag.XDP_FRAGS);
        assertThat(SectionDefs.classify("xdp").definition().orElseThrow().flagBits()).isEqualTo(3);
        assertThat(SectionDefs.classify("usdt.s").definition().orElseThrow().flagBits()).isEqualTo(32 | 8);
    }

    /**
     * Against libbpf 1.1 itself ({@code libbpf_prog_type_by_name} over 355 names, golden
     * testdata/goldens/libbpf-relo/section-types.tsv): wherever 1.1 knows a name, bpf4j gives the same
     * program and attach type; every difference is a name 1.1 has no entry for (tcx, netkit,
     * uprobe.multi, sleepable tracepoints, ... were added later, and bpf4j follows the newest).
     */
    @Test
    void agreesWithLibbpf11WhereverLibbpf11HasAnEntry() throws IOException {
        java.nio.file.Path golden = java.nio.file.Path.of(System.getProperty("bpf4j.root", "."),
                "testdata/goldens/libbpf-relo/section-types.tsv");
        List<String> lines = java.nio.file.Files.readAllLines(golden);
        assertThat(lines).hasSizeGreaterThan(300);
        int agreed = 0;
        int addedSince = 0;
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            ProgramSection s = SectionDefs.classify(f[0]);
            if (f[1].equals("-")) {
                if (s.definition().isPresent()) {
                    addedSince++;
                } else {
                    agreed++;
                }
                continue;
            }
            assertThat(s.programType().id()).as("type of '%s'", f[0]).isEqualTo(Integer.parseInt(f[1]));
            assertThat(s.expectedAttachTypeId()).as("attach of '%s'", f[0]).isEqualTo(Integer.parseInt(f[2]));
            agreed++;
        }
        assertThat(agreed + addedSince).isEqualTo(lines.size());
        assertThat(addedSince).isEqualTo(57);
    }

    @Test
    void bareAndExactNamesHaveNoAttachTarget() {
        assertThat(SectionDefs.classify("kprobe").attachTarget()).isEmpty();
        assertThat(SectionDefs.classify("tc/ingress").attachTarget()).isEmpty();
        assertThat(SectionDefs.classify("nothing/here").attachTarget()).isEmpty();
    }
}
