package io.bpf4j.maps.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.abi.MapType;
import io.bpf4j.maps.MapDefinition;
import io.bpf4j.maps.MapException;
import io.bpf4j.maps.MapFactory;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * u32 sizes past INT_MAX (issue 20) get the running kernel's errno, captured live: bpf4j used to
 * read 2^32-1 as -1 and answer "value size is 0". Only sizes the kernel refuses without
 * allocating are compared; sizes it accepts by allocating gigabytes are bpf4j's own ENOMEM.
 */
@Tag("kernel")
class KernelHugeSizesTest {
    private static Bpftool tool;

    @BeforeAll
    static void setUp() throws Exception {
        Bpftool.assumeKernel();
        tool = new Bpftool();
    }

    @AfterAll
    static void tearDown() {
        if (tool != null) {
            tool.close();
        }
    }

    static Stream<Arguments> definitions() {
        return Stream.of(
                Arguments.of("array", MapDefinition.of(MapType.ARRAY, 4, Integer.MIN_VALUE, 1)),
                Arguments.of("array", MapDefinition.of(MapType.ARRAY, 4, -1, 1)),
                Arguments.of("hash", MapDefinition.of(MapType.HASH, 4, -1, 1)),
                Arguments.of("hash", MapDefinition.of(MapType.HASH, -1, 4, 1)),
                Arguments.of("queue", MapDefinition.of(MapType.QUEUE, 0, -1, 1)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("definitions")
    void hugeSizesGetTheKernelsErrno(String bpftoolType, MapDefinition def) {
        Bpftool.Result k = tool.create(bpftoolType, def.keySize(), def.valueSize(), def.maxEntries(), def.flags());
        String kernel = k.ok() ? "ok" : String.valueOf(k.errno());
        String mine;
        try {
            MapFactory.create(def);
            mine = "ok";
        } catch (MapException e) {
            mine = e.errno().name();
        }
        assertThat(mine).as("%s (kernel: %s)", def, k.error()).isEqualTo(kernel);
    }
}
