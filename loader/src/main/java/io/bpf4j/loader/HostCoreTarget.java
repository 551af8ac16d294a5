package io.bpf4j.loader;

import io.bpf4j.elf.btf.Btf;
import io.bpf4j.isa.BpfException;
import io.bpf4j.relocator.CoreRelocatedObject;
import io.bpf4j.relocator.ResolvedObject;
import io.bpf4j.relocator.Relocator;
import io.bpf4j.relocator.core.CoreTarget;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CO-RE step of {@link BpfObject#load()}: against the open options' target BTF when one
 * was given (libbpf's {@code btf_custom_path}), else against the running kernel's BTF from
 * {@code /sys/kernel/btf}: vmlinux, plus every module's split BTF for types vmlinux lacks.
 * Parsing and indexing vmlinux takes a noticeable fraction of a second, so the host target is
 * kept for the life of the JVM and rebuilt only when vmlinux's modification time changes.
 */
final class HostCoreTarget {
    private static final Path SYS_BTF = Path.of("/sys/kernel/btf");
    private static CoreTarget cached;
    private static FileTime cachedTime;

    private HostCoreTarget() {}

    /**
     * CO-RE against the options' target BTF, else the running kernel's; the kernel's BTF is read
     * only when the object has CO-RE records.
     */
    static CoreRelocatedObject relocate(ResolvedObject obj) {
        CoreTarget target = !Relocator.hasCore(obj.object()) ? null
                : obj.object().options().target().map(CoreTarget::of).orElseGet(HostCoreTarget::host);
        return Relocator.relocateCore(obj, target);
    }

    /**
     * The target for struct_ops (libbpf's {@code bpf_map__init_kern_struct_ops}): the options'
     * target BTF, else the running kernel's; null when the object has no struct_ops map.
     */
    static CoreTarget structOpsTarget(io.bpf4j.relocator.ObjectSpec obj) {
        if (obj.structOps().isEmpty()) {
            return null;
        }
        return obj.options().target().map(CoreTarget::of).orElseGet(HostCoreTarget::host);
    }

    /** Every module's split BTF under /sys/kernel/btf, by name (libbpf asks the kernel for them by BTF id). */
    private static Map<String, Btf> modules(Btf base) {
        Map<String, Btf> modules = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(SYS_BTF)) {
            for (Path p : dir) {
                if (!p.getFileName().toString().equals("vmlinux")) files.add(p);
            }
            files.sort(null);
            for (Path p : files) {
                modules.put(p.getFileName().toString(), Btf.parseSplit(Files.readAllBytes(p), base));
            }
        } catch (IOException e) {
            throw new BpfException("failed to load module BTF from " + SYS_BTF + ": " + e.getMessage(), e);
        }
        return modules;
    }

    /**
     * The running kernel's vmlinux BTF for kfunc and typed-ksym externs (read at the first
     * object that declares one), or null when the kernel exposes none: the relocator then
     * reports each strong extern it cannot resolve and leaves weak ones unresolved.
     */
    /** Whether the running kernel publishes its BTF ({@link #kernelBtf()} is not null), without reading it. */
    static boolean hasKernelBtf() {
        return Files.isReadable(SYS_BTF.resolve("vmlinux"));
    }

    static Btf kernelBtf() {
        if (!Files.isReadable(SYS_BTF.resolve("vmlinux"))) {
            return null;
        }
        return host().vmlinux();
    }

    static synchronized CoreTarget host() {
        Path vmlinux = SYS_BTF.resolve("vmlinux");
        try {
            FileTime time = Files.getLastModifiedTime(vmlinux);
            if (cached != null && time.equals(cachedTime)) {
                return cached;
            }
            byte[] bytes = Files.readAllBytes(vmlinux);
            Btf base = Btf.wrap(bytes, Btf.orderOf(bytes)); // our own array: no second copy of several MB
            cached = CoreTarget.kernel(base, () -> modules(base));
            cachedTime = time;
            return cached;
        } catch (IOException e) {
            // libbpf fails the load the same way when the kernel exposes no BTF
            throw new BpfException("Error loading vmlinux BTF: -ESRCH (" + vmlinux + ": " + e.getMessage() + ")", e);
        }
    }
}
