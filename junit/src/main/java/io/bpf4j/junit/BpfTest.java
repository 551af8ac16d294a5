package io.bpf4j.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class or method whose {@link io.bpf4j.loader.BpfObject}, {@link io.bpf4j.loader.BpfProgram}
 * and {@link io.bpf4j.loader.BpfMap} parameters {@link BpfExtension} injects from the object named
 * here (a file, or a classpath resource such as the Maven plugin's {@code bpf/x.bpf.o}). A
 * parameter's own {@link BpfSource} takes precedence.
 *
 * <pre>{@code
 * @BpfTest(resource = "bpf/xdp_counter.bpf.o")
 * class XdpCounterTest {
 *     @Test
 *     void passes(@Name("xdp_count") BpfProgram prog) {
 *         BpfAssertions.assertThat(prog).whenRun(TestRunInput.ofData(new byte[64])).returns(2);
 *     }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(BpfExtension.class)
public @interface BpfTest {
    /** An object file (relative to the working directory, the module's directory under Maven). */
    String file() default "";

    /** A classpath resource, as {@link io.bpf4j.loader.BpfObject#openResource(String)} takes it. */
    String resource() default "";

    /** Whether the object is loaded ({@code load()}: verified, maps created) before it is injected; off injects it open. */
    boolean load() default true;

    /** One object for every test of the class instead of one per test method. */
    boolean perClass() default false;

    /**
     * The programs to load, when not all of them (libbpf's {@code bpf_program__set_autoload}):
     * an object that also holds programs the verifier rejects can be loaded for the others.
     */
    String[] programs() default {};

    /**
     * The most bytes of global data ({@code .data}, {@code .rodata}, {@code .bss}, {@code .kconfig})
     * the object may declare, as {@link io.bpf4j.loader.OpenOptions.Builder#maxGlobalData(long)}
     * takes it; {@code -1} keeps the loader's default. An object past it is refused when it opens,
     * so a hostile object cannot exhaust the build JVM's heap.
     */
    long maxGlobalData() default -1;
}
