/**
 * The kernel's verifier selftests convention, run in process: objects whose programs carry the
 * BTF decl tags of {@code tools/testing/selftests/bpf/progs/bpf_misc.h} ({@code __success},
 * {@code __failure}, {@code __msg}, {@code __retval}, ...) test themselves as
 * {@code test_loader.c} tests them. {@link io.bpf4j.loader.selftest.Selftests} reads the
 * expectations ({@link io.bpf4j.loader.selftest.SelftestSpec}) and runs one
 * {@link io.bpf4j.loader.selftest.Selftest} to a {@link io.bpf4j.loader.selftest.SelftestResult};
 * the JUnit harness ({@code BpfSelftests.dynamicTests}) and {@code bpf4j test} are thin wrappers.
 */
package io.bpf4j.loader.selftest;
