package io.bpf4j.loader;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Options of {@link BpfObject#open}, as libbpf's {@code bpf_object_open_opts}.
 *
 * @param objectName    the object name (prefix of global-data map names); derived from the file name when null
 * @param targetBtf     a kernel BTF file resolving {@code __ksym} externs (e.g. /sys/kernel/btf/vmlinux), or null
 * @param kconfig       Kconfig lines ({@code CONFIG_X=y}) taking precedence over the host's, or null
 * @param readHostKconfig whether to read the host's Kconfig ({@code /proc/config.gz}, {@code /boot/config-*})
 *                      for {@code CONFIG_*} externs the given lines leave unset
 * @param pinRoot       the directory pinned maps live under (libbpf: /sys/fs/bpf)
 * @param kernelVersion {@code LINUX_KERNEL_VERSION}/{@code kern_version} override; 0: the running kernel's
 * @param maxGlobalData the most bytes the object's global-data sections ({@code .data*}, {@code .rodata*},
 *                      {@code .bss*}) may declare together; {@link #DEFAULT_MAX_GLOBAL_DATA} by default
 *                      (docs/resource-limits.md)
 */
public record OpenOptions(String objectName, Path targetBtf, String kconfig, boolean readHostKconfig, Path pinRoot,
                          int kernelVersion, long maxGlobalData) {
    /** The default {@link #maxGlobalData()}: 256 MiB, far above any real object's and far below a small build heap. */
    public static final long DEFAULT_MAX_GLOBAL_DATA = 256L << 20;

    /** Checks the limits. */
    public OpenOptions {
        if (maxGlobalData < 0) {
            throw new IllegalArgumentException("maxGlobalData must not be negative: " + maxGlobalData);
        }
    }

    /** Defaults: name from the file, no target BTF, host Kconfig, /sys/fs/bpf, running kernel. */
    public static OpenOptions defaults() {
        return builder().build();
    }

    /** The target BTF file for CO-RE, if one was given. */
    public Optional<Path> target() {
        return Optional.ofNullable(targetBtf);
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link OpenOptions}. */
    public static final class Builder {
        private String objectName;
        private Path targetBtf;
        private final Map<String, String> kconfig = new LinkedHashMap<>();
        private String kconfigText;
        private boolean readHostKconfig = true;
        private Path pinRoot = Path.of("/sys/fs/bpf");
        private int kernelVersion;
        private long maxGlobalData = DEFAULT_MAX_GLOBAL_DATA;

        /** The object name (libbpf's {@code object_name} open option). */
        public Builder objectName(String name) {
            this.objectName = name;
            return this;
        }

        /** CO-RE against this BTF (raw or an ELF with {@code .BTF}) instead of the running kernel's. */
        public Builder targetBtf(Path path) {
            this.targetBtf = path;
            return this;
        }

        /** Kconfig text in {@code .config} syntax. */
        public Builder kconfig(String text) {
            this.kconfigText = text;
            return this;
        }

        /** One Kconfig value, e.g. {@code kconfig("CONFIG_HZ", "250")}. */
        public Builder kconfig(String name, String value) {
            this.kconfig.put(name, value);
            return this;
        }

        /** Whether {@code .kconfig} externs are read from the running kernel's config. */
        public Builder readHostKconfig(boolean read) {
            this.readHostKconfig = read;
            return this;
        }

        /** Where maps pinned by name live (libbpf's {@code pin_root_path}). */
        public Builder pinRoot(Path path) {
            this.pinRoot = path;
            return this;
        }

        /** The kernel version {@code LINUX_KERNEL_VERSION} resolves to, instead of the running kernel's. */
        public Builder kernelVersion(int version) {
            this.kernelVersion = version;
            return this;
        }

        /** The most bytes of global data ({@code .data*}, {@code .rodata*}, {@code .bss*}) the object may declare. */
        public Builder maxGlobalData(long bytes) {
            this.maxGlobalData = bytes;
            return this;
        }

        /** The options. */
        public OpenOptions build() {
            StringBuilder sb = new StringBuilder();
            kconfig.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
            if (kconfigText != null) {
                sb.append(kconfigText).append('\n');
            }
            return new OpenOptions(objectName, targetBtf, sb.length() == 0 ? null : sb.toString(), readHostKconfig, pinRoot,
                    kernelVersion, maxGlobalData);
        }
    }
}
