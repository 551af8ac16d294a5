package io.bpf4j.isa.abi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * What one kernel build offers BPF programs: the helper prototypes, which helpers each program type
 * may call (for a privileged loader: CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN), and the context layout of
 * each program type. Immutable; {@link #withHelpers} derives a restricted copy.
 *
 * <p>{@link #linux618()} is built in: Linux 6.18, x86-64, defconfig-like (BPF, networking, tracing,
 * cgroups, XDP sockets, sockmap, netfilter, LSM). A different build may lack helpers; the loader
 * module's {@code KernelProfiles.probe()} narrows this profile to what the running kernel offers.
 */
public final class KernelProfile {

    /** One helper a program type may call: which prototype variant, and for which attach types. */
    public record Allowance(int helperId, String variant, Set<AttachType> onlyFor) {
        public Allowance {
            variant = variant == null ? "" : variant;
            onlyFor = onlyFor == null || onlyFor.isEmpty() ? Set.of() : Set.copyOf(onlyFor);
        }

        /** True when the helper is allowed with expected attach type {@code a} (null: none given). */
        public boolean appliesTo(AttachType a) {
            return onlyFor.isEmpty() || (a != null && onlyFor.contains(a));
        }
    }

    private final String name;
    private final Map<Integer, List<HelperProto>> protos;
    private final Map<ProgramType, List<Allowance>> allowances;
    private final BiFunction<ProgramType, AttachType, ContextLayout> contexts;
    private final Map<Integer, String> buildOptions;

    KernelProfile(String name, Map<Integer, List<HelperProto>> protos, Map<ProgramType, List<Allowance>> allowances,
                  Map<Integer, String> buildOptions, BiFunction<ProgramType, AttachType, ContextLayout> contexts) {
        this.buildOptions = Collections.unmodifiableMap(new java.util.TreeMap<>(buildOptions));
        this.name = Objects.requireNonNull(name);
        Map<Integer, List<HelperProto>> p = new LinkedHashMap<>();
        protos.forEach((k, v) -> p.put(k, List.copyOf(v)));
        this.protos = Collections.unmodifiableMap(p);
        Map<ProgramType, List<Allowance>> a = new EnumMap<>(ProgramType.class);
        allowances.forEach((k, v) -> a.put(k, List.copyOf(v)));
        this.allowances = Collections.unmodifiableMap(a);
        this.contexts = contexts;
    }

    private static volatile KernelProfile linux618;

    /** The built-in profile of Linux 6.18 on x86-64 (defconfig), for a root loader. */
    public static KernelProfile linux618() {
        KernelProfile p = linux618;
        if (p == null) {
            synchronized (KernelProfile.class) {
                p = linux618;
                if (p == null) {
                    p = Linux618.build();
                    linux618 = p;
                }
            }
        }
        return p;
    }

    /** A name for reports: {@code "linux-6.18"}, or that name plus what restricted it. */
    public String name() {
        return name;
    }

    /**
     * Helpers whose availability depends on the kernel's build or run-time settings rather than
     * its version (a config option such as {@code CONFIG_XFRM}, or lockdown), by id, with that
     * option: a kernel that lacks one of them does not contradict this profile.
     */
    public Map<Integer, String> buildOptions() {
        return buildOptions;
    }

    /** The main prototype of helper {@code id}. */
    public Optional<HelperProto> helper(int id) {
        List<HelperProto> l = protos.get(id);
        if (l == null || l.isEmpty()) {
            return Optional.empty();
        }
        for (HelperProto h : l) {
            if (h.variant().isEmpty()) {
                return Optional.of(h);
            }
        }
        return Optional.of(l.get(0));
    }

    /** Every prototype variant of helper {@code id}. */
    public List<HelperProto> variants(int id) {
        return protos.getOrDefault(id, List.of());
    }

    /** All main prototypes, by id. */
    public List<HelperProto> helpers() {
        List<HelperProto> out = new ArrayList<>();
        for (Integer id : new TreeSet<>(protos.keySet())) {
            helper(id).ifPresent(out::add);
        }
        return out;
    }

    /**
     * The prototype a program of type {@code t} with expected attach type {@code a} (may be null)
     * gets for helper {@code id}; empty when it may not call the helper
     * ({@code program of this type cannot use helper %s#%d}).
     */
    public Optional<HelperProto> helper(ProgramType t, AttachType a, int id) {
        // an entry for specific attach types overrides the program type's general one
        Allowance chosen = null;
        for (Allowance al : allowances.getOrDefault(t, List.of())) {
            if (al.helperId() == id && al.appliesTo(a) && (chosen == null || !al.onlyFor().isEmpty())) {
                chosen = al;
            }
        }
        if (chosen != null) {
            for (HelperProto h : variants(id)) {
                if (h.variant().equals(chosen.variant())) {
                    return Optional.of(h);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether program type {@code t} may call helper {@code helperId} with some attach type. */
    public boolean allows(ProgramType t, int helperId) {
        for (Allowance al : allowances.getOrDefault(t, List.of())) {
            if (al.helperId() == helperId) {
                return true;
            }
        }
        return false;
    }

    /** Whether program type {@code t} with expected attach type {@code a} may call helper {@code helperId}. */
    public boolean allows(ProgramType t, AttachType a, int helperId) {
        return helper(t, a, helperId).isPresent();
    }

    /** The ids of the helpers program type {@code t} may call with some attach type, ascending. */
    public Set<Integer> helperIds(ProgramType t) {
        Set<Integer> s = new TreeSet<>();
        for (Allowance al : allowances.getOrDefault(t, List.of())) {
            s.add(al.helperId());
        }
        return Collections.unmodifiableSet(s);
    }

    /** The raw allowance entries of program type {@code t}. */
    public List<Allowance> allowances(ProgramType t) {
        return allowances.getOrDefault(t, List.of());
    }

    /** The program types this profile has helper tables for. */
    public Set<ProgramType> programTypes() {
        return allowances.keySet();
    }

    /**
     * The context of program type {@code t} with expected attach type {@code a} (null when none was
     * given); a layout with no fields for program types this profile does not describe.
     */
    public ContextLayout context(ProgramType t, AttachType a) {
        ContextLayout l = contexts.apply(t, a);
        return l != null ? l : ContextLayout.builder(t, "unknown", 0).attachType(a).build();
    }

    /**
     * This profile with program type {@code t} restricted to the helpers in {@code allowed}
     * (ids not in this profile's table for {@code t} are ignored: a prototype is needed to use them).
     */
    public KernelProfile withHelpers(ProgramType t, Set<Integer> allowed) {
        Map<ProgramType, List<Allowance>> a = new EnumMap<>(ProgramType.class);
        a.putAll(allowances);
        List<Allowance> kept = new ArrayList<>();
        for (Allowance al : allowances.getOrDefault(t, List.of())) {
            if (allowed.contains(al.helperId())) {
                kept.add(al);
            }
        }
        a.put(t, kept);
        String n = name.contains("+restricted") ? name : name + "+restricted";
        return new KernelProfile(n, protos, a, buildOptions, contexts);
    }

    @Override
    public String toString() {
        return "KernelProfile[" + name + ", " + protos.size() + " helpers, " + allowances.size() + " program types]";
    }
}
