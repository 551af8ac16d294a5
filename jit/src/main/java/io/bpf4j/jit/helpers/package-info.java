/**
 * The helpers the runtime implements itself, one class per group; {@link io.bpf4j.jit.helpers.StandardHelpers}
 * collects them into a {@link io.bpf4j.jit.runtime.HelperTable}.
 */
package io.bpf4j.jit.helpers;
