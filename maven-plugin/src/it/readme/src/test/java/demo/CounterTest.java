package demo;

import static io.bpf4j.junit.BpfAssertions.assertThat;

import io.bpf4j.loader.TestRunInput;
import io.bpf4j.junit.BpfTest;
import io.bpf4j.junit.Name;
import io.bpf4j.loader.BpfMap;
import io.bpf4j.loader.BpfProgram;
import org.junit.jupiter.api.Test;

@BpfTest(resource = "bpf/counter.bpf.o")
class CounterTest {
    @Test
    void countsAndPasses(@Name("count_packets") BpfProgram prog, @Name("packets") BpfMap packets) {
        assertThat(prog).isAccepted().whenRun(TestRunInput.ofData(new byte[64])).returns(2);
        assertThat(packets).containsEntry(0, 1);
    }
}
