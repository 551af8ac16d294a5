package io.bpf4j.junit;

import io.bpf4j.loader.BpfMap;
import io.bpf4j.loader.BpfObject;
import io.bpf4j.loader.BpfProgram;
import io.bpf4j.loader.Engine;
import io.bpf4j.loader.LoadOptions;
import io.bpf4j.loader.OpenOptions;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects {@link BpfObject}, {@link BpfProgram} and {@link BpfMap} parameters. The object comes
 * from the parameter's {@link BpfSource}, else the method's or class's {@link BpfTest}; it is
 * opened (and, unless {@code load = false}, loaded for the engine of an {@link EachEngine}
 * invocation, else the interpreter) once per test method, or once per class with
 * {@code perClass = true}, and closed through the extension store when that scope ends. Every
 * parameter of one test that names the same object gets the same instance.
 */
public final class BpfExtension implements ParameterResolver {
    static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BpfExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == BpfObject.class || type == BpfProgram.class || type == BpfMap.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Parameter p = parameter.getParameter();
        BpfObject obj = object(parameter, context);
        Optional<String> name = parameter.findAnnotation(Name.class).map(Name::value);
        if (p.getType() == BpfObject.class) {
            return obj;
        }
        if (p.getType() == BpfProgram.class) {
            if (name.isPresent()) {
                return obj.program(name.get()).orElseThrow(() -> fail(parameter, "object '" + obj.name()
                        + "' has no program '" + name.get() + "' (programs: " + names(obj.programs().stream().map(BpfProgram::name).toList()) + ")"));
            }
            List<BpfProgram> all = obj.programs();
            if (all.size() != 1) {
                throw fail(parameter, "object '" + obj.name() + "' has " + all.size() + " programs: name one with @Name ("
                        + names(all.stream().map(BpfProgram::name).toList()) + ")");
            }
            return all.get(0);
        }
        if (name.isPresent()) {
            return obj.map(name.get()).orElseThrow(() -> fail(parameter, "object '" + obj.name() + "' has no map '"
                    + name.get() + "' (maps: " + names(obj.maps().stream().map(BpfMap::name).toList()) + ")"));
        }
        List<BpfMap> maps = obj.maps();
        if (maps.size() != 1) {
            throw fail(parameter, "object '" + obj.name() + "' has " + maps.size() + " maps: name one with @Name ("
                    + names(maps.stream().map(BpfMap::name).toList()) + ")");
        }
        return maps.get(0);
    }

    private static String names(List<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /** Where the object comes from and how it is prepared: the store key of its instance. */
    private record Source(String file, String resource, boolean load, boolean perClass, Engine engine, List<String> programs,
            long maxGlobalData) {
        BpfObject open() {
            OpenOptions.Builder options = OpenOptions.builder();
            if (maxGlobalData >= 0) {
                options.maxGlobalData(maxGlobalData);
            }
            BpfObject obj = file.isEmpty() ? BpfObject.openResource(resource, options.build())
                    : BpfObject.open(Path.of(file), options.build());
            if (!programs.isEmpty()) {
                for (BpfProgram p : obj.programs()) {
                    p.setAutoload(programs.contains(p.name()));
                }
            }
            if (load) {
                try {
                    obj.load(LoadOptions.builder().engine(engine).build());
                } catch (RuntimeException e) {
                    obj.close();
                    throw e;
                }
            }
            return obj;
        }

        @Override
        public String toString() {
            return (file.isEmpty() ? "resource '" + resource + "'" : "file '" + file + "'")
                    + (load ? ", loaded for the " + engine.name().toLowerCase(Locale.ROOT) : ", open");
        }
    }

    private static BpfObject object(ParameterContext parameter, ExtensionContext context) {
        Engine engine = context.getStore(NAMESPACE).getOrDefault(Engine.class, Engine.class, Engine.INTERPRETER);
        Source source = source(parameter, context, engine);
        ExtensionContext scope = source.perClass() ? classScope(context) : context;
        try {
            return scope.getStore(NAMESPACE).getOrComputeIfAbsent(source, s -> s.open(), BpfObject.class);
        } catch (RuntimeException e) {
            // the loader's message names the object, the program and the rule
            throw new ParameterResolutionException("bpf4j: " + source + ": " + e.getMessage(), e);
        }
    }

    private static Source source(ParameterContext parameter, ExtensionContext context, Engine engine) {
        Optional<BpfSource> own = parameter.findAnnotation(BpfSource.class);
        if (own.isPresent()) {
            check(parameter, own.get().file(), own.get().resource(), "@BpfSource");
            return new Source(own.get().file(), own.get().resource(), own.get().load(), false, engine,
                    List.of(own.get().programs()), own.get().maxGlobalData());
        }
        BpfTest test = context.getTestMethod().map(m -> m.getAnnotation(BpfTest.class)).orElse(null);
        if (test == null || test.file().isEmpty() && test.resource().isEmpty()) {
            test = classAnnotation(context.getTestClass().orElse(null));
        }
        if (test == null) {
            throw fail(parameter, "no object named: annotate the parameter with @BpfSource or the test with "
                    + "@BpfTest(file = ...) or @BpfTest(resource = ...)");
        }
        check(parameter, test.file(), test.resource(), "@BpfTest");
        return new Source(test.file(), test.resource(), test.load(), test.perClass(), engine, List.of(test.programs()),
                test.maxGlobalData());
    }

    private static BpfTest classAnnotation(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            BpfTest t = find(c);
            if (t != null && !(t.file().isEmpty() && t.resource().isEmpty())) {
                return t;
            }
        }
        return null;
    }

    private static BpfTest find(AnnotatedElement e) {
        return e.getAnnotation(BpfTest.class);
    }

    private static void check(ParameterContext parameter, String file, String resource, String where) {
        if (file.isEmpty() == resource.isEmpty()) {
            throw fail(parameter, where + ": give exactly one of file and resource");
        }
    }

    /** The context of the test class itself (outside any method or template invocation). */
    private static ExtensionContext classScope(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    private static ParameterResolutionException fail(ParameterContext parameter, String why) {
        Parameter p = parameter.getParameter();
        return new ParameterResolutionException("bpf4j: parameter " + parameter.getIndex() + " (" + p.getType().getSimpleName()
                + ") of " + p.getDeclaringExecutable().getName() + "(): " + why);
    }
}
