package io.bpf4j.junit;

import io.bpf4j.loader.Engine;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/** The invocations of an {@link EachEngine} test: one per {@link Engine}. */
final class EngineInvocations implements TestTemplateInvocationContextProvider {
    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getRequiredTestMethod().isAnnotationPresent(EachEngine.class);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        return Stream.of(Engine.values()).map(EngineInvocations::invocation);
    }

    private static TestTemplateInvocationContext invocation(Engine engine) {
        return new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return "[" + engine.name().toLowerCase(Locale.ROOT) + "]";
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of(new Selection(engine));
            }
        };
    }

    /** Puts the invocation's engine where {@link BpfExtension} looks for it, and injects it. */
    private record Selection(Engine engine) implements BeforeEachCallback, ParameterResolver {
        @Override
        public void beforeEach(ExtensionContext context) {
            context.getStore(BpfExtension.NAMESPACE).put(Engine.class, engine);
        }

        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
            return p.getParameter().getType() == Engine.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext c) {
            return engine;
        }
    }
}
