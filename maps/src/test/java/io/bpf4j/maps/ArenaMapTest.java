package io.bpf4j.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.isa.abi.MapType;
import org.junit.jupiter.api.Test;

/**
 * {@link Arena} against the rules of Linux's kernel/bpf/arena.c (6.12 to 6.18):
 * arena_map_alloc's checks, arena_alloc_pages (zeroed pages, lowest fit, a fixed address taken
 * or outside the arena gives NULL), arena_free_pages (low 32 bits, clipped), and the program
 * view of pages not allocated (loads 0, stores dropped, as the JIT's exception table makes them).
 * This kernel refuses to create arenas here (EPERM), so the reference is the source.
 */
class ArenaMapTest {
    private static final long BASE = 1L << 44;
    private static final int PAGE = Arena.PAGE_SIZE;

    private static Arena arena(int pages, long extra) {
        return (Arena) MapFactory.create(new MapDefinition(MapType.ARENA, 0, 0, pages, MapFlags.BPF_F_MMAPABLE, extra, "arena",
                null, MapDefinition.DEFAULT_CPUS, -1));
    }

    @Test
    void createChecksAsArenaMapAlloc() {
        assertThatThrownBy(() -> MapFactory.create(new MapDefinition(MapType.ARENA, 0, 0, 4, 0, 0, "a", null,
                MapDefinition.DEFAULT_CPUS, -1))).isInstanceOf(MapException.class).hasMessageContaining("BPF_F_MMAPABLE");
        assertThatThrownBy(() -> MapFactory.create(new MapDefinition(MapType.ARENA, 4, 0, 4, MapFlags.BPF_F_MMAPABLE, 0, "a", null,
                MapDefinition.DEFAULT_CPUS, -1))).isInstanceOf(MapException.class);
        assertThatThrownBy(() -> arena(4, BASE + 8)).isInstanceOf(MapException.class).hasMessageContaining("page aligned");
        // the user range may not cross a 4 GiB boundary
        assertThatThrownBy(() -> arena(4, (1L << 32) - PAGE)).isInstanceOf(MapException.class);
        assertThat(arena(4, BASE).userVmStart()).isEqualTo(BASE);
    }

    @Test
    void allocFreeAndProgramView() {
        Arena a = arena(16, BASE);
        long p = a.allocPages(0, 2, -1, 0);
        assertThat(p).isEqualTo(BASE);
        long lo = p & 0xffff_ffffL;
        assertThat(a.load(lo, 8)).isZero();
        a.store(lo + PAGE + 8, 8, 0x1122334455667788L);
        assertThat(a.load(lo + PAGE + 8, 4)).isEqualTo(0x55667788L);
        assertThat(a.load(lo + PAGE + 15, 1)).isEqualTo(0x11L);
        // lowest fit next
        assertThat(a.allocPages(0, 1, -1, 0)).isEqualTo(BASE + 2 * PAGE);
        // a fixed address: taken, misaligned, past the end, bad flags, bad node, zero pages
        assertThat(a.allocPages(BASE + PAGE, 1, -1, 0)).isZero();
        assertThat(a.allocPages(BASE + 9 * PAGE + 8, 1, -1, 0)).isZero();
        assertThat(a.allocPages(BASE + 15 * PAGE, 2, -1, 0)).isZero();
        assertThat(a.allocPages(0, 17, -1, 0)).isZero();
        assertThat(a.allocPages(0, 1, -1, 1)).isZero();
        assertThat(a.allocPages(0, 1, 5, 0)).isZero();
        assertThat(a.allocPages(0, 0, -1, 0)).isZero();
        assertThat(a.allocPages(BASE + 8 * PAGE, 1, -1, 0)).isEqualTo(BASE + 8 * PAGE);
        // freed: reads 0, writes dropped
        a.freePages(p, 2);
        assertThat(a.load(lo + PAGE + 8, 8)).isZero();
        a.store(lo, 8, 5);
        assertThat(a.load(lo, 8)).isZero();
        // outside the arena (the guard region around it in the kernel)
        assertThat(a.load(lo - 8, 8)).isZero();
        assertThat(a.load(lo + 16L * PAGE, 8)).isZero();
        // only the low 32 bits of a free's address count
        a.freePages((0xdeadL << 32) | ((BASE + 8 * PAGE) & 0xffff_ffffL), 1);
        assertThat(a.allocated(8L * PAGE)).isFalse();
    }

    @Test
    void userWritesAllocatePages() {
        Arena a = arena(4, 0);
        assertThat(a.userVmStart() & 0xffff_ffffL).isZero();
        a.write(10, new byte[] {1, 2, 3});
        assertThat(a.allocated(0)).isTrue();
        assertThat(a.allocated(PAGE)).isFalse();
        assertThat(a.read(9, 5)).containsExactly(0, 1, 2, 3, 0);
        assertThat(a.allocPages(0, 1, -1, 0)).isEqualTo(a.userVmStart() + PAGE);
        assertThatThrownBy(() -> a.write(4L * PAGE - 1, new byte[2])).isInstanceOf(MapException.class);
    }
}
