package io.bpf4j.maps.impl;

import io.bpf4j.isa.LittleEndian;
import io.bpf4j.isa.abi.Errno;

/** The kernel's get_next_key for every array-shaped map: indices in order, restarting at 0 from a key past the end. */
final class ArrayKeys {
    private ArrayKeys() {
    }

    static byte[] next(AbstractBpfMap map, byte[] key) {
        int max = map.maxEntries();
        long index;
        if (key == null) {
            index = 0xFFFF_FFFFL;
        } else {
            map.checkKey(key, "get next key");
            index = Integer.toUnsignedLong(LittleEndian.getInt(key, 0));
        }
        if (index >= max) {
            return LittleEndian.u32(0);
        }
        if (index == max - 1L) {
            throw map.error(Errno.ENOENT, "get next key", "last index");
        }
        return LittleEndian.u32((int) index + 1);
    }
}
