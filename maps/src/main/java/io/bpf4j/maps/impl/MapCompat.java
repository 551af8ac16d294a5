package io.bpf4j.maps.impl;

import io.bpf4j.isa.abi.MapType;
import io.bpf4j.maps.BpfMap;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.maps.MapDefinition;
import io.bpf4j.maps.MapFlags;

/** The kernel's {@code map_meta_equal}: which maps may be stored in a map of maps. */
final class MapCompat {
    private MapCompat() {
    }

    static BpfMap resolveInner(AbstractBpfMap outer, int id, String op) {
        BpfMap inner = Registry.map(id);
        if (inner == null) {
            throw outer.error(Errno.EBADF, op, "no map with id " + id);
        }
        checkInner(outer, inner, op);
        return inner;
    }

    static void checkInner(AbstractBpfMap outer, BpfMap inner, String op) {
        if (inner == null) {
            throw outer.error(Errno.EINVAL, op, "no inner map");
        }
        MapDefinition t = outer.definition().innerMap();
        MapDefinition d = inner.definition();
        String why = mismatch(t, d);
        if (why != null) {
            throw outer.error(Errno.EINVAL, op, "inner map '" + d.name() + "' does not match the template: " + why);
        }
    }

    static String mismatch(MapDefinition template, MapDefinition d) {
        if (template.type() != d.type()) {
            return "type " + d.type().displayName() + " is not " + template.type().displayName();
        }
        if (template.keySize() != d.keySize()) {
            return "key size " + d.keySize() + " is not " + template.keySize();
        }
        if (template.valueSize() != d.valueSize()) {
            return "value size " + d.valueSize() + " is not " + template.valueSize();
        }
        if (template.flags() != d.flags()) {
            return "flags " + d.flags() + " are not " + template.flags();
        }
        boolean arrayLike = d.type() == MapType.ARRAY || d.type() == MapType.PERCPU_ARRAY;
        if (arrayLike && (template.flags() & MapFlags.BPF_F_INNER_MAP) == 0 && template.maxEntries() != d.maxEntries()) {
            return "max entries " + d.maxEntries() + " is not " + template.maxEntries();
        }
        return null;
    }
}
