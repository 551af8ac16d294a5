/**
 * Running BPF programs on the JVM behind {@code io.bpf4j.jit.ExecutionEngine}: the runtime
 * (memory model, helpers, test runs) and two engines, the interpreter and the bytecode compiler.
 * What the engines share ({@code io.bpf4j.jit.internal}) is not exported.
 */
module io.bpf4j.jit {
    requires transitive io.bpf4j.isa;
    requires transitive io.bpf4j.maps;
    requires org.slf4j;
    requires org.objectweb.asm;
    // thread CPU time for test-run durations, HotSpot's method size limits for the compiler
    requires java.management;
    // HotSpot's DontCompileHugeMethods, read when jdk.management is there (MethodSizes falls back without it)
    requires static jdk.management;

    exports io.bpf4j.jit;
    exports io.bpf4j.jit.compiler;
    exports io.bpf4j.jit.helpers;
    exports io.bpf4j.jit.interpreter;
    exports io.bpf4j.jit.runtime;
    exports io.bpf4j.jit.testrun;
}
