package io.bpf4j.isa.abi;

import java.util.Objects;

/**
 * One field of a program type's context struct as programs see it ({@code struct __sk_buff},
 * {@code struct xdp_md}...), with the access rules that hold for one program type and attach type.
 *
 * <p>A field may be an array ({@code cb[5]}, {@code remote_ip6[4]}): {@link #size()} is then the
 * whole array, and an access is valid when it lies inside the field, has one of the allowed sizes
 * and is aligned to its own size (the kernel rejects misaligned context accesses first of all).
 *
 * @param offset      byte offset in the context
 * @param size        bytes the field (or whole array) covers
 * @param name        the field name in the uapi struct
 * @param access      the load and store sizes allowed
 * @param pointerKind what a full-size load yields: a pointer kind ({@link RegKind#PTR_TO_PACKET},
 *                    {@link RegKind#PTR_TO_SOCK_COMMON_OR_NULL}...) or {@link RegKind#SCALAR}
 * @param btfType     for {@link RegKind#PTR_TO_BTF_ID} fields the kernel struct pointed to; "" otherwise
 */
public record ContextField(int offset, int size, String name, Access access, RegKind pointerKind, String btfType) {

    public ContextField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(pointerKind, "pointerKind");
        btfType = btfType == null ? "" : btfType;
    }

    public ContextField(int offset, int size, String name, Access access, RegKind pointerKind) {
        this(offset, size, name, access, pointerKind, "");
    }

    public int end() {
        return offset + size;
    }

    /** Whether this field answers for an access starting at {@code off}. */
    public boolean covers(int off) {
        return access.startOnly() ? off == offset : off >= offset && off < end();
    }

    public boolean contains(int off, int len) {
        return off >= offset && off + len <= end();
    }

    public boolean isPointer() {
        return pointerKind.isPointer();
    }

    /**
     * The load and store sizes a field accepts, as bit masks over sizes 1, 2, 4 and 8
     * (bit n set = an access of 2^n bytes is allowed). With {@code startOnly} the field answers
     * only for accesses that begin at its first byte (the kernel matches some fields by exact
     * offset, so a narrow load of their second byte is refused, or judged by other rules).
     */
    public record Access(int readSizes, int writeSizes, boolean startOnly) {
        public static final int B1 = 1, B2 = 2, B4 = 4, B8 = 8;
        public static final Access NONE = new Access(0, 0);

        public Access {
            if ((readSizes | writeSizes) >>> 4 != 0) {
                throw new IllegalArgumentException("size masks use bits 0..3");
            }
        }

        public Access(int readSizes, int writeSizes) {
            this(readSizes, writeSizes, false);
        }

        /** This access, answering only for accesses that start at the field's first byte. */
        public Access atStartOnly() {
            return new Access(readSizes, writeSizes, true);
        }

        /** Mask with the given access sizes in bytes. */
        public static int sizes(int... bytes) {
            int m = 0;
            for (int b : bytes) {
                m |= 1 << Integer.numberOfTrailingZeros(b);
            }
            return m;
        }

        /** Every power-of-two size up to {@code max} bytes (narrow loads of a field of that size). */
        public static int upTo(int max) {
            return sizes(max) * 2 - 1;
        }

        /** Readable with narrow loads up to the field size, not writable. */
        public static Access readNarrow(int fieldSize) {
            return new Access(upTo(fieldSize), 0);
        }

        /** Readable only at exactly {@code size} bytes, not writable. */
        public static Access readExact(int size) {
            return new Access(sizes(size), 0);
        }

        public Access withWrite(int mask) {
            return new Access(readSizes, mask, startOnly);
        }

        public boolean readable() {
            return readSizes != 0;
        }

        public boolean writable() {
            return writeSizes != 0;
        }

        public boolean allows(int size, boolean write) {
            if (size != 1 && size != 2 && size != 4 && size != 8) {
                return false;
            }
            return ((write ? writeSizes : readSizes) & (1 << Integer.numberOfTrailingZeros(size))) != 0;
        }
    }
}
