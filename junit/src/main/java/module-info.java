/**
 * The JUnit 5 harness for BPF objects: {@code BpfExtension} ({@code @BpfTest}, {@code @BpfSource},
 * {@code @Name}, {@code @EachEngine}), {@code BpfAssertions} and {@code BpfSelftests}.
 */
module io.bpf4j.junit {
    requires transitive io.bpf4j.loader;
    requires transitive org.junit.jupiter.api;
    requires org.opentest4j;

    exports io.bpf4j.junit;
    // JUnit instantiates the extension reflectively
    opens io.bpf4j.junit to org.junit.platform.commons;
}
