package io.bpf4j.cli;

import io.bpf4j.elf.ElfObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading the object file a command names, with errors that name the file. */
final class ObjectFile {
    private ObjectFile() {}

    static byte[] bytes(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            throw new IOException(path + ": is a directory, not a BPF object");
        }
        return Files.readAllBytes(path);
    }

    static ElfObject read(Path path) throws IOException {
        try {
            return ElfObject.read(bytes(path));
        } catch (io.bpf4j.isa.BpfException e) {
            throw new CliException(path + ": " + e.getMessage(), e);
        }
    }
}
