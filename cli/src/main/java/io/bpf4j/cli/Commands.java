package io.bpf4j.cli;

import picocli.CommandLine;

/** The subcommands of {@code bpf4j}, in the order {@code --help} lists them. */
final class Commands {
    private Commands() {}

    static void register(CommandLine root) {
        root.addSubcommand(new DumpCommand());
        root.addSubcommand(new InspectCommand());
        root.addSubcommand(new BtfCommand());
        root.addSubcommand(new VerifyCommand());
        root.addSubcommand(new RunCommand());
        root.addSubcommand(new TestCommand());
        root.addSubcommand(new ConformancePluginCommand());
    }
}
