package io.bpf4j.elf.btf;

import io.bpf4j.isa.BpfException;

/** The root of BTF errors: a lookup that finds nothing, or (as {@link MalformedBtfException}) bad data. */
public class BtfException extends BpfException {
    private static final long serialVersionUID = 1L;

    public BtfException(String message) {
        super(message);
    }
}
