/** The reference engine: programs pre-decoded into flat arrays and run by one switch-dispatch loop. */
package io.bpf4j.jit.interpreter;
