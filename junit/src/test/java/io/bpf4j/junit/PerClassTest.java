package io.bpf4j.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.loader.BpfObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@code perClass = true}: one object for the class, still closed when the class is done. */
@BpfTest(file = "../testdata/objects/minimal.v1.el.o", perClass = true)
class PerClassTest {
    private static final List<BpfObject> SEEN = new ArrayList<>();

    @Test
    void first(BpfObject obj) {
        SEEN.add(obj);
    }

    @Test
    void second(BpfObject obj) {
        SEEN.add(obj);
    }

    @AfterAll
    static void sameInstance() {
        assertThat(SEEN).hasSize(2);
        assertThat(SEEN.get(0)).isSameAs(SEEN.get(1));
    }
}
