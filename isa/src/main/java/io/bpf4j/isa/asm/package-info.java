/** The eBPF conformance suite's assembly syntax and test file format, for tests and tools. */
package io.bpf4j.isa.asm;
