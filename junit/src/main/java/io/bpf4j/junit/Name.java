package io.bpf4j.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The name of the program ({@code BpfProgram} parameter) or map ({@code BpfMap} parameter) to
 * inject. Without it a program parameter gets the object's only program, and a map parameter
 * its only map.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Name {
    String value();
}
