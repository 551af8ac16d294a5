// needs a kernel with BTF and bpftool (CI has both)
new File('/sys/kernel/btf/vmlinux').canRead() && ['bpftool'].every { name ->
    System.getenv('PATH').split(File.pathSeparator).any { new File(it, name).canExecute() } }
