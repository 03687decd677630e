package dev.creditspolicy.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.creditspolicy.policy.PolicyEngine;

/**
 * The round trip the history tests share: every scenario of a folder is run, the stored history of each account it
 * created is written by {@link Recorder} (as the {@code record} command writes it) into {@code dir}, and each
 * recording is replayed under the same rules.
 */
record RecordedSuite(List<Path> recordings, List<Scenario> histories, String text, List<String> failures) {

    static RecordedSuite of(PolicyEngine rules, Path folder, Path dir) throws IOException {
        ScenarioRunner runner = new ScenarioRunner(rules);
        List<Path> recordings = new ArrayList<>();
        List<Scenario> histories = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        for (Path file : ScenarioReader.files(List.of(folder))) {
            Scenario scenario = ScenarioReader.read(file);
            Set<String> accounts = new TreeSet<>();
            List<String> recorded = new ArrayList<>();
            Scenario.Step lastStep = scenario.steps().get(scenario.steps().size() - 1);
            runner.outcomes(scenario, (o, services) -> {
                if (o.step().kind().equals("account") && o.problem() == null) {
                    accounts.add(o.step().body().get("id").asString());
                }
                if (o.step() == lastStep) {
                    // the in-memory ledger is dropped once the scenario ends: record before
                    accounts.forEach(account -> recorded.add(account + "\n" + Recorder.record(services, account)));
                }
            });
            for (String entry : recorded) {
                String account = entry.substring(0, entry.indexOf('\n'));
                String yaml = entry.substring(entry.indexOf('\n') + 1);
                all.append(yaml);
                Path out = dir.resolve(file.getFileName() + "-" + account + ".yaml");
                Files.writeString(out, yaml);
                recordings.add(out);
                failures.addAll(runner.run(out).failures());
                histories.add(ScenarioReader.read(out));
            }
        }
        return new RecordedSuite(recordings, histories, all.toString(), failures);
    }

    /** How many steps of a kind the recordings hold. */
    int steps(String kind) {
        return text.split("\n  - " + kind + ":", -1).length - 1;
    }
}
