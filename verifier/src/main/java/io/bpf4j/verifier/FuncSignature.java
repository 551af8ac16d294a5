package io.bpf4j.verifier;

import java.util.List;

/**
 * A function's BTF prototype as the kernel's {@code btf_prepare_func_args} reads it: whether it
 * returns a scalar (int or enum; void does not) and what each argument register must hold.
 */
public record FuncSignature(boolean returnsScalar, List<Arg> args) {
    public FuncSignature {
        args = List.copyOf(args);
    }

    /**
     * What an argument is: a number, the program's context, memory of a known size, a trusted
     * pointer to a kernel struct ({@code arg:trusted}), or something not modelled.
     */
    public enum Kind { SCALAR, CTX, MEM, TRUSTED, UNSUPPORTED }

    /**
     * One argument: for {@link Kind#MEM} the pointee's size and whether NULL may be passed
     * (everything but {@code __arg_nonnull}); for {@link Kind#TRUSTED} the kernel struct's name
     * in {@code detail} (without a CO-RE flavor suffix) and whether NULL may be passed
     * ({@code arg:nullable}); for {@link Kind#UNSUPPORTED} what it is, for the "not supported
     * yet" message.
     */
    public record Arg(Kind kind, int memSize, boolean nullable, String detail) {
        public static Arg scalar() {
            return new Arg(Kind.SCALAR, 0, false, "");
        }

        public static Arg ctx() {
            return new Arg(Kind.CTX, 0, false, "");
        }

        public static Arg mem(int size, boolean nullable) {
            return new Arg(Kind.MEM, size, nullable, "");
        }

        /** A trusted pointer to the kernel struct {@code kernelStruct}, NULL allowed when {@code nullable}. */
        public static Arg trusted(String kernelStruct, boolean nullable) {
            return new Arg(Kind.TRUSTED, 0, nullable, kernelStruct);
        }

        public static Arg unsupported(String detail) {
            return new Arg(Kind.UNSUPPORTED, 0, false, detail);
        }
    }
}
