package io.bpf4j.jit.helpers;

import io.bpf4j.isa.abi.HelperId;
import io.bpf4j.jit.runtime.HelperRuntime;
import io.bpf4j.jit.runtime.HelperTable;
import io.bpf4j.jit.runtime.MapHandle;
import io.bpf4j.jit.runtime.MemorySlice;
import io.bpf4j.jit.runtime.RegionKind;

/** bpf_map_lookup_elem, _update_elem and _delete_elem over {@link MapHandle}. */
public final class MapHelpers {
    private MapHelpers() {}

    public static HelperTable addTo(HelperTable table) {
        return table
                .with(HelperId.MAP_LOOKUP_ELEM, MapHelpers::lookup)
                .with(HelperId.MAP_UPDATE_ELEM, MapHelpers::update)
                .with(HelperId.MAP_DELETE_ELEM, MapHelpers::delete);
    }

    /** (map, key): a pointer to the live value, or 0 (NULL). */
    static long lookup(HelperRuntime rt, long mapPointer, long key, long r3, long r4, long r5) {
        MapHandle map = rt.map(mapPointer);
        MemorySlice value = map.lookup(rt.memory().read(key, map.keySize(), rt.pc()));
        return value == null ? 0 : rt.memory().pointerTo(value, RegionKind.MAP_VALUE, map.name(), map.writableByProgram());
    }

    /** (map, key, value, flags): 0 or a negative errno. */
    static long update(HelperRuntime rt, long mapPointer, long key, long value, long flags, long r5) {
        MapHandle map = rt.map(mapPointer);
        byte[] k = rt.memory().read(key, map.keySize(), rt.pc());
        byte[] v = rt.memory().read(value, map.valueSize(), rt.pc());
        return map.update(k, v, flags);
    }

    /** (map, key): 0 or a negative errno. */
    static long delete(HelperRuntime rt, long mapPointer, long key, long r3, long r4, long r5) {
        MapHandle map = rt.map(mapPointer);
        return map.delete(rt.memory().read(key, map.keySize(), rt.pc()));
    }
}
