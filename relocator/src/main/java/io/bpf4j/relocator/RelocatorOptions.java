package io.bpf4j.relocator;

import io.bpf4j.elf.btf.Btf;

import io.bpf4j.elf.spec.ObjectLimits;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Host facts and choices the relocator needs; it reads nothing from the host itself (the
 * loader gathers these).
 *
 * @param objectName        the object name (prefix of data map names); libbpf derives it from
 *                          the file name when not given
 * @param kconfig           Kconfig text ({@code CONFIG_X=y} lines) for {@code __kconfig} externs, or null
 * @param targetBtf         kernel BTF that resolves {@code __ksym} variables and kfuncs, or null
 * @param kallsyms          addresses of typeless {@code __ksym} symbols, by name
 * @param kernelVersion     {@code LINUX_KERNEL_VERSION} and the default {@code kern_version}:
 *                          {@code (major << 16) + (minor << 8) + min(patch, 255)}
 * @param hasBpfCookie      the value of {@code LINUX_HAS_BPF_COOKIE}
 * @param hasSyscallWrapper the value of {@code LINUX_HAS_SYSCALL_WRAPPER}
 * @param pageSize          the page size ring buffers are rounded to
 * @param limits            what the object may make bpf4j allocate at open (issue 20's policy)
 */
public record RelocatorOptions(String objectName, String kconfig, Btf targetBtf, Map<String, Long> kallsyms,
                               int kernelVersion, boolean hasBpfCookie, boolean hasSyscallWrapper, int pageSize,
                               ObjectLimits limits) {

    public RelocatorOptions {
        kallsyms = Map.copyOf(kallsyms);
        Objects.requireNonNull(limits, "limits");
    }

    /** Options with no host facts: no kconfig, no target BTF, kernel version 0, 4 KiB pages. */
    public static RelocatorOptions defaults() {
        return builder().build();
    }

    /** A copy with these typeless ksym addresses. */
    public RelocatorOptions withKallsyms(Map<String, Long> addresses) {
        return new RelocatorOptions(objectName, kconfig, targetBtf, addresses, kernelVersion, hasBpfCookie,
                hasSyscallWrapper, pageSize, limits);
    }

    /** A copy with this target BTF. */
    public RelocatorOptions withTargetBtf(Btf btf) {
        return new RelocatorOptions(objectName, kconfig, btf, kallsyms, kernelVersion, hasBpfCookie,
                hasSyscallWrapper, pageSize, limits);
    }

    public Optional<Btf> target() {
        return Optional.ofNullable(targetBtf);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link RelocatorOptions}. */
    public static final class Builder {
        private String objectName;
        private String kconfig;
        private Btf targetBtf;
        private Map<String, Long> kallsyms = Map.of();
        private int kernelVersion;
        private boolean hasBpfCookie = true;
        private boolean hasSyscallWrapper = true;
        private int pageSize = 4096;
        private ObjectLimits limits = ObjectLimits.defaults();

        public Builder objectName(String name) {
            this.objectName = name;
            return this;
        }

        public Builder kconfig(String text) {
            this.kconfig = text;
            return this;
        }

        public Builder targetBtf(Btf btf) {
            this.targetBtf = btf;
            return this;
        }

        public Builder kallsyms(Map<String, Long> addresses) {
            this.kallsyms = addresses;
            return this;
        }

        public Builder kernelVersion(int version) {
            this.kernelVersion = version;
            return this;
        }

        public Builder hasBpfCookie(boolean value) {
            this.hasBpfCookie = value;
            return this;
        }

        public Builder hasSyscallWrapper(boolean value) {
            this.hasSyscallWrapper = value;
            return this;
        }

        public Builder pageSize(int size) {
            this.pageSize = size;
            return this;
        }

        public Builder limits(ObjectLimits value) {
            this.limits = value;
            return this;
        }

        public RelocatorOptions build() {
            return new RelocatorOptions(objectName, kconfig, targetBtf, kallsyms, kernelVersion, hasBpfCookie,
                    hasSyscallWrapper, pageSize, limits);
        }
    }
}
