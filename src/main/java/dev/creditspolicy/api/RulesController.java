package dev.creditspolicy.api;

import static dev.creditspolicy.service.ProblemType.RULES_INVALID;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.creditspolicy.api.contract.Answers;
import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.service.RulesService;
import dev.creditspolicy.store.Rows.RulesReloadRow;

@RestController
@RequestMapping("/v1/rules")
@Tag(name = "rules", description = "The rules serving, their reload and its history (analysts)")
class RulesController {
    private final RulesService rules;
    private final Audited audited;

    RulesController(RulesService rules, Audited audited) {
        this.rules = rules;
        this.audited = audited;
    }

    record FileView(String name, String sha256) {
    }

    record RulesView(String version, String dir, Instant loadedAt, List<FileView> files, Boolean changed) {
        static RulesView of(RuleSet rules, String dir, Boolean changed) {
            return new RulesView(rules.version(), dir, rules.loadedAt(),
                    rules.files().stream().map(f -> new FileView(f.name(), f.sha256())).toList(), changed);
        }
    }

    record ReloadRecord(long id, Instant at, String trigger, String outcome, String serving, String candidate,
                        List<FileView> files, String error) {
        static ReloadRecord of(RulesReloadRow r) {
            List<FileView> files = r.files().isEmpty() ? List.of() : Arrays.stream(r.files().split("\n"))
                    .map(line -> line.split(" ", 2)).map(p -> new FileView(p[0], p[1])).toList();
            return new ReloadRecord(r.reloadId(), r.loadedAt(), r.triggerKind(), r.outcome(), r.serving(),
                    r.candidate(), files, r.error());
        }
    }

    @GetMapping
    @Operation(operationId = "getRules", summary = "The rules version serving, and its files")
    RulesView current() {
        PolicyEngine engine = rules.engine();
        return RulesView.of(engine.current(), engine.rulesDir().toString(), null);
    }

    /** Recompiles the folder and swaps atomically; a broken folder is refused and the serving version stays. */
    @PostMapping("/reload")
    @Operation(operationId = "reloadRules", summary = "Recompiles the rules folder and swaps atomically")
    @Answers(refuses = RULES_INVALID)
    RulesView reload() {
        PolicyEngine.Reload reload = rules.reload(RulesService.API);
        RulesView view = RulesView.of(reload.rules(), rules.engine().rulesDir().toString(), reload.changed());
        audited.record("rulesReload", reload.rules().version(), null, view);
        return view;
    }

    /** Every load, newest first: when, what triggered it, whether it swapped, the files and their hashes. */
    @GetMapping("/history")
    @Operation(operationId = "listRulesHistory", summary = "Every load, newest first")
    ResponseEntity<List<ReloadRecord>> history(@RequestParam(required = false) String limit,
                                               @RequestParam(required = false) String after) {
        return Paged.of(rules.history(PageRequest.parse(limit, after)).map(ReloadRecord::of));
    }
}
