package io.bpf4j.cli;

import io.bpf4j.isa.BpfException;
import io.bpf4j.loader.StandaloneProgram;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code bpf4j conformance-plugin}: a VM plugin for the eBPF conformance suite's runner
 * (bpf_conformance_runner --plugin_path). The runner passes the input memory as hex bytes in
 * the first argument (absent when the test has none) and the program as one line of hex bytes
 * on stdin; the plugin prints r0 in hex and exits 0, or prints the error and exits 1.
 */
@Command(name = "conformance-plugin", mixinStandardHelpOptions = true,
        description = "Run one eBPF conformance-suite program as bpf_conformance_runner's plugin protocol asks.")
final class ConformancePluginCommand implements Callable<Integer> {
    @ParentCommand
    Bpf4j root;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "MEMORY", description = "Input memory as hex bytes separated by spaces.")
    String memory;

    @Option(names = "--program", paramLabel = "HEX", description = "The program as hex bytes instead of stdin.")
    String program;

    @Option(names = "--elf", description = "The program bytes are an ELF object with one function in .text.")
    boolean elf;

    /** Options meant for other VMs (--interpret, --jit, ...) are accepted and ignored, as uBPF's plugin does. */
    @Unmatched
    List<String> ignored = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        byte[] code = hex(program != null ? program : readStdinLine());
        byte[] mem = memory == null ? new byte[0] : hex(memory);
        StandaloneProgram program = elf ? textOf(code) : StandaloneProgram.decode(code);
        Output out = root.output(spec.commandLine().getOut());
        long r0;
        try {
            r0 = program.runOnMemory(mem);
        } catch (BpfException e) {
            // The runner compares an expected error with what the plugin prints on stdout.
            if (out.json()) {
                out.printJson(java.util.Map.of("error", String.valueOf(e.getMessage())));
            } else {
                out.println(e.getMessage());
            }
            return 1;
        }
        if (out.json()) {
            out.printJson(java.util.Map.of("r0", Long.toHexString(r0)));
        } else {
            out.println(Long.toHexString(r0));
        }
        return 0;
    }

    private String readStdinLine() throws java.io.IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(root.stdin(), StandardCharsets.US_ASCII));
        String line = in.readLine();
        if (line == null) {
            throw new CliException("conformance-plugin: no program on stdin");
        }
        return line;
    }

    private static StandaloneProgram textOf(byte[] object) {
        try {
            return StandaloneProgram.fromElfText(object);
        } catch (BpfException e) {
            throw new CliException("conformance-plugin: " + e.getMessage(), e);
        }
    }

    static byte[] hex(String text) {
        String[] tokens = text.trim().split("\\s+");
        if (tokens.length == 1 && tokens[0].isEmpty()) {
            return new byte[0];
        }
        byte[] out = new byte[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            try {
                // The runner's parser reads each token as hex and keeps the low 8 bits.
                out[i] = (byte) Integer.parseUnsignedInt(tokens[i].startsWith("0x") ? tokens[i].substring(2) : tokens[i], 16);
            } catch (NumberFormatException e) {
                throw new CliException("conformance-plugin: byte " + i + ": '" + tokens[i] + "' is not hex");
            }
        }
        return out;
    }
}
