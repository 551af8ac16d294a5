package io.bpf4j.maps.hostile;

import io.bpf4j.isa.LittleEndian;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.isa.abi.MapType;
import io.bpf4j.maps.BpfMap;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.maps.MapDefinition;
import io.bpf4j.maps.MapException;
import io.bpf4j.maps.MapFactory;
import io.bpf4j.maps.MapFlags;
import io.bpf4j.maps.MemoryBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Map declarations and programs filling maps must end in the kernel's errno, never an
 * OutOfMemoryError (issue 20). Runs in the forked -Xmx256m JVM (see the module's pom), where
 * the default budget is a quarter of the heap.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileMapMemoryTest {
    private long baseline;

    @BeforeEach
    void smallHeapOnly() {
        // with -Dtest=... the default execution runs this class too; only the small-heap fork proves anything
        Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() <= 512L << 20, "runs in the hostile-small-heap execution");
        baseline = MemoryBudget.process().used();
    }

    /** Maps filled by one test give their charge back before the next starts (the budget is per process). */
    @AfterEach
    void awaitReleased() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (MemoryBudget.process().used() > baseline && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
    }

    private static MapException refusal(Runnable r) {
        try {
            r.run();
        } catch (MapException e) {
            return e;
        }
        throw new AssertionError("expected a MapException");
    }

    @Test
    void defaultBudgetIsAQuarterOfTheHeap() {
        assertThat(MemoryBudget.process().limit()).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
    }

    @Test
    void arraysPastTheBudgetAreRefusedWithEnomemNamingTheMap() {
        // 10 values of 4 MiB: 40 MiB each, so eight of them would need 320 MiB
        List<BpfMap> made = new ArrayList<>();
        MapException e = null;
        for (int i = 0; i < 8 && e == null; i++) {
            String name = "big" + i;
            try {
                made.add(MapFactory.create(MapDefinition.of(MapType.ARRAY, 4, 4 << 20, 10).withName(name)));
            } catch (MapException x) {
                e = x;
            }
        }
        assertThat(made).isNotEmpty();
        assertThat(e).isNotNull();
        assertThat(e.errno()).isEqualTo(Errno.ENOMEM);
        assertThat(e.mapName()).isEqualTo("big" + made.size());
        assertThat(e).hasMessageContaining("map 'big" + made.size() + "': create: 41943040 bytes exceed the map memory budget")
                .hasMessageContaining("-Dbpf4j.maps.maxMemory").hasMessageEndingWith("(ENOMEM)");
    }

    @Test
    void chargesComeBackWhenMapsAreCollected() throws InterruptedException {
        BpfMap m = MapFactory.create(MapDefinition.of(MapType.ARRAY, 4, 1 << 20, 16).withName("transient"));
        assertThat(MemoryBudget.process().used()).isGreaterThanOrEqualTo(baseline + (16L << 20));
        assertThat(m.id()).isPositive();
        m = null;
        awaitReleased();
        assertThat(MemoryBudget.process().used()).isLessThanOrEqualTo(baseline);
    }

    @Test
    void hashWithHugeMaxEntriesStopsGrowingWithEnomem() {
        BpfMap m = MapFactory.create(MapDefinition.of(MapType.HASH, 4, 4096, Integer.MAX_VALUE)
                .withFlags(MapFlags.BPF_F_NO_PREALLOC).withName("filled"));
        byte[] value = new byte[4096];
        int n = 0;
        MapException e = null;
        while (e == null) {
            try {
                m.update(LittleEndian.u32(n), value, MapFlags.BPF_ANY);
                n++;
            } catch (MapException x) {
                e = x;
            }
        }
        assertThat(e.errno()).isEqualTo(Errno.ENOMEM);
        assertThat(e.helperReturn()).isEqualTo(-12);
        assertThat(e).hasMessageStartingWith("map 'filled': update: ").hasMessageContaining("map memory budget");
        assertThat(n).isGreaterThan(1000);
        // a deleted element gives its charge back
        m.delete(LittleEndian.u32(0));
        m.update(LittleEndian.u32(n), value, MapFlags.BPF_ANY);
    }

    @Test
    void queueWithHugeMaxEntriesStopsGrowingWithEnomem() {
        BpfMap q = MapFactory.create(MapDefinition.of(MapType.QUEUE, 0, 1 << 20, Integer.MAX_VALUE).withName("q"));
        byte[] value = new byte[1 << 20];
        MapException e = null;
        int n = 0;
        while (e == null) {
            try {
                q.push(value, MapFlags.BPF_ANY);
                n++;
            } catch (MapException x) {
                e = x;
            }
        }
        assertThat(e.errno()).isEqualTo(Errno.ENOMEM);
        assertThat(e).hasMessageStartingWith("map 'q': push: ");
        assertThat(n).isPositive();
    }

    @Test
    void ringBufferOfAnAcceptedSizeIsEnomemNotAnOverflow() {
        // 1 GiB is a valid ring buffer size for the kernel; here it cannot be held twice in one array
        MapException e = refusal(() -> MapFactory.create(MapDefinition.of(MapType.RINGBUF, 0, 0, 1 << 30).withName("rb")));
        assertThat(e.errno()).isEqualTo(Errno.ENOMEM);
        assertThat(e).hasMessageContaining("map 'rb': create: size 1073741824 is too large for this process");
    }

    @Test
    void valueSizesPastIntMaxAreE2bigNotZero() {
        // bpf_attr's value_size is u32: 2^32-1 is a huge size, as the kernel reads it (E2BIG)
        MapException e = refusal(() -> MapFactory.create(MapDefinition.of(MapType.ARRAY, 4, -1, 1).withName("v")));
        assertThat(e.errno()).isEqualTo(Errno.E2BIG);
        assertThat(e).hasMessageContaining("value size 4294967295 exceeds INT_MAX");
        MapException h = refusal(() -> MapFactory.create(MapDefinition.of(MapType.HASH, 4, -1, 1).withName("h")));
        assertThat(h.errno()).isEqualTo(Errno.E2BIG);
        assertThat(refusal(() -> MapFactory.create(MapDefinition.of(MapType.QUEUE, 0, -1, 1).withName("q"))).errno())
                .isEqualTo(Errno.E2BIG);
    }

    @Test
    void arrayJustUnderTheStorageCapIsRefusedBeforeAllocating() {
        // 2^31 - 72 bytes: under the per-map cap, over the budget
        MapException e = refusal(() -> MapFactory.create(MapDefinition.of(MapType.ARRAY, 4, Integer.MAX_VALUE - 71, 1)
                .withName("huge")));
        assertThat(e.errno()).isEqualTo(Errno.ENOMEM);
        assertThat(e).hasMessageContaining("map 'huge': create: ");
    }
}
