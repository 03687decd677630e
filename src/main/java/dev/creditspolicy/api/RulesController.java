package dev.creditspolicy.api;

import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.policy.RulesInvalidException;

@RestController
@RequestMapping("/v1/rules")
class RulesController {
    private static final Logger log = LoggerFactory.getLogger(RulesController.class);
    private final PolicyEngine engine;

    RulesController(PolicyEngine engine) {
        this.engine = engine;
    }

    record FileView(String name, String sha256) {
    }

    record RulesView(String version, String dir, Instant loadedAt, List<FileView> files, Boolean changed) {
        static RulesView of(RuleSet rules, String dir, Boolean changed) {
            return new RulesView(rules.version(), dir, rules.loadedAt(),
                    rules.files().stream().map(f -> new FileView(f.name(), f.sha256())).toList(), changed);
        }
    }

    @GetMapping
    RulesView current() {
        return RulesView.of(engine.current(), engine.rulesDir().toString(), null);
    }

    /** Recompiles the folder and swaps atomically; a broken folder is refused and the serving version stays. */
    @PostMapping("/reload")
    RulesView reload() {
        String before = engine.current().version();
        try {
            PolicyEngine.Reload reload = engine.reload();
            log.info("rules reload: {} -> {} ({})", before, reload.rules().version(),
                    reload.changed() ? "swapped" : "unchanged");
            return RulesView.of(reload.rules(), engine.rulesDir().toString(), reload.changed());
        } catch (RulesInvalidException e) {
            log.warn("rules reload refused, {} keeps serving: {}", before, e.getMessage());
            throw e;
        }
    }
}
