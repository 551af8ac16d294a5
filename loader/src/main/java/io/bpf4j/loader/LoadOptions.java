package io.bpf4j.loader;

import io.bpf4j.isa.abi.KernelProfile;
import io.bpf4j.verifier.VerifierLimits;
import java.util.Objects;

/**
 * Options of {@link BpfObject#load(LoadOptions)}, beside {@link OpenOptions}: whether each
 * autoloaded program is verified before it is prepared (on by default, as the kernel always
 * verifies), the verifier log level ({@code log_level} of {@code BPF_PROG_LOAD}: 0, 1, 2, or'ed
 * with 4 for statistics) and the kernel whose rules judge it.
 *
 * <p>At log level 0 a rejected program is verified once more at level 1 for the log the
 * exception carries, as libbpf reloads a failed program with a log.
 *
 * @param verify   verify every autoloaded program before preparing it
 * @param logLevel the verifier log level
 * @param profile  the kernel build whose helpers, contexts and instruction forms apply
 * @param engine   what runs the prepared programs ({@link Engine#COMPILER} unless chosen; a program it
 *                 cannot compile runs on the interpreter, logged with the reason)
 * @param logSize  the log buffer's size in bytes ({@code log_size}; 16 MiB, libbpf's and veristat's, unless
 *                 chosen): a longer log keeps its end, as the kernel's rotating log does
 */
public record LoadOptions(boolean verify, int logLevel, KernelProfile profile, Engine engine, int logSize) {
    /** libbpf's {@code BPF_LOG_BUF_SIZE}, the log buffer veristat and libbpf start with. */
    public static final int DEFAULT_LOG_SIZE = VerifierLimits.DEFAULT_LOG_SIZE;
    /** The largest {@code log_size} the kernel takes ({@code UINT_MAX >> 2}). */
    public static final int MAX_LOG_SIZE = VerifierLimits.MAX_LOG_SIZE;
    /** Checks the options. */
    public LoadOptions {
        Objects.requireNonNull(profile, "profile");
        if (engine == null) {
            engine = Engine.COMPILER;
        }
        if ((logLevel & ~7) != 0) {
            throw new IllegalArgumentException("log level " + logLevel + ": only 0, 1, 2 and the statistics bit 4");
        }
        if (logSize < 1 || logSize > MAX_LOG_SIZE) {
            throw new IllegalArgumentException("log size " + logSize + ": the kernel takes 1 to " + MAX_LOG_SIZE + " bytes");
        }
    }

    /** Options with the default log size. */
    public LoadOptions(boolean verify, int logLevel, KernelProfile profile, Engine engine) {
        this(verify, logLevel, profile, engine, DEFAULT_LOG_SIZE);
    }

    /** Options with the default engine (what this record held before it had an engine). */
    public LoadOptions(boolean verify, int logLevel, KernelProfile profile) {
        this(verify, logLevel, profile, Engine.COMPILER);
    }

    /** Verification on, log level 0, Linux 6.18's rules, the compiler. */
    public static LoadOptions defaults() {
        return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        return new Builder().verify(verify).logLevel(logLevel).kernelProfile(profile).engine(engine).logSize(logSize);
    }

    /** Builds {@link LoadOptions}. */
    public static final class Builder {
        private boolean verify = true;
        private int logLevel;
        private KernelProfile profile;
        private Engine engine = Engine.COMPILER;
        private int logSize = DEFAULT_LOG_SIZE;

        /** Off: programs are prepared unverified (what bpf4j did before it had a verifier). */
        public Builder verify(boolean on) {
            this.verify = on;
            return this;
        }

        /** The verifier log level: 0, 1 or 2 (plus 4 for statistics), as {@code log_level} of BPF_PROG_LOAD. */
        public Builder logLevel(int level) {
            this.logLevel = level;
            return this;
        }

        /** The kernel whose verifier and helpers the programs are judged against. */
        public Builder kernelProfile(KernelProfile p) {
            this.profile = p;
            return this;
        }

        /** The engine; {@link Engine#COMPILER} (the default) falls back to the interpreter per program, with a logged reason. */
        public Builder engine(Engine e) {
            this.engine = Objects.requireNonNull(e, "engine");
            return this;
        }

        /** The log buffer's size in bytes, as {@code log_size} of BPF_PROG_LOAD (veristat's {@code --log-size}). */
        public Builder logSize(int bytes) {
            this.logSize = bytes;
            return this;
        }

        /** The options. */
        public LoadOptions build() {
            return new LoadOptions(verify, logLevel, profile != null ? profile : KernelProfile.linux618(), engine, logSize);
        }
    }
}
