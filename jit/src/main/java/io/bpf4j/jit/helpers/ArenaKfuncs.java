package io.bpf4j.jit.helpers;

import io.bpf4j.jit.runtime.HelperRuntime;
import io.bpf4j.maps.Arena;
import io.bpf4j.maps.BpfMap;

/**
 * The arena kfuncs of Linux {@code kernel/bpf/arena.c}: {@code bpf_arena_alloc_pages(map,
 * addr, page_cnt, node_id, flags)} and {@code bpf_arena_free_pages(map, ptr, page_cnt)}, on an
 * {@link Arena}. As in the kernel, a map that is not an arena gives NULL (alloc) or nothing
 * (free); {@code page_cnt} is a {@code u32}, {@code node_id} an {@code int}. Pointers are arena
 * user addresses, the form the kernel's kfunc returns and takes ({@code addr__ign}).
 */
public final class ArenaKfuncs {
    private ArenaKfuncs() {}

    /** The names this class implements, in the kernel's {@code arena_kfuncs} order. */
    public static final String ALLOC_PAGES = "bpf_arena_alloc_pages";
    public static final String FREE_PAGES = "bpf_arena_free_pages";

    static long allocPages(HelperRuntime rt, long map, long addr, long pageCnt, long nodeId, long flags) {
        BpfMap m = rt.map(map);
        if (!(m instanceof Arena arena)) {
            return 0;
        }
        return arena.allocPages(addr, pageCnt & 0xffff_ffffL, (int) nodeId, flags);
    }

    static long freePages(HelperRuntime rt, long map, long ptr, long pageCnt, long r4, long r5) {
        BpfMap m = rt.map(map);
        if (m instanceof Arena arena && (pageCnt & 0xffff_ffffL) != 0 && ptr != 0) {
            arena.freePages(ptr, pageCnt & 0xffff_ffffL);
        }
        return 0;
    }
}
