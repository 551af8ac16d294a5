package io.bpf4j.loader;

import java.util.List;

/**
 * What {@code inspect} shows of a program, as a plain record (JSON-able).
 *
 * @param name               program name
 * @param section            section name (without a leading {@code ?})
 * @param type               program type, bpftool's name ({@code xdp}, {@code kprobe}; {@code unspec} when unknown)
 * @param expectedAttachType expected attach type, bpftool's name, or null when none
 * @param attachTarget       the attach target written in the section name, or null
 * @param sleepable          whether the section asks for a sleepable program
 * @param autoload           whether {@code load} loads it
 * @param license            the object's license
 * @param kernelVersion      {@code kern_version}
 * @param insnCount          relocated length in 8-byte slots (what the kernel counts)
 * @param ownInsnCount       the program's own length in slots, before subprograms are appended
 * @param subprograms        subprograms appended, in order
 * @param maps               names of the maps its instructions refer to, in first-use order
 */
public record ProgramInfo(String name, String section, String type, String expectedAttachType, String attachTarget,
                          boolean sleepable, boolean autoload, String license, int kernelVersion, int insnCount,
                          int ownInsnCount, List<String> subprograms, List<String> maps) {}
