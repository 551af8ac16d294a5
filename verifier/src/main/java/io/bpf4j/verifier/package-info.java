/**
 * The BPF verifier: judges a program as the Linux 6.18 verifier judges it (same verdict, same
 * error line, same log and statistics), in process, from {@code isa} types only.
 */
package io.bpf4j.verifier;
