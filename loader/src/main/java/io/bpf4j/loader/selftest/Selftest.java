package io.bpf4j.loader.selftest;

import java.util.List;

/**
 * One test of a selftest object, as {@code test_loader.c} runs one subtest: a program of the
 * object in one mode: privileged (root), or the {@code @unpriv} run, verified with the rules for
 * a loader without CAP_BPF and CAP_PERFMON.
 *
 * @param objectName  the object's file name (what its maps are prefixed with)
 * @param object      the object's bytes (every test opens its own copy, as test_loader does)
 * @param spec        the program's expectations
 * @param unprivileged whether this is the {@code @unpriv} run of the program
 * @param auxiliaries the object's {@code test_auxiliary} programs, loaded with it
 */
public record Selftest(String objectName, byte[] object, SelftestSpec spec, boolean unprivileged, List<String> auxiliaries) {
    public Selftest {
        auxiliaries = List.copyOf(auxiliaries);
    }

    /** The test's name: the program with its description, and {@code @unpriv} for the unprivileged run. */
    public String name() {
        return spec.displayName() + (unprivileged ? " @unpriv" : "");
    }

    @Override
    public String toString() {
        return objectName + "/" + name();
    }
}
