package io.bpf4j.isa.abi;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The prototype of one BPF helper as the verifier checks a call to it ({@code struct bpf_func_proto}).
 *
 * <p>One helper id can have several prototypes: the kernel hands different variants to different
 * program types (for example {@code get_socket_cookie} takes the ctx in cgroup_sock_addr programs and
 * a socket pointer in tracing programs). {@link #variant()} names the variant ({@code ""} for the
 * main one); {@link KernelProfile#helper(ProgramType, AttachType, int)} picks the right one.
 *
 * @param id          the helper id ({@code BPF_FUNC_*})
 * @param name        the name without {@code bpf_}, as {@link HelperId#displayName()}
 * @param variant     which of the kernel's prototypes for this id; "" for the main one
 * @param ret         the return kind
 * @param retFlags    flags on the returned type (MEM_RDONLY, MEM_RINGBUF, PTR_TRUSTED, MEM_RCU...)
 * @param retBtfType  for BTF-id returns the kernel struct R0 points to ({@code ret_btf_id}); "" otherwise
 * @param args        the arguments in order, without trailing DONTCARE ones (at most 5)
 * @param gplOnly     callable only from GPL-compatible programs
 * @param pktAccess   may be passed packet pointers as memory arguments
 * @param mightSleep  only for sleepable programs
 * @param allowFastcall the call preserves caller-saved registers it does not use (bpf_fastcall)
 * @param acquiresRef R0 carries a new reference the program must release (sk_lookup_*, ringbuf_reserve,
 *                    kptr_xchg...). map_lookup_elem acquires one only on sockmap/sockhash: see
 *                    {@link #acquiresRef(MapType)}.
 * @param targetAllowlist the kernel also asks the attach target (the prototype's {@code allowed}
 *                    callback: d_path, ima_*_hash, sk_storage_* for tracing): a program whose target
 *                    is not on the kernel's list gets {@code helper call is not allowed in probe}
 */
public record HelperProto(int id, String name, String variant, RetKind ret, Set<TypeFlag> retFlags,
                          String retBtfType, List<ArgSpec> args, boolean gplOnly, boolean pktAccess,
                          boolean mightSleep, boolean allowFastcall, boolean acquiresRef, boolean targetAllowlist) {

    public HelperProto {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ret, "ret");
        variant = variant == null ? "" : variant;
        retFlags = retFlags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(retFlags));
        retBtfType = retBtfType == null ? "" : retBtfType;
        args = List.copyOf(args);
        if (args.size() > 5) {
            throw new IllegalArgumentException(name + ": " + args.size() + " args");
        }
    }

    /** Without a target allowlist (the shape before {@code targetAllowlist} existed). */
    public HelperProto(int id, String name, String variant, RetKind ret, Set<TypeFlag> retFlags, String retBtfType,
                       List<ArgSpec> args, boolean gplOnly, boolean pktAccess, boolean mightSleep,
                       boolean allowFastcall, boolean acquiresRef) {
        this(id, name, variant, ret, retFlags, retBtfType, args, gplOnly, pktAccess, mightSleep, allowFastcall,
                acquiresRef, false);
    }

    /** True when R0 may be NULL after the call (an {@code *_OR_NULL} return or a PTR_MAYBE_NULL flag). */
    public boolean retMaybeNull() {
        return ret.maybeNull() || retFlags.contains(TypeFlag.PTR_MAYBE_NULL);
    }

    /** The argument at 0-based index {@code i}, DONTCARE beyond the declared ones. */
    public ArgSpec arg(int i) {
        return i < args.size() ? args.get(i) : ArgSpec.of(ArgKind.DONTCARE);
    }

    /** The index (0-based) of the argument whose reference is released, or -1. */
    public int releasedArg() {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).releases()) {
                return i;
            }
        }
        return -1;
    }

    /** True when the call releases a reference (sk_release, ringbuf_submit/discard...). */
    public boolean releasesRef() {
        return releasedArg() >= 0;
    }

    /** Whether a call acquires a reference when its map argument has type {@code t}. */
    public boolean acquiresRef(MapType t) {
        if (acquiresRef) {
            return true;
        }
        return id == HelperId.MAP_LOOKUP_ELEM.id() && (t == MapType.SOCKMAP || t == MapType.SOCKHASH);
    }

    /** The C name, {@code bpf_} + name. */
    public String helperName() {
        return "bpf_" + name;
    }

    /** The text form used in the data file and in reports. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(id).append(' ').append(name);
        if (!variant.isEmpty()) {
            sb.append('@').append(variant);
        }
        sb.append('(');
        for (int i = 0; i < args.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(args.get(i));
        }
        sb.append(") -> ").append(ret.name().toLowerCase(java.util.Locale.ROOT));
        return sb.toString();
    }
}
