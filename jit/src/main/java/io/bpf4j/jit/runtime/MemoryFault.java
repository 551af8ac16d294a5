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

    public MemoryFault(int pc, Access access, long address, int size, Region region, String reason) {
        super(pc, "invalid " + access.label() + " of " + size + " bytes at " + Pointers.describe(address)
                + (region == null ? "" : " in " + region) + ": " + reason);
        this.address = address;
        this.size = size;
        this.access = access;
        this.regionName = region == null ? null : region.name();
        this.regionKind = region == null ? null : region.kind();
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
