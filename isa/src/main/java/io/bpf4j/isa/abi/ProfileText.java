package io.bpf4j.isa.abi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the text tables behind {@link KernelProfile#linux618()}.
 *
 * <p>Prototypes, one per line:
 * <pre>
 *   id name[@variant] [gpl] [pkt] [sleep] [fastcall] [acquire] [allowlist] -&gt; ret[|flag...][&lt;btf&gt;] : arg, arg...
 *   arg = kind[|flag...][(fixed size)][&lt;btf struct&gt;]      (kinds and flags lower-case enum names)
 * </pre>
 * Program types, any number of lines each, naming helpers (optionally {@code @variant}) and
 * {@code %group}s defined with {@code group NAME: ...}:
 * <pre>
 *   program xdp: %base redirect perf_event_output@xdp
 *   program cgroup_sock_addr[cgroup_inet4_bind cgroup_inet6_bind]: bind
 * </pre>
 * Helpers whose presence depends on how the kernel was built or is run (a config option,
 * lockdown), so that a kernel lacking them is no contradiction of the table:
 * <pre>
 *   build CONFIG_XFRM: skb_get_xfrm_state
 * </pre>
 * {@code #} starts a comment.
 */
final class ProfileText {

    private ProfileText() {
    }

    static List<String> lines(String resource) {
        InputStream in = ProfileText.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("missing resource " + resource);
        }
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                int hash = line.indexOf('#');
                if (hash >= 0) {
                    line = line.substring(0, hash);
                }
                line = line.strip();
                if (!line.isEmpty()) {
                    out.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static Map<Integer, List<HelperProto>> parseProtos(List<String> lines) {
        Map<Integer, List<HelperProto>> out = new LinkedHashMap<>();
        for (String line : lines) {
            HelperProto p;
            try {
                p = parseProto(line);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("bad prototype line: " + line + ": " + e.getMessage(), e);
            }
            out.computeIfAbsent(p.id(), k -> new ArrayList<>()).add(p);
        }
        return out;
    }

    static HelperProto parseProto(String line) {
        int arrow = line.indexOf("->");
        int colon = line.indexOf(':', arrow);
        String[] head = line.substring(0, arrow).trim().split("\\s+");
        int id = Integer.parseInt(head[0]);
        String name = head[1];
        String variant = "";
        int at = name.indexOf('@');
        if (at >= 0) {
            variant = name.substring(at + 1);
            name = name.substring(0, at);
        }
        boolean gpl = false, pkt = false, sleep = false, fastcall = false, acquire = false, allowlist = false;
        for (int i = 2; i < head.length; i++) {
            switch (head[i]) {
                case "gpl" -> gpl = true;
                case "pkt" -> pkt = true;
                case "sleep" -> sleep = true;
                case "fastcall" -> fastcall = true;
                case "acquire" -> acquire = true;
                case "allowlist" -> allowlist = true;
                default -> throw new IllegalArgumentException("unknown attribute " + head[i]);
            }
        }
        String retText = (colon < 0 ? line.substring(arrow + 2) : line.substring(arrow + 2, colon)).trim();
        String retBtf = "";
        int lt = retText.indexOf('<');
        if (lt >= 0) {
            retBtf = retText.substring(lt + 1, retText.indexOf('>'));
            retText = retText.substring(0, lt);
        }
        String[] retParts = retText.split("\\|");
        RetKind ret = RetKind.valueOf(retParts[0].toUpperCase(Locale.ROOT));
        Set<TypeFlag> retFlags = EnumSet.noneOf(TypeFlag.class);
        for (int i = 1; i < retParts.length; i++) {
            retFlags.add(TypeFlag.valueOf(retParts[i].toUpperCase(Locale.ROOT)));
        }
        List<ArgSpec> args = new ArrayList<>();
        if (colon >= 0) {
            String argText = line.substring(colon + 1).trim();
            if (!argText.isEmpty()) {
                for (String a : argText.split(",")) {
                    args.add(parseArg(a.trim()));
                }
            }
        }
        return new HelperProto(id, name, variant, ret, retFlags, retBtf, args, gpl, pkt, sleep, fastcall, acquire,
                allowlist);
    }

    static ArgSpec parseArg(String a) {
        String btf = "";
        int lt = a.indexOf('<');
        if (lt >= 0) {
            btf = a.substring(lt + 1, a.indexOf('>'));
            a = a.substring(0, lt);
        }
        int size = 0;
        int lp = a.indexOf('(');
        if (lp >= 0) {
            size = Integer.parseInt(a.substring(lp + 1, a.indexOf(')')));
            a = a.substring(0, lp);
        }
        String[] parts = a.split("\\|");
        ArgKind kind = ArgKind.valueOf(parts[0].toUpperCase(Locale.ROOT));
        Set<TypeFlag> flags = EnumSet.noneOf(TypeFlag.class);
        for (int i = 1; i < parts.length; i++) {
            flags.add(TypeFlag.valueOf(parts[i].toUpperCase(Locale.ROOT)));
        }
        return new ArgSpec(kind, flags, size, btf);
    }

    /** Parses the program-type lines against the prototypes (every name must have a prototype). */
    static Map<ProgramType, List<KernelProfile.Allowance>> parseProgramTypes(List<String> lines,
                                                                          Map<Integer, List<HelperProto>> protos) {
        Map<String, Integer> byName = new HashMap<>();
        protos.forEach((id, l) -> l.forEach(p -> byName.put(p.name(), id)));
        Map<String, List<String>> groups = new HashMap<>();
        Map<ProgramType, List<KernelProfile.Allowance>> out = new LinkedHashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            String head = line.substring(0, colon).trim();
            List<String> items = List.of(line.substring(colon + 1).trim().split("\\s+"));
            if (head.startsWith("build ")) {
                continue;
            }
            if (head.startsWith("group ")) {
                groups.computeIfAbsent(head.substring(6).trim(), k -> new ArrayList<>()).addAll(items);
                continue;
            }
            if (!head.startsWith("program ")) {
                throw new IllegalArgumentException("bad line: " + line);
            }
            String spec = head.substring(8).trim();
            Set<AttachType> only = EnumSet.noneOf(AttachType.class);
            int lb = spec.indexOf('[');
            if (lb >= 0) {
                for (String s : spec.substring(lb + 1, spec.indexOf(']')).trim().split("\\s+")) {
                    only.add(AttachType.valueOf(s.toUpperCase(Locale.ROOT)));
                }
                spec = spec.substring(0, lb).trim();
            }
            ProgramType t = ProgramType.valueOf(spec.toUpperCase(Locale.ROOT));
            List<KernelProfile.Allowance> list = out.computeIfAbsent(t, k -> new ArrayList<>());
            expand(items, groups, byName, protos, only, list, 0);
        }
        return out;
    }

    /** The {@code build} lines: helper id to the build choice it depends on. */
    static Map<Integer, String> parseBuildOptions(List<String> lines, Map<Integer, List<HelperProto>> protos) {
        Map<String, Integer> byName = new HashMap<>();
        protos.forEach((id, l) -> l.forEach(p -> byName.put(p.name(), id)));
        Map<Integer, String> out = new java.util.TreeMap<>();
        for (String line : lines) {
            if (!line.startsWith("build ")) {
                continue;
            }
            int colon = line.indexOf(':');
            String option = line.substring(6, colon).trim();
            for (String name : line.substring(colon + 1).trim().split("\\s+")) {
                Integer id = byName.get(name);
                if (id == null) {
                    throw new IllegalArgumentException("no prototype for helper " + name);
                }
                out.merge(id, option, (x, y) -> x + ", " + y);
            }
        }
        return out;
    }

    private static void expand(List<String> items, Map<String, List<String>> groups, Map<String, Integer> byName,
                               Map<Integer, List<HelperProto>> protos, Set<AttachType> only,
                               List<KernelProfile.Allowance> list, int depth) {
        if (depth > 10) {
            throw new IllegalArgumentException("group nesting too deep");
        }
        for (String item : items) {
            if (item.isEmpty()) {
                continue;
            }
            if (item.startsWith("%")) {
                List<String> g = groups.get(item.substring(1));
                if (g == null) {
                    throw new IllegalArgumentException("unknown group " + item);
                }
                expand(g, groups, byName, protos, only, list, depth + 1);
                continue;
            }
            String name = item;
            String variant = "";
            int at = item.indexOf('@');
            if (at >= 0) {
                name = item.substring(0, at);
                variant = item.substring(at + 1);
            }
            Integer id = byName.get(name);
            if (id == null) {
                throw new IllegalArgumentException("no prototype for helper " + name);
            }
            String v = variant;
            if (protos.get(id).stream().noneMatch(p -> p.variant().equals(v))) {
                throw new IllegalArgumentException("no prototype variant " + item);
            }
            // a later, more specific line overrides an earlier entry for the same helper and attach set
            list.removeIf(al -> al.helperId() == id && al.onlyFor().equals(only));
            list.add(new KernelProfile.Allowance(id, variant, only));
        }
    }
}
