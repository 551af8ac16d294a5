package io.bpf4j.isa.abi;

import java.util.List;
import java.util.Map;

/** Assembles {@link KernelProfile#linux618()} from the text tables and {@link Contexts618}. */
final class Linux618 {

    static final String PROTOS = "/io/bpf4j/isa/abi/linux-6.18-helpers.txt";
    static final String PROGRAM_TYPES = "/io/bpf4j/isa/abi/linux-6.18-progtypes.txt";

    private Linux618() {
    }

    static KernelProfile build() {
        Map<Integer, List<HelperProto>> protos = ProfileText.parseProtos(ProfileText.lines(PROTOS));
        List<String> lines = ProfileText.lines(PROGRAM_TYPES);
        Map<ProgramType, List<KernelProfile.Allowance>> allowed = ProfileText.parseProgramTypes(lines, protos);
        return new KernelProfile("linux-6.18", protos, allowed, ProfileText.parseBuildOptions(lines, protos),
                Contexts618::layout);
    }
}
