/** The jelf adapter and byte helpers; not API, and no jelf type leaves this package. */
package io.bpf4j.elf.internal;
