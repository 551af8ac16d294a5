/**
 * The helpers the runtime implements itself, one class per group; {@link io.bpf4j.jit.helpers.StandardHelpers}
 * collects them into a {@link io.bpf4j.jit.runtime.HelperTable} ({@code all()} for every program
 * type, {@code forProgramType(type)} adding a type's packet helpers).
 *
 * <pre>
 * id  helper                       class
 *   1 map_lookup_elem              MapHelpers     (value region, inner map pointer for map-in-map, run's CPU for per-CPU)
 *   2 map_update_elem              MapHelpers     (-errno from MapException.helperReturn())
 *   3 map_delete_elem              MapHelpers
 *  87 map_push_elem                MapHelpers     (queue, stack, bloom filter)
 *  88 map_pop_elem                 MapHelpers
 *  89 map_peek_elem                MapHelpers     (bloom filter: membership test)
 * 164 for_each_map_elem            MapHelpers     (array and hash families)
 * 195 map_lookup_percpu_elem       MapHelpers
 *  12 tail_call                    the interpreter (MapHelpers binds the id)
 * 130 ringbuf_output               RingbufHelpers
 * 131 ringbuf_reserve              RingbufHelpers (RINGBUF_RECORD region or NULL)
 * 132 ringbuf_submit               RingbufHelpers
 * 133 ringbuf_discard              RingbufHelpers
 * 134 ringbuf_query                RingbufHelpers
 *  93 spin_lock, 94 spin_unlock    LockHelpers
 *  44 xdp_adjust_head              PacketHelpers.xdp
 *  65 xdp_adjust_tail              PacketHelpers.xdp
 *  54 xdp_adjust_meta              PacketHelpers.xdp
 *  23 redirect                     PacketHelpers.xdp (XDP_REDIRECT) / .tc (TC_ACT_REDIRECT)
 *  51 redirect_map                 PacketHelpers.xdp (no redirect maps in process: the flags' action)
 *  26 skb_load_bytes               PacketHelpers.socketFilter / .tc
 *   9 skb_store_bytes              PacketHelpers.tc
 *  10 l3_csum_replace              PacketHelpers.tc
 *  11 l4_csum_replace              PacketHelpers.tc
 *  28 csum_diff                    PacketHelpers.xdp / .tc (folded to 16 bits, Linux 6.13+)
 * </pre>
 * plus time, task, random, probe_read, string, bpf_loop and print helpers (see the classes).
 */
package io.bpf4j.jit.helpers;
