package dev.creditspolicy.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The local PostgreSQL (127.0.0.1:5432, user postgres, trust auth), through psql and pgbench. */
final class Postgres {
    static final String HOST = System.getProperty("credits.bench.pg.host", "127.0.0.1");
    static final String PORT = System.getProperty("credits.bench.pg.port", "5432");
    static final String USER = System.getProperty("credits.bench.pg.user", "postgres");

    private Postgres() {
    }

    record Result(int exit, String output) {
    }

    static Result exec(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PGCONNECT_TIMEOUT", "5");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + cmd);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static List<String> psqlCmd(String db) {
        return new ArrayList<>(List.of("psql", "-h", HOST, "-p", PORT, "-U", USER, "-d", db, "-v", "ON_ERROR_STOP=1",
                "-q", "-A", "-t"));
    }

    static boolean available() {
        try {
            return exec(List.of("pg_isready", "-h", HOST, "-p", PORT, "-q"), 15).exit() == 0
                    && psql("postgres", "SELECT 1").strip().equals("1");
        } catch (IOException | InterruptedException | RuntimeException e) {
            return false;
        }
    }

    static String psql(String db, String sql) throws IOException, InterruptedException {
        List<String> cmd = psqlCmd(db);
        cmd.add("-c");
        cmd.add(sql);
        Result r = exec(cmd, 600);
        if (r.exit() != 0) {
            throw new IllegalStateException("psql failed (" + sql + "): " + r.output());
        }
        return r.output();
    }

    static void psqlFile(String db, Path file) throws IOException, InterruptedException {
        List<String> cmd = psqlCmd(db);
        cmd.add("-f");
        cmd.add(file.toString());
        Result r = exec(cmd, 600);
        if (r.exit() != 0) {
            throw new IllegalStateException("psql -f " + file + " failed: " + r.output());
        }
    }

    /** The databases this run created and has not dropped yet (dropped by a shutdown hook if the run is stopped). */
    static final java.util.Set<String> CREATED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static void createDatabase(String name) throws IOException, InterruptedException {
        CREATED.add(name);
        psql("postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        psql("postgres", "CREATE DATABASE " + name);
    }

    static void dropDatabase(String name) {
        try {
            psql("postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            CREATED.remove(name);
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("could not drop database " + name + ": " + e.getMessage());
        }
    }

    static String jdbcUrl(String db) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + db;
    }

    static Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            m.put("version", psql("postgres", "SHOW server_version").strip());
            for (String s : List.of("synchronous_commit", "fsync", "shared_buffers", "max_connections",
                    "wal_level")) {
                m.put(s, psql("postgres", "SHOW " + s).strip());
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            m.put("error", e.getMessage());
        }
        return m;
    }

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");
    private static final Pattern STDDEV = Pattern.compile("latency stddev = ([0-9.]+) ms");
    private static final Pattern TXNS = Pattern.compile("number of transactions actually processed: (\\d+)");
    private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");

    /** Runs pgbench and reads its summary. */
    static Map<String, Object> pgbench(String label, String db, List<String> args, long timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("pgbench", "-h", HOST, "-p", PORT, "-U", USER));
        cmd.addAll(args);
        cmd.add(db);
        double cpuBefore = Cpu.machineBusySeconds();
        double clientBefore = Cpu.childrenSeconds();
        PgCpu server = PgCpu.start(db);
        Result r;
        try {
            r = exec(cmd, timeoutSeconds);
        } finally {
            if (server != null) {
                server.close();
            }
        }
        double cpuAfter = Cpu.machineBusySeconds();
        double clientAfter = Cpu.childrenSeconds();
        if (r.exit() != 0) {
            throw new IllegalStateException("pgbench failed: " + cmd + "\n" + r.output());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", label);
        m.put("command", String.join(" ", cmd));
        m.put("tps", number(TPS, r.output()));
        m.put("latencyAvgMs", number(LATENCY, r.output()));
        m.put("latencyStddevMs", number(STDDEV, r.output()));
        m.put("transactions", number(TXNS, r.output()));
        m.put("failed", number(FAILED, r.output()));
        Double txns = (Double) m.get("transactions");
        double n = txns == null ? 0 : txns;
        m.put("machineCpuMsPerTransaction", Cpu.msPer(cpuBefore, cpuAfter, n));
        PgCpu.put(m, server, n, "Transaction");
        m.put("pgbenchClientCpuMsPerTransaction", Cpu.msPer(clientBefore, clientAfter, n));
        return m;
    }

    private static Double number(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Double.valueOf(m.group(1)) : null;
    }
}
