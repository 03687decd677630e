package dev.creditspolicy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.creditspolicy.support.TestServices;

/** Reloads run one at a time, a second one waits a bounded time, and evaluations never wait for either. */
class ReloadBoundsTest {
    @Test
    @DisplayName("a reload while another is under way is refused as busy after 5 s; the serving rules answer meanwhile")
    void secondReloadRefusedAfterItsWait(@TempDir Path dir) throws InterruptedException {
        PolicyEngine engine = PolicyEngine.load(TestServices.copyOfRules(dir),
                Clock.fixed(TestServices.NOW, ZoneOffset.UTC));
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // stands for a reload under way: holds the engine's reload lock as a reload does
        Thread underWay = new Thread(() -> {
            engine.reloading.lock();
            try {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                engine.reloading.unlock();
            }
        });
        underWay.start();
        held.await();
        try {
            assertThat(engine.current().evaluateUsage(RuleFixtures.call().build(),
                    List.of(RuleFixtures.planLot("plan").build())).eligibleInOrder()).hasSize(1);
            long start = System.nanoTime();

            assertThatThrownBy(engine::reload).isInstanceOf(PolicyEngine.ReloadBusy.class);

            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(waitedMs).isBetween(PolicyEngine.RELOAD_WAIT.toMillis() - 50, 60_000L);
        } finally {
            release.countDown();
            underWay.join();
        }
        assertThat(engine.reload().changed()).isFalse();
    }
}
