package io.bpf4j.isa.abi;

/**
 * The values R0 may hold at the main program's exit ({@code check_return_code}), inclusive, as
 * signed 32-bit bounds of the 32-bit subregister unless {@link #full64()} (the kernel compares the
 * whole register only for program types whose return value is a 64-bit quantity, e.g. LSM).
 */
public record ReturnRange(long min, long max, boolean full64) {

    public static ReturnRange of(long min, long max) {
        return new ReturnRange(min, max, false);
    }

    public boolean contains(long v) {
        return v >= min && v <= max;
    }

    @Override
    public String toString() {
        return "[" + min + ", " + max + "]";
    }
}
