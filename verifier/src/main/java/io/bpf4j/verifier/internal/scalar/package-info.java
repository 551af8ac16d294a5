/**
 * The verifier's scalar domain: the kernel's tnum plus unsigned/signed 64- and 32-bit bounds,
 * with the transfer functions, branch refinement, pruning order and log text of the Linux 6.18
 * verifier as the oracle machine runs it (6.18.44).
 *
 * <p>The rules were read from the 6.18 sources and then checked instruction by instruction
 * against the running kernel's level-2 log (see the kernel-tagged tests). Where the stable
 * kernel differs from the 6.18 release it carries later fixes, and this package follows the
 * running kernel:
 * <ul>
 *   <li>__update_reg64_bounds turns a register into a constant when its tnum and [umin, umax]
 *       share a single member ({@link io.bpf4j.verifier.internal.scalar.Tnum#step});</li>
 *   <li>__reg32_deduce_bounds has the 32-bit twin of the 64-bit "signed range crosses the sign
 *       boundary" deduction;</li>
 *   <li>BPF_END is tracked through the tnum (bswap, and be on this little-endian machine, swap;
 *       le only truncates) instead of giving an unknown scalar;</li>
 *   <li>{@code <<= 32} keeps negative s32 bounds as well;</li>
 *   <li>AND/OR with a constant forks a destination known to be -1 or 0
 *       ({@link io.bpf4j.verifier.internal.scalar.ScalarFork});</li>
 *   <li>a 64-bit sign extension whose s32 range already fits the narrow type keeps the 32-bit
 *       bounds and sign-extends them into the 64-bit ones (observed, source not found);</li>
 *   <li>a register compared with itself is <em>not</em> special-cased (that upstream fix is
 *       absent), so contradictory refinements print {@code verifier bug: REG INVARIANTS
 *       VIOLATION} and both edges are still explored with the offending register's bounds
 *       reset;</li>
 *   <li>division and modulo are still not tracked.</li>
 * </ul>
 */
package io.bpf4j.verifier.internal.scalar;
