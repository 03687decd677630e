package dev.creditspolicy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time spent, to say what one deduction or one pgbench transaction costs the machine: the whole machine's busy
 * time from /proc/stat (every process: service, PostgreSQL, load generator, pgbench), and one process's own time.
 * On a machine with nothing else running, busy CPU seconds per request bound the throughput the cores allow.
 */
final class Cpu {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ: 100 on Linux

    private Cpu() {
    }

    /** Busy CPU seconds of the whole machine since boot (user, nice, system, irq, softirq, steal), or -1. */
    static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU seconds a running process has used, or -1 when the system does not tell. */
    static double processSeconds(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).map(n -> n / 1e9).orElse(-1.0);
    }

    /**
     * CPU seconds of this process's children that have exited and been waited for (cutime + cstime of
     * /proc/self/stat): read before and after a pgbench run, the difference is pgbench's own CPU. -1 when unknown.
     */
    static double childrenSeconds() {
        try {
            String s = Files.readString(Path.of("/proc/self/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" "); // f[0] is field 3 (state)
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Milliseconds of CPU per unit of work between two readings, or null when a reading is missing. */
    static Double msPer(double before, double after, double units) {
        return before < 0 || after < 0 || units <= 0 ? null : LoadGenerator.round((after - before) * 1000 / units, 3);
    }
}
