/**
 * bpf4j's public API: {@code BpfObject}, {@code BpfProgram}, {@code BpfMap}, their options and
 * exceptions ({@code io.bpf4j.loader}), and the verifier selftests convention
 * ({@code io.bpf4j.loader.selftest}). {@code io.bpf4j.loader.internal} is not exported: bpf4j's own
 * benchmarks, which run on the class path, are its only users.
 */
module io.bpf4j.loader {
    requires transitive io.bpf4j.isa;
    // ProgramVerification and ProgramRejectedException carry the verifier's stats and exception
    requires transitive io.bpf4j.verifier;
    requires io.bpf4j.elf;
    requires io.bpf4j.maps;
    requires io.bpf4j.relocator;
    requires io.bpf4j.jit;
    requires org.slf4j;

    exports io.bpf4j.loader;
    exports io.bpf4j.loader.selftest;
}
