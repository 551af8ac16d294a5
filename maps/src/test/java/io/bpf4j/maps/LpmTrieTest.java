package io.bpf4j.maps;

import io.bpf4j.isa.LittleEndian;
import io.bpf4j.isa.abi.Errno;
import static io.bpf4j.maps.ArrayMapTest.errnoOf;
import static io.bpf4j.isa.LittleEndian.u32;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.abi.MapType;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LpmTrieTest {

    static byte[] v4(int prefixLen, int a, int b, int c, int d) {
        return new byte[] {(byte) prefixLen, 0, 0, 0, (byte) a, (byte) b, (byte) c, (byte) d};
    }

    static String show(byte[] k) {
        return (k[4] & 0xff) + "." + (k[5] & 0xff) + "." + (k[6] & 0xff) + "." + (k[7] & 0xff) + "/" + LittleEndian.getInt(k, 0);
    }

    static BpfMap trie(int keySize, int max) {
        return MapFactory.create(MapDefinition.of(MapType.LPM_TRIE, keySize, 4, max).withFlags(MapFlags.BPF_F_NO_PREALLOC));
    }

    @Test
    void iteratesInTheKernelsPostOrder() {
        // the order the comment at the top of kernel/bpf/lpm_trie.c documents for this trie
        BpfMap m = trie(8, 16);
        m.update(v4(16, 192, 168, 0, 0), u32(1), 0);
        m.update(v4(24, 192, 168, 0, 0), u32(2), 0);
        m.update(v4(24, 192, 168, 128, 0), u32(3), 0);
        m.update(v4(24, 192, 168, 1, 0), u32(4), 0);
        List<String> order = m.keys().stream().map(LpmTrieTest::show).collect(Collectors.toList());
        assertThat(order).containsExactly("192.168.0.0/24", "192.168.1.0/24", "192.168.128.0/24", "192.168.0.0/16");
    }

    @Test
    void lookupFindsTheLongestCoveringPrefix() {
        BpfMap m = trie(8, 16);
        m.update(v4(8, 10, 0, 0, 0), u32(8), 0);
        m.update(v4(24, 10, 1, 1, 0), u32(24), 0);
        assertThat(m.lookupRef(v4(32, 10, 1, 1, 200)).getIntLE(0)).isEqualTo(24);
        assertThat(m.lookupRef(v4(32, 10, 1, 2, 200)).getIntLE(0)).isEqualTo(8);
        assertThat(m.lookupRef(v4(23, 10, 1, 1, 200)).getIntLE(0)).as("the key's prefixlen bounds the match").isEqualTo(8);
        assertThat(m.lookupRef(v4(32, 11, 1, 1, 200))).isNull();
        assertThat(errnoOf(() -> m.update(v4(33, 0, 0, 0, 0), u32(0), 0))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> m.delete(v4(33, 0, 0, 0, 0)))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> m.update(v4(8, 10, 0, 0, 0), u32(0), 4))).isEqualTo(Errno.EINVAL);
    }

    @Test
    void ipv6KeysAndFullTries() {
        BpfMap m = trie(20, 2);
        byte[] k = new byte[20];
        LittleEndian.putInt(k, 0, 48);
        k[4] = 0x20;
        k[5] = 0x01;
        k[6] = 0x0d;
        k[7] = (byte) 0xb8;
        m.update(k, u32(1), 0);
        byte[] host = k.clone();
        LittleEndian.putInt(host, 0, 128);
        host[19] = 1;
        assertThat(m.lookup(host)).isEqualTo(u32(1));
        byte[] other = host.clone();
        other[4] = 0x30;
        m.update(other, u32(2), 0);
        assertThat(errnoOf(() -> m.update(v6(64), u32(3), 0))).isEqualTo(Errno.ENOSPC);
        m.update(k, u32(4), MapFlags.BPF_EXIST);
        assertThat(m.lookup(host)).isEqualTo(u32(4));
    }

    private static byte[] v6(int prefixLen) {
        byte[] k = new byte[20];
        LittleEndian.putInt(k, 0, prefixLen);
        k[4] = (byte) 0xfe;
        return k;
    }

    @Test
    void creationNeedsNoPreallocAndAKeyWithData() {
        assertThat(errnoOf(() -> MapFactory.create(MapDefinition.of(MapType.LPM_TRIE, 8, 4, 4)))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> trie(4, 4))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> trie(261, 4))).isEqualTo(Errno.EINVAL);
    }
}
