package io.bpf4j.jit;

/**
 * Where an instruction is in the form an engine runs, what the kernel's JIT reports as an
 * instruction array entry's {@code jitted_off}.
 *
 * @param method the generated method holding the instruction's code ({@code f<k>} for function k,
 *               {@code c<k>_<n>} for chunk n of a split function k), or {@code null} for the
 *               interpreter, which runs the instructions as they are
 * @param offset the offset of the instruction's first bytecode in {@code method}; for the
 *               interpreter, the instruction's slot
 */
public record CodePosition(String method, int offset) {
    /** The interpreter's position of {@code slot}: the slot itself. */
    public static CodePosition interpreted(int slot) {
        return new CodePosition(null, slot);
    }

    /** {@code f1+0x2c}, or the slot for the interpreter. */
    @Override
    public String toString() {
        return method == null ? Integer.toString(offset) : method + "+0x" + Integer.toHexString(offset);
    }
}
