package io.bpf4j.jit.helpers;

import io.bpf4j.isa.LittleEndian;
import io.bpf4j.isa.abi.HelperId;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.jit.runtime.HelperFault;
import io.bpf4j.jit.runtime.HelperRuntime;
import io.bpf4j.jit.runtime.HelperTable;
import io.bpf4j.jit.runtime.Memory;
import io.bpf4j.jit.runtime.MemoryFault;
import io.bpf4j.jit.runtime.Region;
import io.bpf4j.jit.runtime.RegionKind;
import io.bpf4j.maps.BloomFilter;
import io.bpf4j.maps.BpfMap;
import io.bpf4j.maps.MapException;
import io.bpf4j.maps.MapFlags;
import io.bpf4j.maps.MapOfMaps;
import io.bpf4j.maps.ValueRef;
import java.util.List;

/**
 * The map helpers over the maps module's {@link BpfMap}: element lookup, update and delete,
 * queue/stack/bloom push, pop and peek, {@code bpf_for_each_map_elem}, per-CPU lookups on any
 * CPU, and the {@code bpf_tail_call} binding the interpreter runs itself.
 *
 * <p>Lookups hand out the element's own storage as a {@link RegionKind#MAP_VALUE} region, so the
 * program changes the map in place; per-CPU maps give the value of the run's CPU. A lookup in an
 * array or hash of maps returns the inner map's pointer. Refusals return what the kernel's
 * helpers return: {@code -errno} from {@link MapException#helperReturn()}.
 */
public final class MapHelpers {
    private MapHelpers() {}

    public static HelperTable addTo(HelperTable table) {
        return table
                .with(HelperId.MAP_LOOKUP_ELEM, MapHelpers::lookup)
                .with(HelperId.MAP_UPDATE_ELEM, MapHelpers::update)
                .with(HelperId.MAP_DELETE_ELEM, MapHelpers::delete)
                .with(HelperId.MAP_PUSH_ELEM, MapHelpers::push)
                .with(HelperId.MAP_POP_ELEM, MapHelpers::pop)
                .with(HelperId.MAP_PEEK_ELEM, MapHelpers::peek)
                .with(HelperId.MAP_LOOKUP_PERCPU_ELEM, MapHelpers::lookupPercpu)
                .with(HelperId.FOR_EACH_MAP_ELEM, MapHelpers::forEach)
                .with(HelperId.TAIL_CALL, MapHelpers::tailCallThroughCallx);
    }

    private static boolean writable(BpfMap map) {
        return (map.definition().flags() & MapFlags.BPF_F_RDONLY_PROG) == 0;
    }

    private static long valuePointer(HelperRuntime rt, BpfMap map, ValueRef v) {
        return v == null ? 0 : rt.memory().pointerTo(v, RegionKind.MAP_VALUE, map.name(), writable(map));
    }

    private static boolean isMapOfMaps(BpfMap map) {
        return map.type() == MapType.ARRAY_OF_MAPS || map.type() == MapType.HASH_OF_MAPS;
    }

    /**
     * The value of {@code map} for the key at {@code key}, looked up in the program's memory
     * where the key is (checked as {@link Memory#read} checks it, without its copy).
     */
    private static ValueRef lookupInPlace(HelperRuntime rt, BpfMap map, long key, int cpu) {
        int size = map.keySize();
        if (size <= 0) {
            return map.lookupRef(rt.memory().read(key, size, rt.pc()), cpu);
        }
        Region r = rt.memory().check(key, size, MemoryFault.Access.READ, rt.pc());
        return map.lookupRef(r.bytes(), Memory.index(r, key), cpu);
    }

    /** (map, key): a pointer to the live value (or the inner map), or 0 (NULL). */
    static long lookup(HelperRuntime rt, long mapPointer, long key, long r3, long r4, long r5) {
        BpfMap map = rt.map(mapPointer);
        if (!isMapOfMaps(map) && !(map instanceof io.bpf4j.maps.InsnArray)) {
            return valuePointer(rt, map, lookupInPlace(rt, map, key, rt.cpu()));
        }
        byte[] k = rt.memory().read(key, map.keySize(), rt.pc());
        if (isMapOfMaps(map)) {
            BpfMap inner = ((MapOfMaps) map).innerMap(k);
            return inner == null ? 0 : rt.mapPointer(inner);
        }
        if (map instanceof io.bpf4j.maps.InsnArray table && table.isCallTable()) {
            // bpf4j's call table in its explicit .maps form: the lookup gives the function itself
            // (the verifier's func_or_null), callx then calls it as a SEC("callx") table's entry
            long index = Integer.toUnsignedLong(LittleEndian.getInt(k, 0));
            return index < Integer.toUnsignedLong(table.maxEntries())
                    ? io.bpf4j.jit.runtime.Pointers.instruction(table.origOffset((int) index)) : 0;
        }
        return valuePointer(rt, map, map.lookupRef(k, rt.cpu()));
    }

    /** (map, key, cpu): the value of {@code cpu} in a per-CPU map, or 0 when there is none or cpu is past the last. */
    static long lookupPercpu(HelperRuntime rt, long mapPointer, long key, long cpu, long r4, long r5) {
        BpfMap map = rt.map(mapPointer);
        byte[] k = rt.memory().read(key, map.keySize(), rt.pc());
        long c = cpu & 0xffff_ffffL;
        if (!map.definition().isPerCpu() || c >= map.definition().numCpus()) {
            return 0;
        }
        return valuePointer(rt, map, map.lookupRef(k, (int) c));
    }

    /** (map, key, value, flags): 0 or a negative errno. */
    static long update(HelperRuntime rt, long mapPointer, long key, long value, long flags, long r5) {
        BpfMap map = rt.map(mapPointer);
        byte[] k = rt.memory().read(key, map.keySize(), rt.pc());
        byte[] v = rt.memory().read(value, map.valueSize(), rt.pc());
        try {
            map.update(k, v, flags, rt.cpu());
            return 0;
        } catch (MapException e) {
            return e.helperReturn();
        }
    }

    /** (map, key): 0 or a negative errno. */
    static long delete(HelperRuntime rt, long mapPointer, long key, long r3, long r4, long r5) {
        BpfMap map = rt.map(mapPointer);
        try {
            map.programDelete(rt.memory().read(key, map.keySize(), rt.pc()));
            return 0;
        } catch (MapException e) {
            return e.helperReturn();
        }
    }

    /** (map, value, flags): queue, stack or bloom filter; 0 or a negative errno. */
    static long push(HelperRuntime rt, long mapPointer, long value, long flags, long r4, long r5) {
        BpfMap map = rt.map(mapPointer);
        try {
            map.push(rt.memory().read(value, map.valueSize(), rt.pc()), flags);
            return 0;
        } catch (MapException e) {
            return e.helperReturn();
        }
    }

    /** (map, value): queue or stack; copies the next value out and removes it; 0 or a negative errno. */
    static long pop(HelperRuntime rt, long mapPointer, long value, long r3, long r4, long r5) {
        BpfMap map = rt.map(mapPointer);
        rt.memory().check(value, Math.max(1, map.valueSize()), io.bpf4j.jit.runtime.MemoryFault.Access.WRITE, rt.pc());
        try {
            rt.memory().write(value, map.pop(), rt.pc());
            return 0;
        } catch (MapException e) {
            return e.helperReturn();
        }
    }

    /**
     * (map, value): queue or stack, copies the next value out; a bloom filter tests the value
     * instead (0 when it may be present, -ENOENT when it is not).
     */
    static long peek(HelperRuntime rt, long mapPointer, long value, long r3, long r4, long r5) {
        BpfMap map = rt.map(mapPointer);
        try {
            if (map instanceof BloomFilter) {
                return ((BloomFilter) map).mayContain(rt.memory().read(value, map.valueSize(), rt.pc())) ? 0 : Errno.ENOENT.negated();
            }
            rt.memory().check(value, Math.max(1, map.valueSize()), io.bpf4j.jit.runtime.MemoryFault.Access.WRITE, rt.pc());
            rt.memory().write(value, map.peek(), rt.pc());
            return 0;
        } catch (MapException e) {
            return e.helperReturn();
        }
    }

    /**
     * (map, callback_fn, callback_ctx, flags): calls {@code callback(map, &key, &value, ctx)} for
     * each element (arrays: every index; hashes: every key present when iteration starts and
     * still present when reached) until it returns nonzero; returns the number of elements
     * visited, the one that stopped iteration included. Per-CPU maps give the run's CPU's value.
     * The key is a read-only copy, the value the live element.
     */
    static long forEach(HelperRuntime rt, long mapPointer, long callback, long ctx, long flags, long r5) {
        BpfMap map = rt.map(mapPointer);
        if (flags != 0) {
            return Errno.EINVAL.negated();
        }
        MapType t = map.type();
        Memory mem = rt.memory();
        long mapPtr = rt.mapPointer(map);
        int cpu = rt.cpu();
        long visited = 0;
        if (t == MapType.ARRAY || t == MapType.PERCPU_ARRAY) {
            byte[] key = new byte[4];
            long keyPointer = mem.pointerTo(ValueRef.of(key), RegionKind.MAP_VALUE, map.name() + " key", false);
            for (int i = 0; i < map.maxEntries(); i++) {
                LittleEndian.putInt(key, 0, i);
                ValueRef v = map.lookupRef(key, cpu);
                visited++;
                if (rt.callFunction(callback, mapPtr, keyPointer, valuePointer(rt, map, v), ctx, 0) != 0) {
                    break;
                }
            }
            return visited;
        }
        if (t == MapType.HASH || t == MapType.PERCPU_HASH || t == MapType.LRU_HASH || t == MapType.LRU_PERCPU_HASH) {
            List<byte[]> keys = map.keys();
            for (byte[] k : keys) {
                ValueRef v = map.lookupRef(k, cpu);
                if (v == null) {
                    continue;
                }
                visited++;
                long keyPointer = mem.pointerTo(ValueRef.of(k), RegionKind.MAP_VALUE, map.name() + " key", false);
                if (rt.callFunction(callback, mapPtr, keyPointer, valuePointer(rt, map, v), ctx, 0) != 0) {
                    break;
                }
            }
            return visited;
        }
        return Errno.EINVAL.negated();
    }

    /** The interpreter runs {@code call bpf_tail_call} itself; reaching the helper means it was called indirectly. */
    static long tailCallThroughCallx(HelperRuntime rt, long ctx, long progArray, long index, long r4, long r5) {
        throw new HelperFault(rt.pc(), HelperId.TAIL_CALL.id(), "bpf_tail_call can only be called directly");
    }
}
