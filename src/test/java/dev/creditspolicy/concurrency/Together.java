package dev.creditspolicy.concurrency;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/** Runs a workload on several threads released at the same instant, so they meet on the same rows. */
final class Together {
    private Together() {
    }

    /** {@code work} on threads 0 to {@code threads - 1}, all started at once; a thread's failure fails the run. */
    static void run(int threads, IntConsumer work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(pool.submit(() -> {
                start.await();
                work.accept(thread);
                return null;
            }));
        }
        start.countDown();
        try {
            for (Future<?> w : workers) {
                w.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
