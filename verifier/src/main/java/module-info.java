/**
 * The Linux 6.18 BPF verifier's semantics over {@code io.bpf4j.isa} types. The analyzer
 * ({@code io.bpf4j.verifier.internal} and below) is not exported.
 */
module io.bpf4j.verifier {
    requires transitive io.bpf4j.isa;

    exports io.bpf4j.verifier;
}
