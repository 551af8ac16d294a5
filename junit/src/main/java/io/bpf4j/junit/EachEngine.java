package io.bpf4j.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test once on each engine ({@link io.bpf4j.loader.Engine#INTERPRETER}, then
 * {@link io.bpf4j.loader.Engine#COMPILER}): objects {@link BpfExtension} injects are loaded for
 * that engine, and an {@code Engine} parameter receives it. Use instead of {@code @Test}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@TestTemplate
@ExtendWith(EngineInvocations.class)
@ExtendWith(BpfExtension.class)
public @interface EachEngine {
}
