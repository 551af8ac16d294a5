package io.bpf4j.loader;

import io.bpf4j.elf.spec.MapSpec;

import java.util.Arrays;

/**
 * A global variable of a BPF object ({@code .bss}, {@code .data}, {@code .rodata}, custom
 * {@code .data.*} sections), found by name through BTF as a libbpf skeleton finds it. Before
 * load, reads and writes go to the map's initial value; after load, to the live map, as a
 * skeleton's memory-mapped {@code skel->bss->var} does ({@code .rodata} is then frozen: readable,
 * not writable).
 *
 * <p>Integers are little-endian, as on x86-64 and arm64.
 *
 * <pre>{@code
 * obj.variable("verbose").orElseThrow().setInt(1);     // before load: the initial value
 * obj.load();
 * prog.testRun(TestRunInput.empty());
 * long hits = obj.variable("hits").orElseThrow().getLong();
 * }</pre>
 */
public final class GlobalVariable {
    private final BpfMap map;
    private final String name;
    private final int offset;
    private final int size;

    GlobalVariable(BpfMap map, String name, int offset, int size) {
        this.map = map;
        this.name = name;
        this.offset = offset;
        this.size = size;
    }

    /** The variable's name. */
    public String name() {
        return name;
    }

    /** The map that holds it. */
    public BpfMap map() {
        return map;
    }

    /** The byte offset within the map's value. */
    public int offset() {
        return offset;
    }

    /** The size in bytes. */
    public int size() {
        return size;
    }

    /** The variable's current bytes (a copy). */
    public byte[] get() {
        return Arrays.copyOfRange(image(), offset, offset + size);
    }

    /** The variable as a signed 8-bit integer; its size must be 1. */
    public byte getByte() {
        return (byte) integer(1);
    }

    /** The variable as a signed 16-bit integer; its size must be 2. */
    public short getShort() {
        return (short) integer(2);
    }

    /** The variable as a signed 32-bit integer; its size must be 4. */
    public int getInt() {
        return (int) integer(4);
    }

    /** The variable as a 64-bit integer; its size must be 8. */
    public long getLong() {
        return integer(8);
    }

    /** The variable as a boolean ({@code bool}, one byte): whether it is non-zero. */
    public boolean getBoolean() {
        return integer(1) != 0;
    }

    /**
     * Writes the variable: before load into the map's initial value, after load into the live map.
     *
     * @throws VariableException     when {@code value} has another size than the variable, or the
     *                               map is frozen ({@code .rodata} after load)
     * @throws ObjectStateException  when the object is closed
     */
    public void set(byte[] value) {
        if (value.length != size) {
            throw new VariableException(name, "map '" + map.name() + "': variable '" + name + "' has " + size
                    + " bytes, not " + value.length);
        }
        BpfObject owner = map.owner();
        if (owner.state() == ObjectState.OPENED) {
            MapSpec s = map.spec();
            byte[] data = s.initialData();
            System.arraycopy(value, 0, data, offset, size);
            owner.updateMap(map.index(), s.withInitialData(data));
            return;
        }
        io.bpf4j.maps.BpfMap live = map.live();
        if (live.isFrozen()) {
            throw new VariableException(name, "map '" + map.name() + "': variable '" + name
                    + "' is read-only after load (the map is frozen, as libbpf freezes .rodata)");
        }
        byte[] key = new byte[4];
        byte[] data = live.lookup(key);
        System.arraycopy(value, 0, data, offset, size);
        live.update(key, data, BpfMap.BPF_ANY);
    }

    /** Writes a 1-byte variable. */
    public void setByte(byte v) {
        set(new byte[] {v});
    }

    /** Writes a 2-byte variable. */
    public void setShort(short v) {
        set(le(v, 2));
    }

    /** Writes a 4-byte variable. */
    public void setInt(int v) {
        set(le(v, 4));
    }

    /** Writes an 8-byte variable. */
    public void setLong(long v) {
        set(le(v, 8));
    }

    /** Writes a one-byte {@code bool}. */
    public void setBoolean(boolean v) {
        set(new byte[] {(byte) (v ? 1 : 0)});
    }

    private byte[] image() {
        BpfObject owner = map.owner();
        if (owner.state() == ObjectState.OPENED) {
            byte[] data = map.spec().initialData();
            return data == null ? new byte[map.valueSize()] : data;
        }
        return map.live().lookup(new byte[4]);
    }

    private long integer(int expected) {
        if (size != expected) {
            throw new VariableException(name, "map '" + map.name() + "': variable '" + name + "' has " + size
                    + " bytes, not " + expected);
        }
        byte[] b = get();
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xff);
        }
        // sign-extend to the asked width
        int shift = 64 - 8 * size;
        return v << shift >> shift;
    }

    private static byte[] le(long v, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    /** {@code GlobalVariable[map.name +offset size]}. */
    @Override
    public String toString() {
        return "GlobalVariable[" + map.name() + "." + name + " +" + offset + " " + size + "]";
    }
}
