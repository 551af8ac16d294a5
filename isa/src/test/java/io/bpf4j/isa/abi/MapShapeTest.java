package io.bpf4j.isa.abi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MapShapeTest {

    @Test
    void builderAndReadOnlyRules() {
        MapShape inner = MapShape.builder(MapType.ARRAY).keySize(4).valueSize(8).maxEntries(1).build();
        MapShape m = MapShape.builder(MapType.ARRAY_OF_MAPS).name("outer").keySize(4).valueSize(4).maxEntries(2)
                .inner(inner).build();
        assertThat(m.inner()).contains(inner);
        assertThat(m.readOnlyToPrograms()).isFalse();
        MapShape ro = MapShape.builder(MapType.ARRAY).name(".rodata").keySize(4).valueSize(16).maxEntries(1)
                .flags(MapShape.F_RDONLY_PROG).build();
        assertThat(ro.readOnlyToPrograms()).isTrue();
        assertThat(ro.toBuilder().flags(0).frozen(true).build().readOnlyToPrograms()).isTrue();
        MapShape lock = MapShape.builder(MapType.HASH).keySize(4).valueSize(16).maxEntries(8)
                .specialField(new MapShape.SpecialField(8, 16, MapShape.SpecialField.Kind.TIMER))
                .specialField(new MapShape.SpecialField(0, 4, MapShape.SpecialField.Kind.SPIN_LOCK))
                .build();
        assertThat(lock.specialFields()).extracting(MapShape.SpecialField::offset).containsExactly(0, 8);
        assertThat(lock.special(MapShape.SpecialField.Kind.SPIN_LOCK)).isPresent();
        assertThat(lock.toBuilder().build()).isEqualTo(lock);
    }
}
