package io.bpf4j.maps;

import io.bpf4j.isa.LittleEndian;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.abi.MapType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueAtomicsTest {

    @Test
    void concurrentAddsOnAMapValueLoseNothing() throws Exception {
        BpfMap m = MapFactory.create(MapDefinition.of(MapType.ARRAY, 4, 16, 1));
        ValueRef v = m.lookupRef(LittleEndian.u32(0));
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    ValueAtomics.getAndAdd64(v.array(), v.offset(), 1);
                    ValueAtomics.getAndAdd32(v.array(), v.offset() + 8, 2);
                    ValueAtomics.getAndAdd32(v.array(), v.offset() + 12, -1);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        byte[] now = m.lookup(LittleEndian.u32(0));
        assertThat(LittleEndian.getLong(now, 0)).isEqualTo(200_000);
        assertThat(LittleEndian.getInt(now, 8)).isEqualTo(400_000);
        assertThat(LittleEndian.getInt(now, 12)).isEqualTo(-200_000);
    }

    @Test
    void compareAndExchangeReturnsTheOldWord() {
        byte[] a = new byte[16];
        assertThat(ValueAtomics.compareAndExchange64(a, 8, 0, 5)).isZero();
        assertThat(ValueAtomics.compareAndExchange64(a, 8, 0, 7)).isEqualTo(5);
        assertThat(LittleEndian.getLong(a, 8)).isEqualTo(5);
        assertThat(ValueAtomics.compareAndExchange32(a, 0, 0, -1)).isZero();
        assertThat(ValueAtomics.getAndUpdate32(a, 0, (x, y) -> x & y, 0xff)).isEqualTo(-1);
        assertThat(LittleEndian.getInt(a, 0)).isEqualTo(0xff);
    }
}
