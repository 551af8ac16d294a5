package io.bpf4j.jit.runtime;

/** What a memory region holds; the kernel's pointer types name the same things (PTR_TO_STACK, ...). */
public enum RegionKind {
    /** One 512-byte call frame of the BPF stack; r10 points at its end. */
    STACK("stack"),
    /** The program's context (PTR_TO_CTX). */
    CONTEXT("ctx"),
    /** Packet bytes from data_meta to data_end (PTR_TO_PACKET_META / PTR_TO_PACKET). */
    PACKET("packet"),
    /** A map value handed out by a lookup (PTR_TO_MAP_VALUE). */
    MAP_VALUE("map_value"),
    /** Global data: .data, .rodata, .bss, .kconfig as direct map values. */
    GLOBAL_DATA("global_data"),
    /** An instruction array's entries (gotox targets), read only. */
    INSN_ARRAY("insn_array"),
    /** A reserved ring buffer record. */
    RINGBUF_RECORD("ringbuf_record"),
    /** Plain memory handed to the program (the conformance suite's r1/r2 input). */
    INPUT("mem");

    private final String label;

    RegionKind(String label) {
        this.label = label;
    }

    /** The short name used in messages. */
    public String label() {
        return label;
    }
}
