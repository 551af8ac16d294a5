package io.bpf4j.jit.runtime;

/** A load, store or atomic whose address is not inside a region the program may use that way. */
public final class MemoryFault extends ExecutionFault {
    private static final long serialVersionUID = 1L;

    /** What the faulting instruction tried to do. */
    public enum Access {
        READ("read"), WRITE("write"), ATOMIC("atomic access");

        private final String label;

        Access(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final long address;
    private final int size;
    private final Access access;
    private final String regionName;
    private final RegionKind regionKind;
    /** For an access outside its stack frame: the offset from the frame pointer, as the kernel counts it; else null. */
    private final Long stackOffset;
    /** The base register named in the message, -1 when none is. */
    private final int register;

    public MemoryFault(int pc, Access access, long address, int size, Region region, String reason) {
        this(pc, access, address, size, region, reason, null);
    }

    private MemoryFault(int pc, Access access, long address, int size, Region region, String reason, Long stackOffset) {
        super(pc, "invalid " + access.label() + " of " + size + " bytes at " + Pointers.describe(address)
                + (region == null ? "" : " in " + region) + ": " + reason);
        this.address = address;
        this.size = size;
        this.access = access;
        this.regionName = region == null ? null : region.name();
        this.regionKind = region == null ? null : region.kind();
        this.stackOffset = stackOffset;
        this.register = -1;
    }

    private MemoryFault(int pc, Access access, long address, int size, String regionName, RegionKind regionKind, long stackOffset,
            int register) {
        super(pc, "invalid " + (access == Access.WRITE ? "write to" : "read from") + " stack"
                + (register < 0 ? "" : " R" + register) + " off=" + stackOffset + " size=" + size);
        this.address = address;
        this.size = size;
        this.access = access;
        this.regionName = regionName;
        this.regionKind = regionKind;
        this.stackOffset = stackOffset;
        this.register = register;
    }

    /**
     * An access that leaves its stack frame; {@code stackOffset} counts from the frame pointer
     * (r10), as the kernel's {@code off} does. An instruction's own access is reworded in the
     * kernel's terms by {@link #withRegister}; a helper's keeps this wording.
     */
    public static MemoryFault outsideStack(int pc, Access access, long address, int size, Region region, long stackOffset) {
        return new MemoryFault(pc, access, address, size, region,
                "offset " + (stackOffset + Memory.FRAME_SIZE) + " outside [0, " + Memory.FRAME_SIZE + ")", stackOffset);
    }

    /** {@return whether this is an access outside a stack frame ({@link #outsideStack})} */
    public boolean outsideStack() {
        return stackOffset != null;
    }

    /**
     * This fault worded as the kernel's verifier words an instruction's stack access out of its
     * frame, naming the instruction's base register ({@code invalid read from stack R10 off=-520 size=8});
     * itself when not {@link #outsideStack} or already reworded.
     */
    public MemoryFault withRegister(int register) {
        if (stackOffset == null || this.register >= 0) {
            return this;
        }
        MemoryFault f = new MemoryFault(pc(), access, address, size, regionName, regionKind, stackOffset, register);
        f.setStackTrace(getStackTrace());
        return f;
    }

    /** The 64-bit address the program used. */
    public long address() {
        return address;
    }

    public int size() {
        return size;
    }

    public Access access() {
        return access;
    }

    /** The region the address named, or {@code null} when it named none. */
    public String regionName() {
        return regionName;
    }

    /** The kind of the region the address named, or {@code null} when it named none. */
    public RegionKind regionKind() {
        return regionKind;
    }
}
