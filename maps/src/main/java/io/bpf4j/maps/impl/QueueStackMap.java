package io.bpf4j.maps.impl;

import io.bpf4j.isa.abi.MapType;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.maps.MapDefinition;
import io.bpf4j.maps.MapFlags;
import io.bpf4j.maps.ValueRef;
import java.util.ArrayDeque;

/**
 * {@code BPF_MAP_TYPE_QUEUE} (FIFO) and {@code BPF_MAP_TYPE_STACK} (LIFO) of at most
 * {@code max_entries} values. A push onto a full map fails with {@code E2BIG} unless it has
 * {@code BPF_EXIST}, which drops the oldest value, for a stack too. User-space lookup is
 * peek, update is push, lookup-and-delete is pop; keys do not exist, so delete and
 * get_next_key are {@code EINVAL}.
 */
final class QueueStackMap extends AbstractBpfMap {
    private final ArrayDeque<byte[]> values = new ArrayDeque<>();
    private final boolean stack;

    QueueStackMap(MapDefinition def) {
        super(def);
        this.stack = def.type() == MapType.STACK;
    }

    @Override
    public synchronized void push(byte[] value, long flags) {
        checkValue(value, def.valueSize(), "push");
        if ((flags & MapFlags.BPF_NOEXIST) != 0 || Long.compareUnsigned(flags, MapFlags.BPF_EXIST) > 0) {
            throw error(Errno.EINVAL, "push", "flags must be BPF_ANY or BPF_EXIST");
        }
        if (values.size() >= def.maxEntries()) {
            if (flags != MapFlags.BPF_EXIST) {
                throw error(Errno.E2BIG, "push", "map is full (" + def.maxEntries() + " values)");
            }
            values.pollFirst();
            uncharge(def.valueSize());
        }
        charge(def.valueSize(), "push");
        values.addLast(value.clone());
    }

    @Override
    public synchronized byte[] pop() {
        byte[] v = stack ? values.pollLast() : values.pollFirst();
        if (v == null) {
            throw error(Errno.ENOENT, "pop", "map is empty");
        }
        uncharge(def.valueSize());
        return v;
    }

    @Override
    public synchronized byte[] peek() {
        byte[] v = stack ? values.peekLast() : values.peekFirst();
        if (v == null) {
            throw error(Errno.ENOENT, "peek", "map is empty");
        }
        return v.clone();
    }

    private void checkNoKey(byte[] key, String op) {
        if (key != null && key.length != 0) {
            throw error(Errno.EINVAL, op, "queues and stacks have no keys");
        }
    }

    @Override
    public byte[] lookup(byte[] key, long flags) {
        checkUserRead("lookup");
        checkNoKey(key, "lookup");
        if (flags != 0) {
            throw error(Errno.EINVAL, "lookup", "unknown flags " + flags);
        }
        return peek();
    }

    @Override
    public ValueRef lookupRef(byte[] key, int cpu) {
        return null;
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkUserWrite("update");
        checkNoKey(key, "update");
        push(value, flags);
    }

    @Override
    public void update(byte[] key, byte[] value, long flags, int cpu) {
        checkNoKey(key, "update");
        push(value, flags);
    }

    @Override
    void deleteElement(byte[] key) {
        throw error(Errno.EINVAL, "delete", "queues and stacks have no keys");
    }

    @Override
    public byte[] getNextKey(byte[] key) {
        throw error(Errno.EINVAL, "get next key", "queues and stacks have no keys");
    }

    @Override
    public byte[] lookupAndDelete(byte[] key) {
        checkUserWrite("lookup and delete");
        checkNoKey(key, "lookup and delete");
        return pop();
    }
}
