package io.bpf4j.isa.abi;

import static io.bpf4j.isa.abi.ContextField.Access.readExact;
import static io.bpf4j.isa.abi.ContextField.Access.readNarrow;

/** Context layouts of Linux 6.18 (x86-64) per program type and expected attach type. */
final class Contexts618 {

    private Contexts618() {
    }

    static ContextLayout layout(ProgramType t, AttachType a) {
        switch (t) {
            case XDP:
                return xdp(a);
            default:
                return null;
        }
    }

    static ContextLayout xdp(AttachType a) {
        return ContextLayout.builder(ProgramType.XDP, "xdp_md", 24).attachType(a)
                .field(new ContextField(0, 4, "data", readExact(4), RegKind.PTR_TO_PACKET))
                .field(new ContextField(4, 4, "data_end", readExact(4), RegKind.PTR_TO_PACKET_END))
                .field(new ContextField(8, 4, "data_meta", readExact(4), RegKind.PTR_TO_PACKET_META))
                .field(new ContextField(12, 4, "ingress_ifindex", readNarrow(4), RegKind.SCALAR))
                .field(new ContextField(16, 4, "rx_queue_index", readNarrow(4), RegKind.SCALAR))
                .field(new ContextField(20, 4, "egress_ifindex", readNarrow(4), RegKind.SCALAR))
                .returnRange(ReturnRange.of(0, 4))
                .build();
    }
}
