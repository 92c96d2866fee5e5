package storport.console;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import storport.api.Adapter;
import storport.api.Host;
import storport.api.InterruptCounts;
import storport.api.StorPort;
import storport.api.StorPortException;
import storport.view.Findings;
import storport.view.FindingsCache;

/**
 * The metrics of one scrape ({@link MetricsServlet}), read from one snapshot of the active backend.
 * Labels stay few: the backend, the adapter, the message (never the processor), the finding's code
 * and severity.
 * <ul>
 * <li>{@value #INTERRUPTS}{@code _total} (counter): the interrupts each message raised so far, summed over
 *     the processors they were counted on ({@link StorPort#interruptCounts}), for PromQL {@code rate()};
 * <li>{@value #COUNTS_READ} (gauge): 1 when the adapter's counters were read for this scrape, 0 when not
 *     (a backend that counts none, or a read that failed: the reason is in the product's log);
 * <li>{@value #MESSAGE_PROCESSORS} (gauge): the processors each message serves (the seed call's answers);
 * <li>{@value #FINDINGS} (gauge): the findings on each adapter by code and severity ({@code storport:check}'s);
 * <li>{@value #SNAPSHOT_AGE} (gauge): how long ago the backend made the snapshot the answers come from.
 * </ul>
 */
final class Metrics {
    static final String INTERRUPTS = "storport_interrupts";
    static final String COUNTS_READ = "storport_interrupt_counts_read";
    static final String MESSAGE_PROCESSORS = "storport_message_processors";
    static final String FINDINGS = "storport_findings";
    static final String SNAPSHOT_AGE = "storport_snapshot_age_seconds";

    /** The metrics, and the adapters whose counters could not be read with the reason (for the log). */
    record Scrape(MetricSnapshots metrics, Map<String, String> unread) {
    }

    private Metrics() {
    }

    /**
     * One scrape of {@code storport} at {@code nowNanos} ({@link System#nanoTime()}); the findings from
     * {@code findings}, the one producer of {@code storport:check}'s. An adapter whose counters cannot be read
     * loses its interrupt series for this scrape, nothing else.
     */
    static Scrape of(StorPort storport, FindingsCache findings, long nowNanos) {
        Host host = storport.host();
        String backend = host.backend();
        CounterSnapshot.Builder interrupts = CounterSnapshot.builder().name(INTERRUPTS)
                .help("Interrupts the adapter's message raised so far, summed over the processors they were counted on");
        GaugeSnapshot.Builder read = GaugeSnapshot.builder().name(COUNTS_READ)
                .help("1 when the adapter's interrupt counters were read for this scrape, 0 when not (the reason is in the product's log)");
        GaugeSnapshot.Builder processors = GaugeSnapshot.builder().name(MESSAGE_PROCESSORS)
                .help("Processors the adapter's message serves (the seed call's answer for them)");
        Map<String, String> unread = new TreeMap<>();
        for (Adapter a : host.adapters()) {
            Labels adapter = Labels.of("backend", backend, "adapter", a.id());
            if (a.unavailableReason() == null) {
                int[] served = new int[a.messageCount()];
                for (int p = 0, n = host.topology().processorCount(); p < n; p++) {
                    int m = a.messageOf(p);
                    if (m >= 0) {
                        served[m]++;
                    }
                }
                for (int m = 0; m < served.length; m++) {
                    processors.dataPoint(GaugeDataPointSnapshot.builder().labels(adapter.add("message", Integer.toString(m))).value(served[m]).build());
                }
            }
            String reason = interrupts(storport, a.id(), adapter, interrupts);
            if (reason != null) {
                unread.put(a.id(), reason);
            }
            read.dataPoint(GaugeDataPointSnapshot.builder().labels(adapter).value(reason == null ? 1 : 0).build());
        }
        return new Scrape(MetricSnapshots.of(interrupts.build(), read.build(), processors.build(), findings(host, findings),
                GaugeSnapshot.builder().name(SNAPSHOT_AGE).unit(Unit.SECONDS).help("How long ago the backend made the snapshot it answers from")
                        .dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("backend", backend))
                                .value(Math.max(0, nowNanos - host.nanoTime()) / 1e9).build())
                        .build()), unread);
    }

    /** Adds the adapter's counters, one per message; why they could not be read, or null. */
    private static String interrupts(StorPort storport, String id, Labels adapter, CounterSnapshot.Builder into) {
        InterruptCounts counts;
        try {
            counts = storport.interruptCounts(id);
        } catch (RuntimeException e) {
            // NOT_IMPLEMENTED (a backend that counts none), UNSUCCESSFUL (unreadable counters), or a defect: this adapter only
            return e instanceof StorPortException ? e.getMessage() : e.toString();
        }
        // the counts are indexed by their own snapshot, which may be newer than the one read above
        Host host = counts.host();
        int messages = host.adapter(counts.adapter()).messageCount();
        int n = host.topology().processorCount();
        for (int m = 0; m < messages; m++) {
            long sum = 0;
            for (int p = 0; p < n; p++) {
                sum += counts.count(m, p);
            }
            into.dataPoint(CounterDataPointSnapshot.builder().labels(adapter.add("message", Integer.toString(m))).value(sum).build());
        }
        return null;
    }

    /** The findings counted by adapter, code and severity. */
    private static GaugeSnapshot findings(Host host, FindingsCache cache) {
        Map<List<String>, Integer> counted = new TreeMap<>((x, y) -> String.join("\0", x).compareTo(String.join("\0", y)));
        for (Findings.Finding f : cache.of(host)) {
            counted.merge(List.of(f.adapter(), f.code(), f.severity().word()), 1, Integer::sum);
        }
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(FINDINGS)
                .help("Findings on the adapter's map by code and severity, as storport:check lists them");
        counted.forEach((k, count) -> gauge.dataPoint(GaugeDataPointSnapshot.builder()
                .labels(Labels.of("backend", host.backend(), "adapter", k.get(0), "code", k.get(1), "severity", k.get(2))).value(count).build()));
        return gauge.build();
    }
}
