package io.bpf4j.isa;

/** The eleven BPF registers (RFC 9669 §2.4): r0 return value, r1-r5 arguments, r6-r9 callee-saved, r10 frame pointer. */
public enum Register {
    R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10;

    private static final Register[] ALL = values();

    /** The register numbered {@code n}, or {@code null} when the number names no register (11..15). */
    public static Register ofNullable(int n) {
        return n >= 0 && n < ALL.length ? ALL[n] : null;
    }

    /** The register numbered {@code n}; throws for 11..15. */
    public static Register of(int n) {
        Register r = ofNullable(n);
        if (r == null) {
            throw new BpfException("register r" + n + " does not exist");
        }
        return r;
    }

    public int number() {
        return ordinal();
    }

    @Override
    public String toString() {
        return "r" + ordinal();
    }
}
