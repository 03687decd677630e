package dev.creditspolicy.service;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.creditspolicy.policy.RulesInvalidException;

/**
 * Reloads the rules when a file of the folder changes (opt-in: credits.rules.watch=true). Changes are debounced so
 * an editor's save-in-several-writes gives one reload; a broken save is refused like any reload.
 */
public final class RulesWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RulesWatcher.class);
    private static final long QUIET_MS = 300;

    private final RulesService rules;
    private final WatchService watch;
    private final Thread thread;

    public RulesWatcher(RulesService rules, Path dir) throws IOException {
        this.rules = rules;
        this.watch = FileSystems.getDefault().newWatchService();
        dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        Path tables = dir.resolve("tables");
        if (java.nio.file.Files.isDirectory(tables)) {
            // the price table serves from rules/tables/: a save there reloads too
            tables.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        }
        this.thread = new Thread(this::loop, "rules-watcher");
        thread.setDaemon(true);
        thread.start();
        log.info("watching {} for rule changes", dir);
    }

    private void loop() {
        try {
            while (true) {
                WatchKey key = watch.take();
                key.pollEvents();
                key.reset();
                // let the burst of writes of one save settle
                WatchKey more;
                while ((more = watch.poll(QUIET_MS, TimeUnit.MILLISECONDS)) != null) {
                    more.pollEvents();
                    more.reset();
                }
                try {
                    rules.reload(RulesService.WATCH);
                } catch (RulesInvalidException e) {
                    // audited and logged by the service; the previous rules keep serving
                } catch (RuntimeException e) {
                    log.error("rules reload on file change failed", e);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        watch.close();
        thread.interrupt();
    }
}
