package io.bpf4j.maps;

import io.bpf4j.isa.LittleEndian;
import io.bpf4j.isa.abi.Errno;
import static io.bpf4j.maps.ArrayMapTest.errnoOf;
import static io.bpf4j.isa.LittleEndian.u32;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.abi.MapType;
import org.junit.jupiter.api.Test;

class InsnArrayTest {

    static byte[] entry(int orig, int xlated, int jitted) {
        byte[] v = new byte[16];
        LittleEndian.putInt(v, 0, orig);
        LittleEndian.putInt(v, 4, xlated);
        LittleEndian.putInt(v, 8, jitted);
        return v;
    }

    static InsnArray table(int n, long extra) {
        return (InsnArray) MapFactory.create(MapDefinition.of(MapType.INSN_ARRAY, 4, 16, n).withMapExtra(extra));
    }

    @Test
    void userSpaceSetsOnlyOrigOffsets() {
        InsnArray t = table(3, 0);
        t.update(u32(0), entry(7, 0, 0), MapFlags.BPF_ANY);
        assertThat(errnoOf(() -> t.update(u32(1), entry(1, 2, 0), 0))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> t.update(u32(1), entry(1, 0, 2), 0))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> t.update(u32(1), entry(1, 0, 0), MapFlags.BPF_NOEXIST))).isEqualTo(Errno.EEXIST);
        assertThat(errnoOf(() -> t.update(u32(3), entry(1, 0, 0), 0))).isEqualTo(Errno.E2BIG);
        assertThat(errnoOf(() -> t.delete(u32(0)))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> t.update(u32(0), entry(1, 0, 0), 0, 0))).isEqualTo(Errno.EACCES);
        assertThat(t.lookup(u32(0))).isEqualTo(entry(7, 0, 0));
        assertThat(t.lookupRef(u32(0))).isNull();
        assertThat(t.keys()).hasSize(3);
        assertThat(t.isCallTable()).isFalse();
    }

    @Test
    void bindingNeedsAFrozenTableAndIsExclusive() {
        InsnArray t = table(2, MapFlags.BPF_F_CALL_TABLE);
        assertThat(t.isCallTable()).isTrue();
        t.update(u32(0), entry(4, 0, 0), 0);
        t.update(u32(1), entry(9, 0, 0), 0);
        assertThat(errnoOf(() -> t.bind(10))).isEqualTo(Errno.EINVAL);
        t.freeze();
        assertThat(errnoOf(() -> t.update(u32(0), entry(1, 0, 0), 0))).isEqualTo(Errno.EPERM);
        assertThat(errnoOf(() -> t.bind(9))).as("orig_off 9 is past a 9-instruction program").isEqualTo(Errno.EINVAL);
        t.bind(10);
        assertThat(t.xlatedOffset(1)).isEqualTo(9);
        assertThat(errnoOf(() -> t.bind(10))).isEqualTo(Errno.EBUSY);
        t.unbind();
        t.bind(10);
        t.setXlatedOffset(1, 12);
        t.setJittedOffset(1, 96);
        t.setXlatedOffset(0, InsnArray.INSN_DELETED);
        assertThat(t.lookup(u32(1))).isEqualTo(entry(9, 12, 96));
        ValueRef view = t.programView();
        assertThat(view.length()).isEqualTo(16);
        assertThat(view.getLongLE(8)).isEqualTo(12);
        assertThat(view.getLongLE(0)).isEqualTo(0xFFFFFFFFL);
    }

    @Test
    void creationRules() {
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.INSN_ARRAY, 4, 8, 2)))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.INSN_ARRAY, 8, 16, 2)))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.INSN_ARRAY, 4, 16, 2).withFlags(MapFlags.BPF_F_RDONLY_PROG))))
                .isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> table(2, 2))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> table(0, 0))).isEqualTo(Errno.EINVAL);
    }
}
