package io.bpf4j.elf.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.spec.DeclarationException;
import io.bpf4j.elf.spec.Externs;
import io.bpf4j.elf.spec.MapSpec;
import io.bpf4j.elf.spec.MapSpecReader;
import io.bpf4j.elf.spec.ObjectLimits;
import io.bpf4j.elf.spec.ObjectSections;
import io.bpf4j.testdata.CraftedElf;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NOBITS global data of any declared size reads in constant memory or ends in a
 * {@link DeclarationException} naming the map, the section, the size and the rule (issue 20).
 * Runs in the forked -Xmx256m JVM (see the module's pom).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HostileGlobalDataTest {

    private static List<MapSpec> maps(byte[] file, ObjectLimits limits) {
        ElfObject elf = ElfObject.read(file);
        return MapSpecReader.read(elf, ObjectSections.of(elf), null, "hostile", Externs.collect(elf, null), 4096, limits);
    }

    private static byte[] bss(long... sizes) {
        CraftedElf w = new CraftedElf();
        for (int i = 0; i < sizes.length; i++) {
            w.nobits(i == 0 ? ".bss" : ".bss.s" + i, sizes[i]);
        }
        return w.bytes();
    }

    @ParameterizedTest
    @ValueSource(longs = {1L << 31, (1L << 32) + 16, -1L, Long.MIN_VALUE})
    void nobitsSizesPastIntMaxAreRefusedNotTruncatedOrAllocated(long size) {
        byte[] file = bss(size);
        assertThat(file.length).isLessThan(1024);
        assertThatThrownBy(() -> maps(file, ObjectLimits.defaults())).isInstanceOf(DeclarationException.class)
                .hasMessage("map 'hostile.bss': size " + Long.toUnsignedString(size) + " of section '.bss' exceeds the"
                        + " largest map value (2147483647 bytes, INT_MAX; the kernel refuses it with -E2BIG)")
                .satisfies(e -> assertThat(((DeclarationException) e).section()).isEqualTo(".bss"));
    }

    @Test
    void fourBssSectionsJustUnderIntMaxHitTheObjectLimit() {
        // the 2.6 KB object of the issue: each section is a valid array value, together 8 GiB
        long size = Integer.MAX_VALUE - 7;
        byte[] file = bss(size, size, size, size);
        assertThatThrownBy(() -> maps(file, ObjectLimits.defaults())).isInstanceOf(DeclarationException.class)
                .hasMessage("map 'hostile.bss': size 2147483640 of section '.bss' brings the object's global data to"
                        + " 2147483640 bytes, over the limit of 268435456 bytes (ObjectLimits.maxGlobalData)");
    }

    @Test
    void aLargeBssUnderTheLimitCostsNothingUntilItsImageIsAskedFor() {
        long size = 200L << 20; // 200 MiB would not survive two copies in a 256 MB heap
        List<MapSpec> specs = maps(bss(size), ObjectLimits.defaults());
        assertThat(specs).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("hostile.bss");
            assertThat(m.kind()).isEqualTo(MapSpec.Kind.BSS);
            assertThat(m.valueSize()).isEqualTo(200 << 20);
            assertThat(m.initialDataSize()).isEqualTo(200 << 20);
            assertThat(m.declarationSize()).isEqualTo(size);
        });
        // equal to a spec that holds the zeros, as reading twice must be
        assertThat(maps(bss(size), ObjectLimits.defaults())).isEqualTo(specs);
    }

    @Test
    void theLimitIsOverridable() {
        assertThatThrownBy(() -> maps(bss(4096, 4096), ObjectLimits.defaults().withMaxGlobalData(6000)))
                .isInstanceOf(DeclarationException.class)
                .hasMessageContaining("map '.bss.s1': size 4096 of section '.bss.s1' brings the object's global data to 8192 bytes");
        assertThat(maps(bss(4096, 4096), ObjectLimits.defaults().withMaxGlobalData(8192))).hasSize(2);
    }

    @Test
    void smallBssStillHasItsZeros() {
        MapSpec m = maps(bss(24), ObjectLimits.defaults()).get(0);
        assertThat(m.initialData()).hasSize(24).containsOnly(0);
        assertThat(m.withInitialData(new byte[24])).isEqualTo(m);
        byte[] one = new byte[24];
        one[3] = 1;
        assertThat(m.withInitialData(one)).isNotEqualTo(m);
    }
}
