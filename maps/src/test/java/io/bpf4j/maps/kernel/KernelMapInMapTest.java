package io.bpf4j.maps.kernel;

import io.bpf4j.isa.LittleEndian;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.abi.MapType;
import io.bpf4j.maps.BpfMap;
import io.bpf4j.maps.MapDefinition;
import io.bpf4j.maps.MapException;
import io.bpf4j.maps.MapFactory;
import io.bpf4j.maps.MapFlags;
import io.bpf4j.maps.MapOfMaps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Which inner maps the kernel's map_meta_equal accepts, compared with the in-process check. */
@Tag("kernel")
class KernelMapInMapTest {
    private static Bpftool tool;

    @BeforeAll
    static void setUp() {
        Bpftool.assumeKernel();
        tool = new Bpftool();
    }

    @AfterAll
    static void tearDown() {
        if (tool != null) {
            tool.close();
        }
    }

    private static Path pinned(MapDefinition d) {
        Bpftool.Result r = tool.create(d.type().displayName(), d.keySize(), d.valueSize(), d.maxEntries(), d.flags());
        assertThat(r.ok()).as("create %s: %s", d, r.error()).isTrue();
        return tool.pin();
    }

    private static void compareCandidates(MapType outerType, int outerKey, MapDefinition template, List<MapDefinition> candidates) {
        MapDefinition outerDef = MapDefinition.of(outerType, outerKey, 4, 4).withInnerMap(template);
        MapOfMaps mine = (MapOfMaps) MapFactory.create(outerDef);
        Path templatePin = pinned(template);
        Bpftool.Result outer = tool.create(outerType.displayName(), outerKey, 4, 4, 0, templatePin);
        assertThat(outer.ok()).as("create outer: %s", outer.error()).isTrue();
        Path outerPin = tool.pin();
        List<String> kernel = new ArrayList<>();
        List<String> local = new ArrayList<>();
        byte[] key = new byte[outerKey];
        for (MapDefinition c : candidates) {
            Bpftool.Result r = tool.map(outerPin, "update", "key", key, "value", "pinned", pinned(c), "any");
            kernel.add(c + " -> " + (r.ok() ? "ok" : String.valueOf(r.errno())));
            BpfMap inner = MapFactory.create(c);
            String outcome;
            try {
                mine.update(key, LittleEndian.u32(inner.id()), MapFlags.BPF_ANY);
                outcome = "ok";
            } catch (MapException e) {
                outcome = e.errno().name();
            }
            local.add(c + " -> " + outcome);
        }
        assertThat(local).containsExactlyElementsOf(kernel);
    }

    @Test
    void arrayOfArrays() {
        MapDefinition t = MapDefinition.of(MapType.ARRAY, 4, 8, 4);
        compareCandidates(MapType.ARRAY_OF_MAPS, 4, t, List.of(
                t,
                t.withMaxEntries(8),
                t.withFlags(MapFlags.BPF_F_RDONLY_PROG),
                t.withFlags(MapFlags.BPF_F_INNER_MAP),
                MapDefinition.of(MapType.ARRAY, 4, 16, 4),
                MapDefinition.of(MapType.HASH, 4, 8, 4),
                MapDefinition.of(MapType.PERCPU_ARRAY, 4, 8, 4)));
    }

    @Test
    void arrayOfArraysWithInnerMapFlag() {
        MapDefinition t = MapDefinition.of(MapType.ARRAY, 4, 8, 4).withFlags(MapFlags.BPF_F_INNER_MAP);
        compareCandidates(MapType.ARRAY_OF_MAPS, 4, t, List.of(
                t,
                t.withMaxEntries(64),
                MapDefinition.of(MapType.ARRAY, 4, 8, 64),
                MapDefinition.of(MapType.ARRAY, 4, 8, 4)));
    }

    @Test
    void hashOfHashes() {
        MapDefinition t = MapDefinition.of(MapType.HASH, 8, 4, 16);
        compareCandidates(MapType.HASH_OF_MAPS, 8, t, List.of(
                t,
                t.withMaxEntries(1024),
                MapDefinition.of(MapType.HASH, 4, 4, 16),
                t.withFlags(MapFlags.BPF_F_NO_PREALLOC),
                MapDefinition.of(MapType.LRU_HASH, 8, 4, 16)));
    }
}
