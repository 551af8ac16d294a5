/** The jelf adapter, byte helpers and the decode-on-use record list; not API, and no jelf type leaves this package. */
package io.bpf4j.elf.internal;
