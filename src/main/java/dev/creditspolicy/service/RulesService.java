package dev.creditspolicy.service;

import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.creditspolicy.paging.Cursor;
import dev.creditspolicy.paging.Page;
import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.RuleFile;
import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.policy.RulesCompiler;
import dev.creditspolicy.policy.RulesInvalidException;
import dev.creditspolicy.store.Rows.RulesReloadRow;
import dev.creditspolicy.store.Store;

/**
 * Reloads the rules and keeps the audit: every load, at start, on request or on a file change, is stored with
 * its outcome, the version serving afterwards and the files (with hashes) it read, refused ones included.
 */
public final class RulesService {
    private static final Logger log = LoggerFactory.getLogger(RulesService.class);

    public static final String STARTUP = "STARTUP";
    public static final String API = "API";
    public static final String WATCH = "WATCH";

    private final PolicyEngine engine;
    private final Store store;
    private final Clock clock;

    public RulesService(PolicyEngine engine, Store store, Clock clock) {
        this.engine = engine;
        this.store = store;
        this.clock = clock;
    }

    public PolicyEngine engine() {
        return engine;
    }

    /** Records the load the service started with. */
    public void recordStartup() {
        RuleSet rules = engine.current();
        audit(STARTUP, "LOADED", rules.version(), rules.version(), rules.files(), null);
    }

    /**
     * Recompiles the folder and swaps atomically when it changed. A refused folder is audited and rethrown; the
     * version serving before keeps serving.
     */
    public PolicyEngine.Reload reload(String trigger) {
        String before = engine.isLoaded() ? engine.current().version() : null;
        try {
            PolicyEngine.Reload reload = engine.reload();
            RuleSet rules = reload.rules();
            audit(trigger, reload.changed() ? "LOADED" : "UNCHANGED", rules.version(), rules.version(), rules.files(),
                    null);
            log.info("rules reload ({}): {} -> {} ({})", trigger, before, rules.version(),
                    reload.changed() ? "swapped" : "unchanged");
            return reload;
        } catch (RulesInvalidException e) {
            String candidate = e.files().isEmpty() ? null : RulesCompiler.version(e.files());
            audit(trigger, "REFUSED", before, candidate, e.files(), e.getMessage());
            log.warn("rules reload ({}) refused, {} keeps serving: {}", trigger, before, e.getMessage());
            throw e;
        }
    }

    public List<RulesReloadRow> history(int limit) {
        return history(new PageRequest(limit, null)).items();
    }

    /** A page of the reloads and refused reloads, newest first. */
    public Page<RulesReloadRow> history(PageRequest page) {
        return Page.of(store.inTransaction(tx -> tx.rulesAudit().latest(page)), page,
                r -> new Cursor(r.loadedAt(), r.reloadId().toString()));
    }

    private void audit(String trigger, String outcome, String serving, String candidate, List<RuleFile> files,
                       String error) {
        String listing = files.stream().map(f -> f.name() + " " + f.sha256()).collect(Collectors.joining("\n"));
        store.inTransaction(tx -> {
            tx.rulesAudit().insert(new RulesReloadRow(null, clock.instant(), trigger, outcome, serving, candidate,
                    listing, error == null ? null : truncate(error)));
            return null;
        });
    }

    private static String truncate(String s) {
        return s.length() <= 16000 ? s : s.substring(0, 15990) + " ...";
    }
}
