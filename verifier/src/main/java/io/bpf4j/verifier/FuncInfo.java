package io.bpf4j.verifier;

/**
 * One BTF func_info record as the verifier needs it: where a function starts (in instruction
 * slots), its name, whether its BTF linkage is global (globals are verified on their own), and
 * its BTF prototype ({@code null} when unknown): what a global is verified against, and for
 * every subprogram whether it returns a scalar (LD_ABS and tail calls need one). A call to a
 * global without a known prototype is reported as not supported.
 */
public record FuncInfo(int insnOffset, String name, boolean global, FuncSignature signature) {
    /** A function without a known prototype. */
    public FuncInfo(int insnOffset, String name, boolean global) {
        this(insnOffset, name, global, null);
    }
}
