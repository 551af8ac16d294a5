package io.bpf4j.jit.runtime;

/** A call would need more stack frames than the kernel allows ({@code MAX_CALL_FRAMES} = 8). */
public final class CallDepthFault extends ExecutionFault {
    private static final long serialVersionUID = 1L;

    private final int frames;

    public CallDepthFault(int pc, int frames) {
        super(pc, "the call stack of " + frames + " frames is too deep");
        this.frames = frames;
    }

    /** The number of frames the call would have made. */
    public int frames() {
        return frames;
    }
}
