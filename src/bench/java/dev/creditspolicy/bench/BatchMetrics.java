package dev.creditspolicy.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The service's group-commit metrics as {@code GET /actuator/prometheus} shows them (issue 17): the
 * DistributionSummary {@code credits.usage.batch.size} (service-level-objective buckets 1, 2, 4, 8, 16, 32, 64:
 * {@code credits_usage_batch_size_bucket{le="1.0"} N}, {@code _count}, {@code _sum}, {@code _max}) and the counter
 * {@code credits.usage.batch.fallbacks} (batches retried one request at a time). Scraped before and after a run,
 * the difference is that run's distribution. A build without them says so ("no batching metric in this build"),
 * never zeros.
 */
record BatchMetrics(boolean present, TreeMap<Double, Double> cumulative, double count, double sum, double max,
                    Double fallbacks) {
    static final String NONE = "no batching metric in this build";
    private static final String SIZE = "credits_usage_batch_size";
    private static final String FALLBACKS = "credits_usage_batch_fallbacks_total";

    /** Reads a scrape (null when the endpoint did not answer: then nothing is present). */
    static BatchMetrics parse(String text) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        double count = 0;
        double sum = 0;
        double max = 0;
        Double fallbacks = null;
        boolean present = false;
        for (String line : text == null ? new String[0] : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String name = line.substring(0, space);
            double value;
            try {
                value = Double.parseDouble(line.substring(space + 1).trim());
            } catch (NumberFormatException e) {
                continue;
            }
            String metric = name.contains("{") ? name.substring(0, name.indexOf('{')) : name;
            switch (metric) {
                case SIZE + "_bucket" -> buckets.merge(le(name), value, Double::sum);
                case SIZE + "_count" -> {
                    count += value;
                    present = true;
                }
                case SIZE + "_sum" -> sum += value;
                case SIZE + "_max" -> max = Math.max(max, value);
                case FALLBACKS -> fallbacks = (fallbacks == null ? 0 : fallbacks) + value;
                default -> {
                }
            }
        }
        return new BatchMetrics(present, buckets, count, sum, max, fallbacks);
    }

    private static double le(String name) {
        int at = name.indexOf("le=\"") + 4;
        String v = name.substring(at, name.indexOf('"', at));
        return v.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v);
    }

    /**
     * What a run added between two scrapes: batches, requests in them, mean size, the batch-size histogram
     * (batches per size range, not cumulative), the largest batch (Micrometer's max, over its decaying window of a
     * few minutes, so it may include the run before) and the fallbacks.
     */
    static Map<String, Object> between(BatchMetrics before, BatchMetrics after) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (after == null || !after.present()) {
            m.put("available", false);
            m.put("note", NONE);
            return m;
        }
        double batches = after.count() - (before == null ? 0 : before.count());
        double requests = after.sum() - (before == null ? 0 : before.sum());
        m.put("available", true);
        m.put("batches", LoadGenerator.round(batches, 0));
        m.put("requests", LoadGenerator.round(requests, 0));
        m.put("meanSize", batches > 0 ? LoadGenerator.round(requests / batches, 2) : null);
        m.put("maxSize", after.max());
        Map<String, Object> hist = new LinkedHashMap<>();
        double prevLe = 0;
        double prevCum = 0;
        for (Map.Entry<Double, Double> e : after.cumulative().entrySet()) {
            double cum = e.getValue() - (before == null ? 0 : before.cumulative().getOrDefault(e.getKey(), 0.0));
            hist.put(range(prevLe, e.getKey()), LoadGenerator.round(cum - prevCum, 0));
            prevLe = e.getKey();
            prevCum = cum;
        }
        m.put("batchesBySize", hist);
        m.put("fallbacks", after.fallbacks() == null ? null
                : LoadGenerator.round(after.fallbacks() - (before == null || before.fallbacks() == null ? 0
                        : before.fallbacks()), 0));
        return m;
    }

    /** "1", "2", "3-4", "5-8", ..., "> 64" for the bucket (previous le, le]. */
    private static String range(double from, double to) {
        if (Double.isInfinite(to)) {
            return String.format(Locale.ROOT, "> %.0f", from);
        }
        long lo = (long) Math.floor(from) + 1;
        long hi = (long) Math.floor(to);
        return lo >= hi ? Long.toString(hi) : lo + "-" + hi;
    }

    /** The ranges of a histogram map in order (for the report's columns). */
    static List<String> ranges(Map<String, Object> hist) {
        return hist == null ? List.of() : new ArrayList<>(hist.keySet());
    }
}
