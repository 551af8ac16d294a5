package io.bpf4j.relocator.core;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfKind;
import io.bpf4j.elf.btf.BtfType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The BTF that CO-RE relocations are resolved against: the kernel's (vmlinux, or a file given
 * in its place as libbpf's {@code btf_custom_path}) and optionally kernel modules' split BTF.
 * As in libbpf, module BTF is searched for a local type only when vmlinux has no candidate
 * of that name at all, and never when the vmlinux BTF is an override.
 *
 * <p>Each BTF gets an index from essential name to type ids, built once here, so finding
 * the candidates of a relocation costs one hash lookup instead of libbpf's scan over every
 * type. Immutable and safe to share between threads and objects.
 */
public final class CoreTarget {
    private final Indexed main;
    private final Supplier<Map<String, Btf>> moduleSource;
    private volatile List<Indexed> modules;
    private final boolean override;

    private CoreTarget(Btf main, Supplier<Map<String, Btf>> moduleSource, boolean override) {
        this.main = new Indexed("vmlinux", main, 1);
        this.moduleSource = moduleSource;
        this.override = override;
    }

    /** Module BTF is read and indexed the first time a local type has no vmlinux candidate, as libbpf loads it. */
    private List<Indexed> indexedModules() {
        List<Indexed> m = modules;
        if (m == null) {
            synchronized (this) {
                m = modules;
                if (m == null) {
                    List<Indexed> mods = new ArrayList<>();
                    for (Map.Entry<String, Btf> e : moduleSource.get().entrySet()) {
                        Btf btf = Objects.requireNonNull(e.getValue(), "module btf");
                        if (btf.base().orElse(null) != main.btf) {
                            throw new IllegalArgumentException("module '" + e.getKey() + "': BTF is not split on this vmlinux BTF");
                        }
                        // libbpf scans a module from the vmlinux type count: the module's own types only.
                        mods.add(new Indexed(e.getKey(), btf, main.btf.typeCount()));
                    }
                    m = List.copyOf(mods);
                    modules = m;
                }
            }
        }
        return m;
    }

    /**
     * A target that stands in for the kernel's BTF, as {@code bpf_object_open_opts.btf_custom_path}:
     * only this BTF is searched.
     */
    public static CoreTarget of(Btf btf) {
        return new CoreTarget(Objects.requireNonNull(btf, "btf"), Map::of, true);
    }

    /**
     * The running kernel's view: {@code vmlinux} first, then the modules' split BTF (in the
     * given order, each parsed on top of {@code vmlinux}) for local types vmlinux has no
     * candidate for.
     */
    public static CoreTarget kernel(Btf vmlinux, Map<String, Btf> modules) {
        Map<String, Btf> copy = new LinkedHashMap<>(modules);
        return kernel(vmlinux, () -> copy);
    }

    /**
     * As {@link #kernel(Btf, Map)}, with the modules' BTF (split on {@code vmlinux}) produced
     * only when a relocation first needs it: most objects find everything in vmlinux.
     */
    public static CoreTarget kernel(Btf vmlinux, Supplier<Map<String, Btf>> modules) {
        return new CoreTarget(Objects.requireNonNull(vmlinux, "vmlinux"), Objects.requireNonNull(modules, "modules"), false);
    }

    /**
     * Parses target BTF from the bytes of either a raw BTF file (like
     * {@code /sys/kernel/btf/vmlinux}) or an ELF file with a {@code .BTF} section, as libbpf's
     * {@code btf__parse} accepts both.
     *
     * @throws io.bpf4j.isa.BpfException when the data is neither, or the ELF has no {@code .BTF}
     */
    public static Btf parseBtf(byte[] data) {
        if (data.length >= 4 && data[0] == 0x7f && data[1] == 'E' && data[2] == 'L' && data[3] == 'F') {
            return ElfObject.read(data).btf()
                    .orElseThrow(() -> new CoreRelocationException("failed to parse target BTF: ELF has no .BTF section", "ENOENT"));
        }
        return Btf.parse(data);
    }

    /** {@return the main (vmlinux or override) BTF} */
    public Btf vmlinux() { return main.btf; }

    /** {@return the modules' BTF by name, in search order (reading them if not done yet)} */
    public Map<String, Btf> modules() {
        Map<String, Btf> out = new LinkedHashMap<>();
        for (Indexed m : indexedModules()) out.put(m.name, m.btf);
        return out;
    }

    /** {@return whether the main BTF overrides the kernel's (then modules are never searched)} */
    public boolean isOverride() { return override; }

    /**
     * The target candidates for a local type, in libbpf's order (ascending id in vmlinux, then
     * module by module): types of a core-compatible kind (the same kind, or ENUM with ENUM64)
     * whose non-empty name has the same essential name.
     */
    public List<CoreCandidate> candidates(BtfType local) {
        String essential = CoreNames.essential(local.name());
        List<CoreCandidate> out = new ArrayList<>();
        main.addCandidates(local, essential, out);
        if (!out.isEmpty() || override) {
            return out;
        }
        for (Indexed m : indexedModules()) {
            m.addCandidates(local, essential, out);
        }
        return out;
    }

    static boolean kindsCompatible(BtfType a, BtfType b) {
        return a.kind() == b.kind() || (isEnum(a) && isEnum(b));
    }

    private static boolean isEnum(BtfType t) {
        return t.kind() == BtfKind.ENUM || t.kind() == BtfKind.ENUM64;
    }

    private static final class Indexed {
        final String name;
        final Btf btf;
        final Map<String, int[]> byEssentialName;

        Indexed(String name, Btf btf, int startId) {
            this.name = name;
            this.btf = btf;
            // Almost every essential name is unique, so ids go straight into one-element arrays
            // and only the few shared names grow theirs.
            Map<String, int[]> index = new HashMap<>(btf.typeCount() * 2);
            int end = btf.typeCount();
            for (int id = Math.max(startId, 1); id < end; id++) {
                String n = btf.type(id).name();
                if (n.isEmpty()) continue;
                int sid = id;
                index.merge(CoreNames.essential(n), new int[] {id}, (had, one) -> {
                    int[] grown = java.util.Arrays.copyOf(had, had.length + 1);
                    grown[had.length] = sid;
                    return grown;
                });
            }
            this.byEssentialName = index;
        }

        void addCandidates(BtfType local, String essential, List<CoreCandidate> out) {
            int[] ids = byEssentialName.get(essential);
            if (ids == null) return;
            for (int id : ids) {
                if (kindsCompatible(btf.type(id), local)) {
                    out.add(new CoreCandidate(btf, id, name));
                }
            }
        }
    }
}
