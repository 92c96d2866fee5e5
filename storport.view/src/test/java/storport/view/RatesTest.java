package storport.view;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import com.google.gson.Gson;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.InterruptCounts;
import storport.api.InterruptMode;
import storport.api.LogicalCpu;
import storport.api.MessageInterrupt;
import storport.api.StorPortException;
import storport.api.Topology;

/** Rates between two readings of an adapter's counters, and the irq-elsewhere finding they show. */
public class RatesTest {
    /** 4 CPUs numbered 0, 1, 8, 9 (sparse, so CPU number and index differ); message 1 serves 0-1 on CPU 0, message 2 serves 8-9 on CPU 9. */
    private static Host host() {
        List<LogicalCpu> cpus = new ArrayList<>();
        for (int c : new int[] { 0, 1, 8, 9 }) {
            cpus.add(new LogicalCpu(c, 0, 0, c));
        }
        Topology t = Topology.of(cpus);
        Adapter a = Adapter.builder("0000:00:02.0").aliases(List.of("vda")).message(message(t, 0, List.of(0, 1, 2, 3), List.of(0)))
                .message(message(t, 1, List.of(0, 1), List.of(0))).message(message(t, 2, List.of(2, 3), List.of(3))).redirection(1, 2)
                .build(t);
        return new Host("native", t, List.of(a));
    }

    private static MessageInterrupt message(Topology t, int id, List<Integer> targets, List<Integer> effective) {
        return new MessageInterrupt(id, 0, 0xFEE00000L, 0x40 + id, 0x40 + id, InterruptMode.LATCHED, "q" + id, 30 + id, t.affinities(targets),
                targets, effective);
    }

    private static InterruptCounts counts(Host host, long nanos, long[]... rows) {
        return new InterruptCounts(host, "vda", nanos, "per_cpu_count", rows);
    }

    @Test
    public void ratesAreTheCountsBetweenTheReadingsPerMessageCpuAndSecond() {
        Host h = host();
        InterruptCounts before = counts(h, 1_000_000_000L, new long[] { 5, 0, 0, 0 }, new long[] { 100, 0, 0, 0 }, new long[] { 0, 0, 0, 7 });
        InterruptCounts after = counts(h, 3_000_000_000L, new long[] { 5, 0, 0, 0 }, new long[] { 5220, 0, 0, 0 }, new long[] { 0, 0, 0, 407 });
        Rates r = Rates.of(before, after);
        assertEquals(2.0, r.seconds(), 1e-9);
        assertEquals(List.of(0L, 5120L, 400L), r.messages().stream().map(Rates.MessageRate::total).toList());
        assertEquals(2560.0, r.messages().get(1).perSecond(), 1e-9);
        // OS CPU 9 is processor index 3
        assertEquals(List.of(new Rates.CpuCount(9, 3, 400)), r.messages().get(2).cpus());
        assertEquals(List.of(), r.findings());
        @SuppressWarnings("unchecked")
        Map<String, Object> json = new Gson().fromJson(r.json(), Map.class);
        assertEquals("0000:00:02.0", json.get("adapter"));
        assertEquals(2.0, json.get("seconds"));
        assertEquals("{id=1.0, total=5120.0, perSecond=2560.0, cpus=[{cpu=0.0, index=0.0, count=5120.0}]}",
                ((List<?>) json.get("messages")).get(1).toString());
        assertTrue(r.text(), r.text().contains("MESSAGE  TOTAL  PER-SECOND  CPU:COUNT\n0        0      0.0         -\n1        5120   2560.0      0:5120\n"));
    }

    @Test
    public void interruptsOutsideTheHandlingCpusAreIrqElsewhere() {
        Host h = host();
        InterruptCounts before = counts(h, 0, new long[4], new long[4], new long[4]);
        // message 1 is delivered to CPU 0, yet CPU 8 (index 2) counted some: its affinity moved during the interval
        InterruptCounts after = counts(h, 1_000_000_000L, new long[4], new long[] { 10, 0, 3, 0 }, new long[4]);
        Rates r = Rates.of(before, after);
        assertEquals(1, r.findings().size());
        Findings.Finding f = r.findings().get(0);
        assertEquals("irq-elsewhere " + List.of(1) + " " + List.of(2), f.code() + " " + f.messages() + " " + f.processors());
        assertEquals(Findings.Severity.WARNING, f.severity());
        assertTrue(r.json(), r.json().contains("\"findings\":[{\"code\":\"irq-elsewhere\""));
    }

    @Test
    public void aCounterThatWentDownCountsFromZero() {
        Host h = host();
        InterruptCounts before = counts(h, 0, new long[4], new long[] { 900, 0, 0, 0 }, new long[4]);
        InterruptCounts after = counts(h, 1_000_000_000L, new long[4], new long[] { 40, 0, 0, 0 }, new long[4]);
        assertEquals(40, Rates.of(before, after).messages().get(1).total());
    }

    @Test
    public void aHostThatChangedShapeDuringTheIntervalIsRefused() {
        Host h = host();
        List<LogicalCpu> cpus = List.of(new LogicalCpu(0, 0, 0, 0), new LogicalCpu(1, 0, 0, 1));
        Topology t = Topology.of(cpus);
        Host smaller = new Host("native", t, List.of(Adapter.builder("0000:00:02.0").aliases(List.of("vda"))
                .message(message(t, 0, List.of(0, 1), List.of(0))).message(message(t, 1, List.of(0, 1), List.of(1))).redirection(1, 1).build(t)));
        InterruptCounts before = counts(h, 0, new long[4], new long[4], new long[4]);
        InterruptCounts after = new InterruptCounts(smaller, "vda", 1, "per_cpu_count", new long[][] { new long[2], new long[2] });
        StorPortException e = assertThrows(StorPortException.class, () -> Rates.of(before, after));
        assertEquals("STOR_STATUS_UNSUCCESSFUL: adapter 0000:00:02.0 or its host changed during the interval; run again", e.getMessage());
        // counts that do not fit their adapter are refused when made
        assertThrows(StorPortException.class, () -> new InterruptCounts(h, "vda", 0, "x", new long[][] { new long[4] }));
    }
}
