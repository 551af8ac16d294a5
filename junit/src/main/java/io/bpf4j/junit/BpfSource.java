package io.bpf4j.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the object of one injected parameter ({@code BpfObject}, {@code BpfProgram} or
 * {@code BpfMap}), overriding {@link BpfTest}'s. Exactly one of {@link #file} and
 * {@link #resource} is given.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface BpfSource {
    /** An object file. */
    String file() default "";

    /** A classpath resource. */
    String resource() default "";

    /** Whether the object is loaded before it is injected. */
    boolean load() default true;

    /**
     * The programs to load, when not all of them (libbpf's {@code bpf_program__set_autoload}):
     * an object that also holds programs the verifier rejects can be loaded for the others.
     */
    String[] programs() default {};

    /** The global-data limit, as {@link BpfTest#maxGlobalData()} has it; {@code -1} keeps the default. */
    long maxGlobalData() default -1;
}
