package io.bpf4j.maps;

import io.bpf4j.isa.abi.MapType;
import io.bpf4j.maps.impl.MapCreator;
import io.bpf4j.maps.impl.Registry;

/**
 * Creates in-process maps, as {@code BPF_MAP_CREATE} creates kernel maps, and resolves the ids
 * that map-in-map and prog-array values hold.
 *
 * <p>The map returned also implements the type's own interface: {@link RingBuffer},
 * {@link ProgArray}, {@link MapOfMaps}, {@link BloomFilter} or {@link InsnArray}.
 */
public final class MapFactory {
    private MapFactory() {
    }

    /**
     * Creates a map after the kernel's checks for its type.
     *
     * @throws MapException with the errno the kernel would give ({@code EINVAL} for a bad size
     *                      or flag, {@code E2BIG}, {@code ENOTSUPP}, ...), or {@code EINVAL} for
     *                      a type bpf4j does not run in process
     */
    public static BpfMap create(MapDefinition definition) {
        return MapCreator.create(definition);
    }

    /** Only the checks of {@link #create}: throws what it would throw. */
    public static void check(MapDefinition definition) {
        MapCreator.check(definition);
    }

    /** Whether {@link #create} implements maps of this type. */
    public static boolean isSupported(MapType type) {
        return MapCreator.isSupported(type);
    }

    /** The live map with this {@link BpfMap#id()}, or {@code null}. */
    public static BpfMap map(int id) {
        return Registry.map(id);
    }

    /** Makes {@code program} resolvable by its id in prog-array updates from user space. */
    public static void registerProgram(ProgramRef program) {
        Registry.registerProgram(program);
    }

    /**
     * Drops {@code map}'s id, as closing its last file descriptor does: {@link #map(int)} and
     * map-in-map updates by that id find nothing afterwards. The map itself keeps working for
     * whoever still holds it. Ids of maps nobody references are dropped without this.
     */
    public static void release(BpfMap map) {
        Registry.release(map);
    }

    /** Drops {@code program}'s id: prog-array updates from user space by that id fail with {@code EBADF}. */
    public static void unregisterProgram(ProgramRef program) {
        Registry.release(program);
    }
}
