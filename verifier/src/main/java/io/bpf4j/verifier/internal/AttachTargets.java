package io.bpf4j.verifier.internal;

import io.bpf4j.isa.abi.AttachType;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.verifier.BtfNode;
import io.bpf4j.verifier.VerifierInput;

/** Which BTF-attached programs the verifier judges, and why it refuses the others up front. */
final class AttachTargets {
    private AttachTargets() {}

    /** Null when {@code input} is a BTF-attached program bpf4j models, else the gap to name. */
    static String unsupported(VerifierInput input) {
        ProgramType t = input.programType();
        String what = t.displayName() + " programs (BTF attach target)";
        if (t == ProgramType.EXT) {
            return what;
        }
        if (input.attachTarget() == null || input.btf() == null) {
            return what + " without the target's BTF";
        }
        if (!(input.btf().type(input.attachTarget().protoId()) instanceof BtfNode.FuncProto)) {
            return what + ": attach target '" + input.attachTarget().name() + "' has no function prototype";
        }
        AttachType a = input.expectedAttachType();
        if (t == ProgramType.TRACING && a == null) {
            return "tracing programs of attach type none";
        }
        if (t == ProgramType.TRACING && a == AttachType.TRACE_ITER && !BtfPointers.ITER_ARGS.containsKey(input.attachTarget().name())) {
            return "tracing programs of attach type iter (target " + input.attachTarget().name() + ")";
        }
        return null;
    }
}
