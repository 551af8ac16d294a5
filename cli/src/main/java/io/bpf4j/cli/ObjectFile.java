package io.bpf4j.cli;

import io.bpf4j.loader.ElfView;
import io.bpf4j.loader.BpfObject;
import io.bpf4j.loader.OpenOptions;
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

    /** Opens the object as libbpf's open phase does (specs and relocated programs, nothing loaded). */
    static BpfObject open(Path path) throws IOException {
        return open(path, OpenOptions.defaults());
    }

    static BpfObject open(Path path, OpenOptions options) throws IOException {
        bytes(path); // the same checks and messages as every other command
        try {
            return BpfObject.open(path, options);
        } catch (io.bpf4j.isa.BpfException e) {
            throw new CliException(path + ": " + e.getMessage(), e);
        }
    }

    static ElfView read(Path path) throws IOException {
        try {
            return ElfView.parse(bytes(path));
        } catch (io.bpf4j.isa.BpfException e) {
            throw new CliException(path + ": " + e.getMessage(), e);
        }
    }
}
