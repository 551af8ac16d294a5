package io.bpf4j.isa.abi;

/**
 * The answer to "is this context access valid, and what does it yield" ({@code is_valid_access}
 * plus what it writes into {@code bpf_insn_access_aux}).
 *
 * @param valid         the kernel accepts the access; when false the verifier reports
 *                      {@code invalid bpf_context access off=%d size=%d}
 * @param yields        the register type a load produces ({@link RegKind#SCALAR} for data fields)
 * @param field         the field accessed, or null for layouts without named fields (tracing contexts)
 * @param ctxFieldSize  the size of the underlying field the access is narrowed from (for narrow loads),
 *                      0 when the access is not a narrowed one
 * @param btfType       for {@link RegKind#PTR_TO_BTF_ID} results, the kernel struct; "" otherwise
 */
public record CtxAccess(boolean valid, RegKind yields, ContextField field, int ctxFieldSize, String btfType) {

    public static final CtxAccess INVALID = new CtxAccess(false, RegKind.NOT_INIT, null, 0, "");

    public static CtxAccess scalar(ContextField field, int ctxFieldSize) {
        return new CtxAccess(true, RegKind.SCALAR, field, ctxFieldSize, "");
    }

    public CtxAccess {
        btfType = btfType == null ? "" : btfType;
    }
}
