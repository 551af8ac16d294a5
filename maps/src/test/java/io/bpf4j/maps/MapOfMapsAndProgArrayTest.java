package io.bpf4j.maps;

import io.bpf4j.isa.LittleEndian;
import io.bpf4j.isa.abi.Errno;
import static io.bpf4j.maps.ArrayMapTest.errnoOf;
import static io.bpf4j.isa.LittleEndian.u32;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.abi.MapType;
import org.junit.jupiter.api.Test;

class MapOfMapsAndProgArrayTest {
    private static final MapDefinition INNER = MapDefinition.of(MapType.ARRAY, 4, 8, 4);

    @Test
    void arrayOfMapsHoldsCompatibleMapsAndReturnsTheirIds() {
        MapOfMaps outer = (MapOfMaps) MapFactory.create(MapDefinition.of(MapType.ARRAY_OF_MAPS, 4, 4, 2).withInnerMap(INNER));
        BpfMap inner = MapFactory.create(INNER.withName("inner"));
        outer.update(u32(0), u32(inner.id()), MapFlags.BPF_ANY);
        assertThat(outer.innerMap(u32(0))).isSameAs(inner);
        assertThat(outer.lookup(u32(0))).isEqualTo(u32(inner.id()));
        assertThat(outer.innerMap(u32(1))).isNull();
        assertThat(errnoOf(() -> outer.lookup(u32(1)))).isEqualTo(Errno.ENOENT);
        BpfMap bigger = MapFactory.create(INNER.withMaxEntries(8));
        assertThat(errnoOf(() -> outer.setInnerMap(u32(1), bigger, 0))).as("arrays must match max_entries").isEqualTo(Errno.EINVAL);
        BpfMap hash = MapFactory.create(MapDefinition.of(MapType.HASH, 4, 8, 4));
        assertThat(errnoOf(() -> outer.setInnerMap(u32(1), hash, 0))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> outer.update(u32(1), u32(Integer.MAX_VALUE), 0))).isEqualTo(Errno.EBADF);
        assertThat(errnoOf(() -> outer.update(u32(2), u32(inner.id()), 0))).isEqualTo(Errno.E2BIG);
        assertThat(errnoOf(() -> outer.update(u32(1), u32(inner.id()), MapFlags.BPF_NOEXIST))).isEqualTo(Errno.EINVAL);
        outer.delete(u32(0));
        assertThat(outer.innerMap(u32(0))).isNull();
        assertThat(outer.lookupRef(u32(0))).isNull();
    }

    @Test
    void innerMapFlagLetsArraySizesDiffer() {
        MapDefinition template = INNER.withFlags(MapFlags.BPF_F_INNER_MAP);
        MapOfMaps outer = (MapOfMaps) MapFactory.create(MapDefinition.of(MapType.HASH_OF_MAPS, 8, 4, 4).withInnerMap(template));
        BpfMap bigger = MapFactory.create(template.withMaxEntries(64));
        byte[] key = LittleEndian.u64(5);
        outer.setInnerMap(key, bigger, MapFlags.BPF_NOEXIST);
        assertThat(outer.innerMap(key)).isSameAs(bigger);
        assertThat(errnoOf(() -> outer.setInnerMap(key, bigger, MapFlags.BPF_NOEXIST))).isEqualTo(Errno.EEXIST);
        assertThat(outer.keys()).hasSize(1);
        assertThat(outer.lookup(key)).isEqualTo(u32(bigger.id()));
    }

    @Test
    void mapsOfMapsNeedAnInnerTemplateAndDoNotNest() {
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.ARRAY_OF_MAPS, 4, 4, 2)))).isEqualTo(Errno.EBADF);
        MapDefinition nested = MapDefinition.of(MapType.ARRAY_OF_MAPS, 4, 4, 2).withInnerMap(INNER);
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.ARRAY_OF_MAPS, 4, 4, 2).withInnerMap(nested))))
                .isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.HASH_OF_MAPS, 4, 8, 2).withInnerMap(INNER))))
                .isEqualTo(Errno.EINVAL);
    }

    record Prog(int id, String name) implements ProgramRef {
    }

    @Test
    void progArraySlotsHoldPrograms() {
        ProgArray pa = (ProgArray) MapFactory.create(MapDefinition.of(MapType.PROG_ARRAY, 4, 4, 4));
        Prog p = new Prog(1_000_001, "tail");
        MapFactory.registerProgram(p);
        pa.update(u32(2), u32(p.id()), MapFlags.BPF_ANY);
        assertThat(pa.program(2)).isSameAs(p);
        assertThat(pa.program(1)).isNull();
        assertThat(pa.program(4)).isNull();
        assertThat(pa.lookup(u32(2))).isEqualTo(u32(p.id()));
        assertThat(errnoOf(() -> pa.update(u32(1), u32(p.id()), MapFlags.BPF_NOEXIST))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> pa.update(u32(4), u32(p.id()), 0))).isEqualTo(Errno.E2BIG);
        assertThat(errnoOf(() -> pa.update(u32(1), u32(1_000_002), 0))).isEqualTo(Errno.EBADF);
        pa.setProgram(0, p);
        pa.delete(u32(0));
        assertThat(errnoOf(() -> pa.delete(u32(0)))).isEqualTo(Errno.ENOENT);
        assertThat(pa.keys()).hasSize(4);
    }

    /** Closing an object releases its ids, as closing the fds does: updates by a released id fail with EBADF. */
    @Test
    void releasedIdsNoLongerResolve() {
        MapOfMaps outer = (MapOfMaps) MapFactory.create(MapDefinition.of(MapType.ARRAY_OF_MAPS, 4, 4, 2).withInnerMap(INNER));
        BpfMap inner = MapFactory.create(INNER.withName("inner"));
        ProgArray pa = (ProgArray) MapFactory.create(MapDefinition.of(MapType.PROG_ARRAY, 4, 4, 4));
        Prog p = new Prog(1_000_003, "tail");
        MapFactory.registerProgram(p);
        assertThat(MapFactory.map(inner.id())).isSameAs(inner);

        MapFactory.release(inner);
        MapFactory.unregisterProgram(p);

        assertThat(MapFactory.map(inner.id())).isNull();
        assertThat(errnoOf(() -> outer.update(u32(0), u32(inner.id()), MapFlags.BPF_ANY))).isEqualTo(Errno.EBADF);
        assertThat(errnoOf(() -> pa.update(u32(0), u32(p.id()), MapFlags.BPF_ANY))).isEqualTo(Errno.EBADF);
        assertThat(MapFactory.map(outer.id())).as("other ids stay").isSameAs(outer);
    }
}
