package io.bpf4j.relocator;

/**
 * An object whose externs are resolved ({@code bpf_object__resolve_externs}): the second phase
 * of the pipeline, after {@link Relocator#open} and before {@link Relocator#relocateCore}.
 * Resolution runs once per object state; every program relocated from this object (through the
 * CO-RE phase) uses the same values, and its diagnostics are printed once.
 */
public final class ResolvedObject {
    private final ObjectSpec object;
    final ExternResolver.Resolved externs;

    ResolvedObject(ObjectSpec object, ExternResolver.Resolved externs) {
        this.object = object;
        this.externs = externs;
    }

    /** The object with its {@code .kconfig} map's initial data filled. */
    public ObjectSpec object() {
        return object;
    }

    @Override
    public String toString() {
        return "ResolvedObject[" + object.name() + ", " + object.externs().size() + " externs]";
    }
}
