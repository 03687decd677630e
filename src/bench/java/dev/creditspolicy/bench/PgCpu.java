package dev.creditspolicy.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of the local PostgreSQL cluster's processes during one run, read from /proc/&lt;pid&gt;/stat of the
 * postmaster's children: the backends connected to the run's own database, apart from the cluster's shared
 * processes (WAL writer, checkpointer, background writer, autovacuum), and apart from other databases' backends
 * (the cluster is shared with other people's runs: those are not counted). A sampler thread reads them every
 * {@value #PERIOD_MS} ms, so a backend that exits between two readings loses at most that much of its tail (pgbench
 * and the service keep their connections for the whole run). Without a readable /proc (not Linux, another user's
 * processes hidden), {@link #stop} answers an empty map and the report shows "-".
 */
final class PgCpu implements AutoCloseable {
    static final int PERIOD_MS = 100;
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ

    private final String database;
    private final long postmaster;
    /** pid -> {ticks at first reading (0 for a process born during the run), ticks at the last reading, kind}. */
    private final Map<Long, long[]> seen = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    static final int OWN = 0;
    static final int SHARED = 1;
    static final int OTHER = 2;

    private PgCpu(String database, long postmaster) {
        this.database = database;
        this.postmaster = postmaster;
        sample(true);
        thread = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
                sample(false);
            }
        }, "pg-cpu-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts sampling the cluster's processes for a run on {@code database}; null when no postmaster is found. */
    static PgCpu start(String database) {
        long pm = postmasterPid();
        return pm < 0 ? null : new PgCpu(database, pm);
    }

    /** The postmaster: a process named postgres whose parent is not. */
    static long postmasterPid() {
        try (var s = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String[] st = stat(Long.parseLong(name));
                if (st != null && st[0].equals("postgres")) {
                    String[] parent = stat(Long.parseLong(st[2]));
                    if (parent == null || !parent[0].equals("postgres")) {
                        return Long.parseLong(name);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private synchronized void sample(boolean first) {
        String children;
        try {
            children = Files.readString(Path.of("/proc/" + postmaster + "/task/" + postmaster + "/children"));
        } catch (IOException e) {
            return;
        }
        for (String c : children.trim().split("\\s+")) {
            if (c.isEmpty()) {
                continue;
            }
            long pid = Long.parseLong(c);
            String[] st = stat(pid);
            if (st == null) {
                continue;
            }
            long ticks = Long.parseLong(st[12]) + Long.parseLong(st[13]); // utime + stime (fields 14, 15)
            long[] s = seen.get(pid);
            if (s == null) {
                seen.put(pid, new long[] {first ? ticks : 0, ticks, kind(pid)});
            } else {
                s[1] = ticks;
                if (s[2] != OWN) {
                    s[2] = kind(pid); // a new connection's title names its database only after the start-up packet
                }
            }
        }
    }

    /** The cluster's own processes, by the job their title names (PostgreSQL 15). */
    private static final java.util.List<String> SHARED_JOBS = java.util.List.of("checkpointer", "background writer",
            "walwriter", "autovacuum", "logical replication", "parallel worker", "archiver", "walsender",
            "walreceiver", "startup", "stats");

    /**
     * A backend's title is "postgres: 15/main: user database host(port) state" (or "[local]"); the cluster's own
     * processes name their job ("postgres: 15/main: walwriter").
     */
    private int kind(long pid) {
        try {
            String cmd = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ').trim();
            String[] w = cmd.split("\\s+");
            for (int i = 3; i < w.length; i++) {
                if (w[i].equals(database)) {
                    return OWN;
                }
            }
            for (String job : SHARED_JOBS) {
                if (cmd.contains(": " + job)) {
                    return SHARED;
                }
            }
            return OTHER;
        } catch (IOException e) {
            return OTHER;
        }
    }

    /** Fields of /proc/pid/stat after the pid: [0] the command name, [1] state, [2] ppid, ... */
    private static String[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            int open = s.indexOf('(');
            int close = s.lastIndexOf(')');
            String[] rest = s.substring(close + 2).split(" ");
            String[] out = new String[rest.length + 1];
            out[0] = s.substring(open + 1, close);
            System.arraycopy(rest, 0, out, 1, rest.length);
            return out;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Stops sampling; answers CPU seconds during the run of {@link #OWN} (backends of the run's database),
     * {@link #SHARED} (WAL writer, checkpointer, background writer, autovacuum, parallel workers) and {@link #OTHER}
     * (other databases' backends: other people's work, not counted in the report).
     */
    double[] stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample(false);
        double[] seconds = new double[3];
        synchronized (this) {
            for (long[] s : seen.values()) {
                seconds[(int) s[2]] += (s[1] - s[0]) / TICKS_PER_SECOND;
            }
        }
        return seconds;
    }

    /** Puts the run's PostgreSQL CPU into its figures: seconds and ms per unit of work (a request, a transaction). */
    static void put(Map<String, Object> m, PgCpu cpu, double units, String per) {
        if (cpu == null) {
            return;
        }
        double[] s = cpu.stop();
        m.put("postgresBackendsCpuMsPer" + per, Cpu.msPer(0, s[OWN], units));
        m.put("postgresSharedCpuMsPer" + per, Cpu.msPer(0, s[SHARED], units));
        m.put("postgresOtherDatabasesCpuSeconds", LoadGenerator.round(s[OTHER], 2));
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
