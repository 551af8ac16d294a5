package io.bpf4j.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class that must fail on purpose: it runs only inside another test's launcher request
 * (configuration parameter {@value #PARAMETER}), never when a build selects it directly.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(Fixture.Condition.class)
@interface Fixture {
    String PARAMETER = "bpf4j.fixture";

    /** Enables a {@link Fixture} class only under {@value #PARAMETER}=true. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(PARAMETER).filter("true"::equals).isPresent()
                    ? ConditionEvaluationResult.enabled("run by a test that expects its failures")
                    : ConditionEvaluationResult.disabled("fails on purpose: run only by the test that checks its failures");
        }
    }
}
