/**
 * BPF maps in process, with the kernel's semantics: one {@link io.bpf4j.maps.BpfMap} interface,
 * created from a {@link io.bpf4j.maps.MapDefinition} by {@link io.bpf4j.maps.MapFactory}, each
 * refusal a {@link io.bpf4j.maps.MapException} carrying the kernel's {@link io.bpf4j.isa.abi.Errno}.
 *
 * <h2>The seam with the interpreter: values are windows onto shared bytes</h2>
 * {@code bpf_map_lookup_elem} gives a program a pointer into the element, and the program
 * reads and writes it in place (counters, {@code BPF_ATOMIC} adds, spin locks). So a lookup
 * from a program returns a {@link io.bpf4j.maps.ValueRef} {@code (byte[] array, offset, length)}
 * onto the element's own storage, which the interpreter maps as a PTR_TO_MAP_VALUE region
 * without copying. The rules it can rely on:
 * <ul>
 *   <li><b>Validity.</b> A window never dangles: the array is never reallocated or reused for
 *       another element, so a program may keep the pointer for its whole run. After the
 *       element is deleted, or a hash element is replaced by an update, writes through an old
 *       window no longer reach the map, as in the kernel (a hash update allocates a new element;
 *       array, per-CPU and {@code BPF_F_LOCK} updates copy into the existing one).</li>
 *   <li><b>Size and alignment.</b> The window is exactly {@code value_size} bytes (one CPU's
 *       value for per-CPU maps). Array and per-CPU elements start at multiples of 8 in their
 *       array and hash elements at offset 0, so aligned 4- and 8-byte accesses are aligned in
 *       the array too, and {@code VarHandle} views over the array can do atomic operations.</li>
 *   <li><b>Concurrency.</b> Element creation, replacement and deletion are atomic and never
 *       block lookups. The value bytes themselves are plain shared memory, exactly as in the
 *       kernel: the interpreter performs {@code BPF_ATOMIC} instructions with
 *       {@link io.bpf4j.maps.ValueAtomics} on the array (byte-array {@code VarHandle}s lost their
 *       atomic modes in JDK 22), and {@code bpf_spin_lock} with {@link io.bpf4j.maps.SpinLocks}
 *       on the lock word, the same word that {@code BPF_F_LOCK} user-space operations take.</li>
 *   <li><b>CPUs.</b> Per-CPU maps keep {@link io.bpf4j.maps.MapDefinition#numCpus()} values;
 *       a program passes the CPU it runs on ({@code bpf_get_smp_processor_id}) to
 *       {@link io.bpf4j.maps.BpfMap#lookupRef(byte[], int)} and
 *       {@link io.bpf4j.maps.BpfMap#update(byte[], byte[], long, int)}.</li>
 *   <li><b>Other regions.</b> Ring buffer samples ({@link io.bpf4j.maps.RingBuffer#reserve})
 *       are windows too, always contiguous. Maps of maps and prog arrays hand out objects
 *       ({@link io.bpf4j.maps.MapOfMaps#innerMap}, {@link io.bpf4j.maps.ProgArray#program}),
 *       not bytes. An insn array's program view is a read-only {@code u64[]} window.</li>
 * </ul>
 *
 * <h2>Helpers</h2>
 * <pre>
 * bpf_map_lookup_elem          lookupRef(key, cpu), or MapOfMaps.innerMap(key)   (null → 0)
 * bpf_map_lookup_percpu_elem   lookupRef(key, cpu)
 * bpf_map_update_elem          update(key, value, flags, cpu)                   (MapException → helperReturn())
 * bpf_map_delete_elem          programDelete(key)
 * bpf_map_push/pop/peek_elem   push(value, flags), pop(), peek(); BloomFilter.mayContain(value)
 * bpf_tail_call                ProgArray.program(index)
 * bpf_ringbuf_*                RingBuffer.reserve/submit/discard/output/query
 * </pre>
 * The user-space methods ({@code lookup}, {@code update(key, value, flags)}, {@code delete},
 * {@code getNextKey}, {@code lookupAndDelete}) behave as the {@code BPF_MAP_*_ELEM} commands:
 * copies, every CPU's value for per-CPU maps, and the permission checks of frozen and
 * read-only maps.
 */
package io.bpf4j.maps;
