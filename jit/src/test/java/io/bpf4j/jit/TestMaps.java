package io.bpf4j.jit;

import io.bpf4j.isa.abi.MapType;
import io.bpf4j.maps.BpfMap;
import io.bpf4j.maps.MapDefinition;
import io.bpf4j.maps.MapFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Real in-process maps for tests. */
public final class TestMaps {
    private TestMaps() {}

    public static BpfMap array(String name, int valueSize, int maxEntries) {
        return MapFactory.create(MapDefinition.of(MapType.ARRAY, 4, valueSize, maxEntries).withName(name));
    }

    public static BpfMap create(MapType type, String name, int keySize, int valueSize, int maxEntries) {
        return MapFactory.create(MapDefinition.of(type, keySize, valueSize, maxEntries).withName(name));
    }

    public static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    public static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    public static long u64(byte[] b, int at) {
        return ByteBuffer.wrap(b, at, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
