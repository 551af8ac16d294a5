package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.isa.BpfException;
import io.bpf4j.testdata.CraftedElf;
import org.junit.jupiter.api.Test;

/** The open-time limits of the resource policy are set through {@link OpenOptions} (issue 20). */
class OpenLimitsTest {
    private static byte[] twoBss(long size) {
        CraftedElf w = new CraftedElf();
        w.nobits(".bss", size);
        w.nobits(".bss.more", size);
        return w.bytes();
    }

    @Test
    void theDefaultRefusesGlobalDataOverTwoHundredFiftySixMebibytes() {
        assertThat(OpenOptions.defaults().maxGlobalData()).isEqualTo(256L << 20);
        assertThatThrownBy(() -> BpfObject.open(twoBss(200L << 20), OpenOptions.builder().objectName("big").build()))
                .isInstanceOf(BpfException.class)
                .hasMessage("map '.bss.more': size 209715200 of section '.bss.more' brings the object's global data to"
                        + " 419430400 bytes, over the limit of 268435456 bytes (ObjectLimits.maxGlobalData)");
    }

    @Test
    void aLargerLimitOpensTheSameObjectWithoutAllocatingIt() {
        try (BpfObject obj = BpfObject.open(twoBss(200L << 20),
                OpenOptions.builder().objectName("big").maxGlobalData(400L << 20).build())) {
            assertThat(obj.maps()).extracting(BpfMap::name).containsExactly("big.bss", ".bss.more");
        }
    }

    @Test
    void aSmallerLimitRefusesASmallObject() {
        assertThatThrownBy(() -> BpfObject.open(twoBss(4096), OpenOptions.builder().objectName("small").maxGlobalData(6000).build()))
                .hasMessageContaining("brings the object's global data to 8192 bytes, over the limit of 6000 bytes");
        assertThatThrownBy(() -> OpenOptions.builder().maxGlobalData(-1).build()).isInstanceOf(IllegalArgumentException.class);
    }
}
