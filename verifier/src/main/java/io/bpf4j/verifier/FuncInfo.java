package io.bpf4j.verifier;

/**
 * One BTF func_info record as the verifier needs it: where a function starts (in instruction
 * slots), its name, whether its BTF linkage is global (globals are verified on their own), and
 * for globals the prototype they are verified against ({@code null} when unknown: a call to
 * such a global is then reported as not supported).
 */
public record FuncInfo(int insnOffset, String name, boolean global, FuncSignature signature) {
    /** A function without a known prototype. */
    public FuncInfo(int insnOffset, String name, boolean global) {
        this(insnOffset, name, global, null);
    }
}
