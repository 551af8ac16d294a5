package io.bpf4j.maps;

/**
 * The {@code bpf_spin_lock} word inside a map value: a 4-byte little-endian int that is 0 when
 * free. Programs (through the interpreter's {@code bpf_spin_lock}/{@code bpf_spin_unlock}) and
 * {@code BPF_F_LOCK} map operations take the same word through this class, so they exclude each
 * other as in the kernel. The verifier keeps programs from touching the word directly.
 */
public final class SpinLocks {
    private SpinLocks() {
    }

    /** Spins until the lock word at {@code at} moves from 0 to 1. */
    public static void lock(byte[] array, int at) {
        while (ValueAtomics.compareAndExchange32(array, at, 0, 1) != 0) {
            Thread.onSpinWait();
        }
    }

    /** Releases the lock word at {@code at}. */
    public static void unlock(byte[] array, int at) {
        ValueAtomics.compareAndExchange32(array, at, 1, 0);
    }
}
