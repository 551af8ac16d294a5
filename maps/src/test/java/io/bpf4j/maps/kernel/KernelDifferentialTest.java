package io.bpf4j.maps.kernel;

import io.bpf4j.isa.LittleEndian;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.abi.MapType;
import io.bpf4j.maps.BpfMap;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.maps.MapDefinition;
import io.bpf4j.maps.MapException;
import io.bpf4j.maps.MapFactory;
import io.bpf4j.maps.MapFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the same operation sequences on an in-process map and on a map of this machine's kernel
 * (through bpftool) and requires the same outcomes: return codes and errnos, values read,
 * get_next_key order where the kernel's order is defined (arrays, LPM tries) and key sets where
 * it depends on the kernel's hash seed.
 */
@Tag("kernel")
class KernelDifferentialTest {
    private static Bpftool tool;
    private static int cpus;
    /** Operations compared with the kernel, for the report. */
    private static int comparisons;

    @BeforeAll
    static void setUp() {
        Bpftool.assumeKernel();
        tool = new Bpftool();
        cpus = Bpftool.possibleCpus();
    }

    @AfterAll
    static void tearDown() {
        if (tool != null) {
            tool.close();
            System.out.println("kernel comparisons: " + comparisons);
        }
    }

    /** An outcome log: "label = outcome" lines. */
    static final class Log {
        final List<String> lines = new ArrayList<>();

        void add(String label, String outcome) {
            lines.add(label + " = " + outcome);
        }
    }

    private static void compare(MapDefinition def, String bpftoolType, BiConsumer<MapOps, Log> scenario) {
        BpfMap local = MapFactory.create(def);
        Bpftool.Result created = tool.create(bpftoolType, def.keySize(), def.valueSize(), def.maxEntries(), def.flags());
        assertThat(created.ok()).as("kernel map create: %s", created.error()).isTrue();
        Log mine = new Log();
        Log kernel = new Log();
        scenario.accept(new MapOps.InProcess(local), mine);
        scenario.accept(new MapOps.Kernel(tool, tool.pin(), def.isPerCpu()), kernel);
        synchronized (KernelDifferentialTest.class) {
            comparisons += kernel.lines.size();
        }
        assertThat(mine.lines).containsExactlyElementsOf(kernel.lines);
    }

    static byte[] u32(int v) {
        return LittleEndian.u32(v);
    }

    static byte[] u64(long v) {
        return LittleEndian.u64(v);
    }

    /** Every key by repeated get_next_key from null. */
    static List<String> walk(MapOps ops) {
        List<String> keys = new ArrayList<>();
        String k = ops.getNext(null);
        while (!k.equals("ENOENT") && keys.size() < 1000) {
            keys.add(k);
            k = ops.getNext(MapOps.HEX.parseHex(k));
        }
        return keys;
    }

    @Test
    void array() {
        compare(MapDefinition.of(MapType.ARRAY, 4, 8, 4), "array", (ops, log) -> {
            log.add("lookup 0 initial", ops.lookup(u32(0)));
            log.add("update 1 any", ops.update(u32(1), u64(0x1122334455667788L), "any"));
            log.add("lookup 1", ops.lookup(u32(1)));
            log.add("update 2 noexist", ops.update(u32(2), u64(5), "noexist"));
            log.add("update 3 exist", ops.update(u32(3), u64(7), "exist"));
            log.add("lookup 3", ops.lookup(u32(3)));
            log.add("update 4 any", ops.update(u32(4), u64(1), "any"));
            log.add("update -1 any", ops.update(u32(-1), u64(1), "any"));
            log.add("lookup 4", ops.lookup(u32(4)));
            log.add("delete 1", ops.delete(u32(1)));
            log.add("delete 9", ops.delete(u32(9)));
            log.add("next of null", ops.getNext(null));
            for (int i = 0; i < 4; i++) {
                log.add("next of " + i, ops.getNext(u32(i)));
            }
            log.add("next of 4", ops.getNext(u32(4)));
            log.add("next of 1000", ops.getNext(u32(1000)));
            log.add("walk", walk(ops).toString());
        });
    }

    @Test
    void hashFlagsAndFullMap() {
        compare(MapDefinition.of(MapType.HASH, 4, 8, 3), "hash", (ops, log) -> {
            log.add("noexist 1", ops.update(u32(1), u64(1), "noexist"));
            log.add("noexist 1 again", ops.update(u32(1), u64(2), "noexist"));
            log.add("lookup 1", ops.lookup(u32(1)));
            log.add("exist 9", ops.update(u32(9), u64(9), "exist"));
            log.add("lookup 9", ops.lookup(u32(9)));
            log.add("exist 1", ops.update(u32(1), u64(3), "exist"));
            log.add("lookup 1 after exist", ops.lookup(u32(1)));
            log.add("any 2", ops.update(u32(2), u64(2), "any"));
            log.add("any 3", ops.update(u32(3), u64(3), "any"));
            log.add("any 4 when full", ops.update(u32(4), u64(4), "any"));
            log.add("noexist 4 when full", ops.update(u32(4), u64(4), "noexist"));
            log.add("exist 4 when full", ops.update(u32(4), u64(4), "exist"));
            log.add("any 1 replace when full", ops.update(u32(1), u64(11), "any"));
            log.add("exist 2 replace when full", ops.update(u32(2), u64(12), "exist"));
            log.add("lookup 2", ops.lookup(u32(2)));
            log.add("delete 2", ops.delete(u32(2)));
            log.add("delete 2 again", ops.delete(u32(2)));
            log.add("lookup 2 deleted", ops.lookup(u32(2)));
            log.add("any 4 after delete", ops.update(u32(4), u64(4), "any"));
            log.add("keys", new TreeSet<>(walk(ops)).toString());
            String first = ops.getNext(null);
            log.add("next of missing is first", String.valueOf(ops.getNext(u32(77)).equals(first)));
            // delete during iteration: take the next key before deleting the current one
            List<String> seen = new ArrayList<>();
            String k = ops.getNext(null);
            while (!k.equals("ENOENT")) {
                String next = ops.getNext(MapOps.HEX.parseHex(k));
                seen.add(k + ":" + ops.delete(MapOps.HEX.parseHex(k)));
                k = next;
            }
            seen.sort(null);
            log.add("deleted while iterating", seen.toString());
            log.add("empty next", ops.getNext(null));
        });
    }

    @Test
    void percpuArrayValueLayout() {
        compare(MapDefinition.of(MapType.PERCPU_ARRAY, 4, 4, 2).withNumCpus(cpus), "percpu_array", (ops, log) -> {
            log.add("lookup 0", ops.lookup(u32(0)));
            log.add("update 1", ops.update(u32(1), u32(0xabcdef01), "any"));
            log.add("lookup 1", ops.lookup(u32(1)));
            log.add("update 2", ops.update(u32(2), u32(1), "any"));
            log.add("update 0 noexist", ops.update(u32(0), u32(1), "noexist"));
            log.add("delete 0", ops.delete(u32(0)));
            log.add("walk", walk(ops).toString());
        });
    }

    @Test
    void percpuHash() {
        compare(MapDefinition.of(MapType.PERCPU_HASH, 4, 12, 2).withNumCpus(cpus), "percpu_hash", (ops, log) -> {
            byte[] v = MapOps.HEX.parseHex("0102030405060708090a0b0c");
            log.add("update 1", ops.update(u32(1), v, "any"));
            log.add("lookup 1", ops.lookup(u32(1)));
            log.add("update 2", ops.update(u32(2), v, "noexist"));
            log.add("update 3 when full", ops.update(u32(3), v, "any"));
            log.add("update 1 exist", ops.update(u32(1), MapOps.HEX.parseHex("ffffffffffffffffffffffff"), "exist"));
            log.add("lookup 1 again", ops.lookup(u32(1)));
            log.add("delete 2", ops.delete(u32(2)));
            log.add("lookup 2", ops.lookup(u32(2)));
        });
    }

    @Test
    void lruHashEvictsInsteadOfFailing() {
        int max = 8;
        compare(MapDefinition.of(MapType.LRU_HASH, 4, 8, max), "lru_hash", (ops, log) -> {
            List<String> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(ops.update(u32(i), u64(i), "any"));
            }
            log.add("40 inserts into 8 slots", results.toString());
            List<String> keys = walk(ops);
            log.add("at most max_entries remain", String.valueOf(keys.size() <= max && !keys.isEmpty()));
            log.add("newest key present", ops.lookup(u32(39)));
            log.add("noexist newest", ops.update(u32(39), u64(1), "noexist"));
            log.add("exist never inserted", ops.update(u32(1000), u64(1), "exist"));
            log.add("delete newest", ops.delete(u32(39)));
            log.add("lookup deleted", ops.lookup(u32(39)));
        });
    }

    @Test
    void queueOrderAndFull() {
        compare(MapDefinition.of(MapType.QUEUE, 0, 4, 3), "queue", KernelDifferentialTest::queueScenario);
    }

    @Test
    void stackOrderAndFull() {
        compare(MapDefinition.of(MapType.STACK, 0, 4, 3), "stack", KernelDifferentialTest::queueScenario);
    }

    private static void queueScenario(MapOps ops, Log log) {
        log.add("peek empty", ops.peek());
        log.add("pop empty", ops.pop());
        for (int i = 1; i <= 4; i++) {
            log.add("push " + i, ops.push(u32(i), "any"));
        }
        log.add("push noexist", ops.push(u32(9), "noexist"));
        log.add("push 5 exist (drops oldest)", ops.push(u32(5), "exist"));
        log.add("peek", ops.peek());
        for (int i = 0; i < 4; i++) {
            log.add("pop " + i, ops.pop());
        }
        log.add("push after drain", ops.push(u32(6), "any"));
        log.add("peek last", ops.peek());
    }

    @Test
    void bloomFilterPushFlags() {
        compare(MapDefinition.of(MapType.BLOOM_FILTER, 0, 4, 16), "bloom_filter", (ops, log) -> {
            log.add("push any", ops.push(u32(1), "any"));
            log.add("push exist", ops.push(u32(2), "exist"));
            log.add("push noexist", ops.push(u32(3), "noexist"));
            log.add("push any again", ops.push(u32(1), "any"));
        });
    }

    static byte[] lpm(int prefixLen, int a, int b, int c, int d) {
        return new byte[] {(byte) prefixLen, (byte) (prefixLen >>> 8), 0, 0, (byte) a, (byte) b, (byte) c, (byte) d};
    }

    @Test
    void lpmTrieLongestMatchAndOrder() {
        MapDefinition def = MapDefinition.of(MapType.LPM_TRIE, 8, 4, 6).withFlags(MapFlags.BPF_F_NO_PREALLOC);
        compare(def, "lpm_trie", (ops, log) -> {
            log.add("10/8", ops.update(lpm(8, 10, 0, 0, 0), u32(1), "any"));
            log.add("10.1/16", ops.update(lpm(16, 10, 1, 0, 0), u32(2), "noexist"));
            log.add("10.1.1/24 with host bits", ops.update(lpm(24, 10, 1, 1, 77), u32(3), "any"));
            log.add("192.168/16", ops.update(lpm(16, 192, 168, 0, 0), u32(4), "any"));
            log.add("10.128/9", ops.update(lpm(9, 10, 128, 0, 0), u32(5), "any"));
            log.add("lookup 10.1.1.5/32", ops.lookup(lpm(32, 10, 1, 1, 5)));
            log.add("lookup 10.1.2.5/32", ops.lookup(lpm(32, 10, 1, 2, 5)));
            log.add("lookup 10.200.0.1/32", ops.lookup(lpm(32, 10, 200, 0, 1)));
            log.add("lookup 10.2.0.0/32", ops.lookup(lpm(32, 10, 2, 0, 0)));
            log.add("lookup 11.0.0.0/32", ops.lookup(lpm(32, 11, 0, 0, 0)));
            log.add("lookup 10.1.1.1/12", ops.lookup(lpm(12, 10, 1, 1, 1)));
            log.add("lookup 10.1.1.1/0", ops.lookup(lpm(0, 10, 1, 1, 1)));
            log.add("noexist 10.1/16", ops.update(lpm(16, 10, 1, 0, 0), u32(9), "noexist"));
            log.add("exist 10.3/16", ops.update(lpm(16, 10, 3, 0, 0), u32(9), "exist"));
            log.add("exist 10.1/16", ops.update(lpm(16, 10, 1, 0, 0), u32(6), "exist"));
            log.add("prefixlen 33", ops.update(lpm(33, 10, 0, 0, 0), u32(9), "any"));
            log.add("order", walk(ops).toString());
            log.add("next of missing", ops.getNext(lpm(16, 172, 16, 0, 0)));
            log.add("next of prefixlen 40", ops.getNext(lpm(40, 10, 0, 0, 0)));
            log.add("0/0", ops.update(lpm(0, 0, 0, 0, 0), u32(7), "any"));
            log.add("full", ops.update(lpm(32, 1, 2, 3, 4), u32(8), "any"));
            log.add("replace when full", ops.update(lpm(8, 10, 0, 0, 0), u32(10), "any"));
            log.add("lookup 11.0.0.0/32 with default", ops.lookup(lpm(32, 11, 0, 0, 0)));
            log.add("delete 10.1/16", ops.delete(lpm(16, 10, 1, 0, 0)));
            log.add("delete 10.1/16 again", ops.delete(lpm(16, 10, 1, 0, 0)));
            log.add("delete 10.1.1/23", ops.delete(lpm(23, 10, 1, 1, 0)));
            log.add("lookup 10.1.2.5/32 after delete", ops.lookup(lpm(32, 10, 1, 2, 5)));
            log.add("order after delete", walk(ops).toString());
        });
    }

    @Test
    void randomHashOperations() {
        compare(MapDefinition.of(MapType.HASH, 4, 8, 8), "hash", (ops, log) -> {
            java.util.Random r = new java.util.Random(20261123);
            String[] flags = {"any", "noexist", "exist"};
            for (int i = 0; i < 150; i++) {
                int k = r.nextInt(12);
                switch (r.nextInt(4)) {
                    case 0:
                    case 1:
                        String f = flags[r.nextInt(3)];
                        log.add(i + " update " + k + " " + f, ops.update(u32(k), u64(i), f));
                        break;
                    case 2:
                        log.add(i + " delete " + k, ops.delete(u32(k)));
                        break;
                    default:
                        log.add(i + " lookup " + k, ops.lookup(u32(k)));
                        break;
                }
            }
            log.add("keys", new TreeSet<>(walk(ops)).toString());
        });
    }

    @Test
    void randomLpmPrefixesIterateInTheKernelsOrder() {
        MapDefinition def = MapDefinition.of(MapType.LPM_TRIE, 8, 4, 64).withFlags(MapFlags.BPF_F_NO_PREALLOC);
        compare(def, "lpm_trie", (ops, log) -> {
            java.util.Random r = new java.util.Random(7);
            List<byte[]> inserted = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                byte[] k = lpm(r.nextInt(33), 10, r.nextInt(4) * 64, r.nextInt(256), r.nextInt(256));
                inserted.add(k);
                log.add("insert " + i, ops.update(k, u32(i), "any"));
            }
            log.add("order", walk(ops).toString());
            for (int i = 0; i < 30; i++) {
                log.add("lookup " + i, ops.lookup(lpm(32, 10, r.nextInt(256), r.nextInt(256), r.nextInt(256))));
            }
            for (int i = 0; i < 15; i++) {
                log.add("delete " + i, ops.delete(inserted.get(r.nextInt(inserted.size()))));
            }
            log.add("order after deletes", walk(ops).toString());
        });
    }

    @Test
    void lruPercpuHashEvictsToo() {
        compare(MapDefinition.of(MapType.LRU_PERCPU_HASH, 4, 12, 8).withNumCpus(cpus), "lru_percpu_hash", (ops, log) -> {
            List<String> results = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                results.add(ops.update(u32(i), MapOps.HEX.parseHex(String.format("%024x", i)), "any"));
            }
            log.add("30 inserts into 8 slots", results.toString());
            log.add("at most max_entries remain", String.valueOf(walk(ops).size() <= 8));
            log.add("newest value on every cpu", ops.lookup(u32(29)));
        });
    }

    @Test
    void oddValueSizes() {
        compare(MapDefinition.of(MapType.PERCPU_ARRAY, 4, 12, 3).withNumCpus(cpus), "percpu_array", (ops, log) -> {
            log.add("update", ops.update(u32(2), MapOps.HEX.parseHex("0102030405060708090a0b0c"), "any"));
            log.add("lookup", ops.lookup(u32(2)));
            log.add("lookup 1", ops.lookup(u32(1)));
        });
        compare(MapDefinition.of(MapType.ARRAY, 4, 5, 3), "array", (ops, log) -> {
            log.add("update", ops.update(u32(2), MapOps.HEX.parseHex("0102030405"), "any"));
            log.add("lookup", ops.lookup(u32(2)));
        });
    }

    static Stream<Arguments> definitions() {
        return Stream.of(
                Arguments.of("array", MapDefinition.of(MapType.ARRAY, 8, 4, 4)),
                Arguments.of("array", MapDefinition.of(MapType.ARRAY, 4, 0, 4)),
                Arguments.of("array", MapDefinition.of(MapType.ARRAY, 4, 4, 0)),
                Arguments.of("array", MapDefinition.of(MapType.ARRAY, 4, 4, 4).withFlags(MapFlags.BPF_F_NO_PREALLOC)),
                Arguments.of("array", MapDefinition.of(MapType.ARRAY, 4, 4, 4).withFlags(MapFlags.BPF_F_MMAPABLE)),
                Arguments.of("array", MapDefinition.of(MapType.ARRAY, 4, 4, 4).withFlags(MapFlags.BPF_F_RDONLY | MapFlags.BPF_F_WRONLY)),
                Arguments.of("percpu_array", MapDefinition.of(MapType.PERCPU_ARRAY, 4, 4, 4).withFlags(MapFlags.BPF_F_MMAPABLE)),
                Arguments.of("percpu_array", MapDefinition.of(MapType.PERCPU_ARRAY, 4, 40000, 4)),
                Arguments.of("prog_array", MapDefinition.of(MapType.PROG_ARRAY, 4, 8, 4)),
                Arguments.of("hash", MapDefinition.of(MapType.HASH, 0, 4, 4)),
                Arguments.of("hash", MapDefinition.of(MapType.HASH, 4, 0, 4)),
                Arguments.of("hash", MapDefinition.of(MapType.HASH, 4, 4, 0)),
                Arguments.of("hash", MapDefinition.of(MapType.HASH, 513, 4, 4)),
                Arguments.of("hash", MapDefinition.of(MapType.HASH, 65536, 4, 4)),
                Arguments.of("hash", MapDefinition.of(MapType.HASH, 4, 4194000, 4)),
                Arguments.of("hash", MapDefinition.of(MapType.HASH, 4, 4194304, 4)),
                Arguments.of("percpu_hash", MapDefinition.of(MapType.PERCPU_HASH, 4, 32768, 4)),
                Arguments.of("percpu_hash", MapDefinition.of(MapType.PERCPU_HASH, 4, 32769, 4)),
                Arguments.of("percpu_array", MapDefinition.of(MapType.PERCPU_ARRAY, 4, 32769, 4)),
                Arguments.of("array", MapDefinition.of(MapType.ARRAY, 4, 4, 4).withFlags(MapFlags.BPF_F_INNER_MAP)),
                Arguments.of("array", MapDefinition.of(MapType.ARRAY, 4, 4, 4).withFlags(MapFlags.BPF_F_PRESERVE_ELEMS)),
                Arguments.of("array", MapDefinition.of(MapType.ARRAY, 4, 4, 4).withFlags(MapFlags.BPF_F_ZERO_SEED)),
                Arguments.of("array", MapDefinition.of(MapType.ARRAY, 4, 4, 4).withFlags(MapFlags.BPF_F_RDONLY_PROG)),
                Arguments.of("prog_array", MapDefinition.of(MapType.PROG_ARRAY, 4, 4, 4).withFlags(MapFlags.BPF_F_RDONLY_PROG)),
                Arguments.of("prog_array", MapDefinition.of(MapType.PROG_ARRAY, 4, 4, 4)),
                Arguments.of("lru_percpu_hash", MapDefinition.of(MapType.LRU_PERCPU_HASH, 4, 4, 4).withFlags(MapFlags.BPF_F_NO_COMMON_LRU)),
                Arguments.of("hash", MapDefinition.of(MapType.HASH, 4, 4, 4).withFlags(MapFlags.BPF_F_ZERO_SEED)),
                Arguments.of("bloom_filter", MapDefinition.of(MapType.BLOOM_FILTER, 0, 0, 4)),
                Arguments.of("bloom_filter", MapDefinition.of(MapType.BLOOM_FILTER, 0, 4, 0)),
                Arguments.of("stack", MapDefinition.of(MapType.STACK, 0, 4, 0)),
                Arguments.of("lpm_trie", MapDefinition.of(MapType.LPM_TRIE, 5, 1, 1).withFlags(MapFlags.BPF_F_NO_PREALLOC)),
                Arguments.of("lpm_trie", MapDefinition.of(MapType.LPM_TRIE, 8, 4, 4).withFlags(MapFlags.BPF_F_NO_PREALLOC | MapFlags.BPF_F_ZERO_SEED)),
                Arguments.of("hash", MapDefinition.of(MapType.HASH, 4, 4, 4).withFlags(MapFlags.BPF_F_NO_PREALLOC)),
                Arguments.of("hash", MapDefinition.of(MapType.HASH, 4, 4, 4).withFlags(MapFlags.BPF_F_NO_COMMON_LRU)),
                Arguments.of("hash", MapDefinition.of(MapType.HASH, 4, 4, 4).withFlags(MapFlags.BPF_F_MMAPABLE)),
                Arguments.of("lru_hash", MapDefinition.of(MapType.LRU_HASH, 4, 4, 4).withFlags(MapFlags.BPF_F_NO_PREALLOC)),
                Arguments.of("lru_hash", MapDefinition.of(MapType.LRU_HASH, 4, 4, 4).withFlags(MapFlags.BPF_F_NO_COMMON_LRU)),
                Arguments.of("percpu_hash", MapDefinition.of(MapType.PERCPU_HASH, 4, 40000, 4)),
                Arguments.of("lpm_trie", MapDefinition.of(MapType.LPM_TRIE, 8, 4, 4)),
                Arguments.of("lpm_trie", MapDefinition.of(MapType.LPM_TRIE, 4, 4, 4).withFlags(MapFlags.BPF_F_NO_PREALLOC)),
                Arguments.of("lpm_trie", MapDefinition.of(MapType.LPM_TRIE, 261, 4, 4).withFlags(MapFlags.BPF_F_NO_PREALLOC)),
                Arguments.of("lpm_trie", MapDefinition.of(MapType.LPM_TRIE, 260, 4, 4).withFlags(MapFlags.BPF_F_NO_PREALLOC)),
                Arguments.of("lpm_trie", MapDefinition.of(MapType.LPM_TRIE, 8, 0, 4).withFlags(MapFlags.BPF_F_NO_PREALLOC)),
                Arguments.of("queue", MapDefinition.of(MapType.QUEUE, 4, 4, 4)),
                Arguments.of("queue", MapDefinition.of(MapType.QUEUE, 0, 0, 4)),
                Arguments.of("stack", MapDefinition.of(MapType.STACK, 0, 4, 4).withFlags(MapFlags.BPF_F_NO_PREALLOC)),
                Arguments.of("bloom_filter", MapDefinition.of(MapType.BLOOM_FILTER, 4, 4, 4)),
                Arguments.of("bloom_filter", MapDefinition.of(MapType.BLOOM_FILTER, 0, 4, 4).withFlags(MapFlags.BPF_F_ZERO_SEED)),
                Arguments.of("ringbuf", MapDefinition.of(MapType.RINGBUF, 0, 0, 4096)),
                Arguments.of("ringbuf", MapDefinition.of(MapType.RINGBUF, 0, 0, 4097)),
                Arguments.of("ringbuf", MapDefinition.of(MapType.RINGBUF, 0, 0, 12288)),
                Arguments.of("ringbuf", MapDefinition.of(MapType.RINGBUF, 0, 0, 2048)),
                Arguments.of("ringbuf", MapDefinition.of(MapType.RINGBUF, 4, 0, 4096)),
                Arguments.of("ringbuf", MapDefinition.of(MapType.RINGBUF, 0, 0, 4096).withFlags(MapFlags.BPF_F_NO_PREALLOC)));
    }

    @ParameterizedTest(name = "{0} key {1}")
    @MethodSource("definitions")
    void creationChecksMatchTheKernel(String bpftoolType, MapDefinition def) {
        Bpftool.Result k = tool.create(bpftoolType, def.keySize(), def.valueSize(), def.maxEntries(), def.flags());
        String kernel = k.ok() ? "ok" : String.valueOf(k.errno());
        String mine;
        try {
            MapFactory.create(def);
            mine = "ok";
        } catch (MapException e) {
            mine = e.errno().name();
        }
        synchronized (KernelDifferentialTest.class) {
            comparisons++;
        }
        assertThat(mine).as("%s (kernel: %s)", def, k.error()).isEqualTo(kernel);
    }

    @Test
    void errnoTextsMatchBpftool() {
        // bpftool prints strerror text; the oracle's reading of it must agree with the numbers
        Bpftool.Result r = tool.create("array", 4, 4, 0, 0);
        assertThat(r.errno()).isEqualTo(Errno.EINVAL);
    }
}
