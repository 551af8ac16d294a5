package io.bpf4j.isa.abi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The context (R1 at entry) of one program type, resolved for one expected attach type: its size,
 * its fields with their access rules, and the range R0 must be in at exit.
 *
 * <p>Two shapes exist. Struct contexts ({@code __sk_buff}, {@code xdp_md}, {@code bpf_sock_addr}...)
 * have named fields and an access is valid only inside a field, with an allowed size, aligned to
 * its own size. Flat contexts (kprobe's {@code pt_regs}, tracepoint records, raw tracepoint
 * arguments, syscall programs' user buffer) accept any aligned read within a window and yield
 * scalars. {@link #access(int, int, boolean)} answers both the way the kernel's
 * {@code is_valid_access} callback for the program type does.
 */
public final class ContextLayout {

    private final ProgramType programType;
    private final AttachType attachType;
    private final String structName;
    private final int size;
    private final List<ContextField> fields;
    private final Flat flat;
    private final ReturnRange returnRange;

    private ContextLayout(Builder b) {
        this.programType = b.programType;
        this.attachType = b.attachType;
        this.structName = b.structName;
        this.size = b.size;
        List<ContextField> f = new ArrayList<>(b.fields);
        f.sort(Comparator.comparingInt(ContextField::offset));
        this.fields = List.copyOf(f);
        this.flat = b.flat;
        this.returnRange = b.returnRange;
    }

    public ProgramType programType() {
        return programType;
    }

    /** The attach type this layout was resolved for; empty when the rules do not depend on it. */
    public Optional<AttachType> attachType() {
        return Optional.ofNullable(attachType);
    }

    /** The uapi struct programs see ({@code "__sk_buff"}, {@code "pt_regs"}...). */
    public String structName() {
        return structName;
    }

    /** Bytes of context a program may address. */
    public int size() {
        return size;
    }

    /** The named fields (empty for flat contexts), by offset. */
    public List<ContextField> fields() {
        return fields;
    }

    public Optional<ContextField> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** The field that covers byte {@code off}, if any. */
    public Optional<ContextField> fieldAt(int off) {
        for (ContextField f : fields) {
            if (off >= f.offset() && off < f.end()) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** True for contexts that are (mostly) a window of raw bytes rather than named fields. */
    public boolean isFlat() {
        return flat != null;
    }

    /** The raw window of a flat context. */
    public Optional<Flat> flat() {
        return Optional.ofNullable(flat);
    }

    /**
     * The range R0 must lie in at exit of the main program; empty when the kernel does not check
     * the value (it still requires R0 to be readable).
     */
    public Optional<ReturnRange> returnRange() {
        return Optional.ofNullable(returnRange);
    }

    /**
     * Whether a load ({@code write == false}) or store of {@code size} bytes at constant offset
     * {@code off} from the context start is valid, and what a load yields.
     */
    public CtxAccess access(int off, int size, boolean write) {
        return access(off, size, write, false);
    }

    /**
     * As {@link #access(int, int, boolean)}, for a sign-extending load ({@code BPF_MEMSX}) when
     * {@code signExtend}: the kernel refuses those on packet pointer fields.
     *
     * <p>Fields may overlap (a 2-byte port that also accepts a 4-byte load at its offset is two
     * entries); the access is valid when some field covering {@code off} accepts it.
     */
    public CtxAccess access(int off, int size, boolean write, boolean signExtend) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            return CtxAccess.INVALID;
        }
        if (off < 0 || off % size != 0) {
            return CtxAccess.INVALID;
        }
        boolean covered = false;
        for (ContextField f : fields) {
            if (!f.covers(off)) {
                continue;
            }
            covered = true;
            if (!f.contains(off, size) || !f.access().allows(size, write)) {
                continue;
            }
            if (write) {
                return new CtxAccess(true, RegKind.NOT_INIT, f, 0, "");
            }
            if (f.isPointer()) {
                if (signExtend) {
                    return CtxAccess.INVALID;
                }
                return new CtxAccess(true, f.pointerKind(), f, 0, f.btfType());
            }
            int elem = elementSize(f);
            return CtxAccess.scalar(f, size < elem ? elem : 0);
        }
        if (!covered && flat != null) {
            return flat.access(off, size, write);
        }
        return CtxAccess.INVALID;
    }

    private static int elementSize(ContextField f) {
        // the largest allowed load size is the size of one element of an array field
        int m = f.access().readSizes();
        return m == 0 ? f.size() : Integer.highestOneBit(m);
    }

    @Override
    public String toString() {
        return "ContextLayout[" + programType.displayName() + (attachType == null ? "" : "/" + attachType.displayName())
                + " " + structName + " size=" + size + (flat != null ? " flat" : " fields=" + fields.size()) + "]";
    }

    /**
     * A flat context: any access in {@code [from, to)} aligned to its size, of a size in {@code sizes}
     * (mask as in {@link ContextField.Access}), read-only unless {@code writable}.
     */
    public record Flat(int from, int to, int sizes, boolean writable) {
        CtxAccess access(int off, int size, boolean write) {
            // the kernel bounds the start offset; alignment to the size keeps the end inside
            if (off < from || off >= to || (write && !writable)) {
                return CtxAccess.INVALID;
            }
            if ((sizes & (1 << Integer.numberOfTrailingZeros(size))) == 0) {
                return CtxAccess.INVALID;
            }
            return new CtxAccess(true, write ? RegKind.NOT_INIT : RegKind.SCALAR, null, 0, "");
        }
    }

    public static Builder builder(ProgramType t, String structName, int size) {
        return new Builder(t, structName, size);
    }

    /** Assembles a layout; used by {@link KernelProfile}'s tables. */
    public static final class Builder {
        private final ProgramType programType;
        private final String structName;
        private final int size;
        private AttachType attachType;
        private final List<ContextField> fields = new ArrayList<>();
        private Flat flat;
        private ReturnRange returnRange;

        private Builder(ProgramType t, String structName, int size) {
            this.programType = Objects.requireNonNull(t);
            this.structName = Objects.requireNonNull(structName);
            this.size = size;
        }

        public Builder attachType(AttachType a) { this.attachType = a; return this; }
        public Builder field(ContextField f) { fields.add(f); return this; }
        public Builder flat(Flat f) { this.flat = f; return this; }
        public Builder returnRange(ReturnRange r) { this.returnRange = r; return this; }

        /** Replaces the field with the same name (used to derive one program type's rules from another's). */
        public Builder replace(ContextField f) {
            fields.removeIf(x -> x.name().equals(f.name()));
            fields.add(f);
            return this;
        }

        public Builder remove(String name) {
            fields.removeIf(x -> x.name().equals(name));
            return this;
        }

        public ContextLayout build() {
            return new ContextLayout(this);
        }
    }
}
