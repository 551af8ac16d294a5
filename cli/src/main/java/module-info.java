/**
 * {@code bpf4j}, the command line (dump, inspect, btf dump, verify, run, test,
 * conformance-plugin), over {@code io.bpf4j.loader} only. Nothing is exported: it is an
 * application; picocli reads the commands' annotated fields reflectively.
 */
module io.bpf4j.cli {
    requires io.bpf4j.loader;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;

    opens io.bpf4j.cli to info.picocli;
}
