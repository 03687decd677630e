package dev.creditspolicy.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.creditspolicy.replay.Recorder;
import dev.creditspolicy.service.Problem;

@Command(name = "record", mixinStandardHelpOptions = true,
        description = "Writes an account's stored history as a scenario file whose expectations are the "
                + "decisions it got.")
final class RecordCommand implements Callable<Integer> {
    @Option(names = "--account", required = true, description = "account id")
    String account;

    @Mixin
    LedgerOptions ledger;

    @Option(names = {"-o", "--out"}, description = "scenario file to write (default: standard output)")
    Path out;

    @Override
    public Integer call() throws IOException {
        String yaml;
        Progress progress = Progress.of("record");
        progress.show("record: reading the history of " + account + " from " + ledger.described());
        try {
            yaml = Recorder.record(ledger.services(), account);
        } catch (Problem p) {
            progress.clear();
            System.err.println(p.getMessage());
            return 1;
        }
        progress.clear();
        if (out == null) {
            System.out.print(yaml);
        } else {
            Files.writeString(out, yaml, StandardCharsets.UTF_8);
            System.out.println("wrote " + out);
        }
        return 0;
    }
}
