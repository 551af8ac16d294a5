package io.bpf4j.maps;

import io.bpf4j.isa.LittleEndian;
import io.bpf4j.isa.abi.Errno;
import static io.bpf4j.maps.ArrayMapTest.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.abi.MapType;
import org.junit.jupiter.api.Test;

class CreationChecksTest {

    @Test
    void mapExtraIsOnlyForBloomFiltersAndCallTables() {
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.HASH, 4, 4, 4).withMapExtra(1)))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.ARRAY, 4, 4, 4).withMapExtra(5)))).isEqualTo(Errno.EINVAL);
    }

    @Test
    void spinLocksOnlyInHashAndArrayValues() {
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.HASH, 4, 8, 4).withSpinLockOffset(4)))).isNull();
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.HASH, 4, 8, 4).withSpinLockOffset(6)))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.HASH, 4, 8, 4).withSpinLockOffset(8)))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.PERCPU_ARRAY, 4, 8, 4).withSpinLockOffset(0))))
                .isEqualTo(Errno.EOPNOTSUPP);
    }

    @Test
    void unsupportedTypesAndBadCpuCounts() {
        assertThat(MapFactory.isSupported(MapType.PERF_EVENT_ARRAY)).isFalse();
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.PERF_EVENT_ARRAY, 4, 4, 4)))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.PERCPU_ARRAY, 4, 4, 4).withNumCpus(0)))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.ARRAY, 4, 1 << 20, 4096)))).isEqualTo(Errno.ENOMEM);
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.INSN_ARRAY, 4, 16, Integer.MAX_VALUE)))).isEqualTo(Errno.ENOMEM);
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.PERCPU_HASH, 4, 32768, 4).withNumCpus(1 << 20))))
                .isEqualTo(Errno.ENOMEM);
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.PROG_ARRAY, 4, 4, Integer.MAX_VALUE)))).isEqualTo(Errno.ENOMEM);
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.HASH, 4, 4, -1)))).isEqualTo(Errno.ENOMEM);
    }

    @Test
    void errorsCarryTheMapAndOperationInLibbpfGrammar() {
        BpfMap m = MapFactory.create(MapDefinition.of(MapType.HASH, 4, 4, 1).withName("counts"));
        m.update(LittleEndian.u32(1), LittleEndian.u32(1), 0);
        try {
            m.update(LittleEndian.u32(2), LittleEndian.u32(1), 0);
        } catch (MapException e) {
            assertThat(e.errno()).isEqualTo(Errno.E2BIG);
            assertThat(e.helperReturn()).isEqualTo(-7);
            assertThat(e.mapName()).isEqualTo("counts");
            assertThat(e.operation()).isEqualTo("update");
            assertThat(e).isInstanceOf(io.bpf4j.isa.BpfException.class);
            assertThat(e.getStackTrace()).isEmpty();
            return;
        }
        throw new AssertionError("a full hash accepted a new key");
    }

    @Test
    void errnoTable() {
        assertThat(Errno.ENOENT.number()).isEqualTo(2);
        assertThat(Errno.E2BIG.negated()).isEqualTo(-7);
        assertThat(Errno.ofNumber(17)).isEqualTo(Errno.EEXIST);
        assertThat(Errno.ofDescription("Invalid argument")).isEqualTo(Errno.EINVAL);
        assertThat(Errno.ofNumber(1234)).isNull();
    }
}
