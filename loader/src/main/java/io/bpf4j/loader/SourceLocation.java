package io.bpf4j.loader;

/**
 * A place in a program's C source, from its BTF line info: the file name (as clang recorded it,
 * without directories), the line number and the text of that line.
 *
 * @param file the source file name ({@code prog.bpf.c}), never null ({@code ""} when unknown)
 * @param line the 1-based line number
 * @param text the source text of the line, stripped ({@code ""} when the object carries none)
 */
public record SourceLocation(String file, int line, String text) {
    /** Keeps the file's base name only and the line's text stripped; nulls become {@code ""}. */
    public SourceLocation {
        file = file == null ? "" : file.substring(file.lastIndexOf('/') + 1);
        text = text == null ? "" : text.strip();
    }

    /** {@code file:line}, as compilers print a place. */
    @Override
    public String toString() {
        return file + ":" + line;
    }
}
