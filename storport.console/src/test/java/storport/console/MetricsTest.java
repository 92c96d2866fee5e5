package storport.console;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.Before;
import org.junit.Test;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import storport.api.Adapter;
import storport.api.Host;
import storport.api.InterruptCounts;
import storport.api.StorPort;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.view.Findings;
import storport.view.FindingsCache;

/** The values {@code /metrics} serves, on a simulated host, and how the servlet answers scrapers. */
public class MetricsTest {
    private final Host host = Hosts.default80();
    /** nvme0's counters: message m raised m interrupts on each processor it serves; sparse's cannot be read. */
    private final StorPort storport = new StorPort() {
        @Override
        public String backend() {
            return "sim";
        }

        @Override
        public Host host() {
            return host;
        }

        @Override
        public InterruptCounts interruptCounts(String adapter) {
            Adapter a = host.adapter(adapter);
            if (a.id().equals("sparse")) {
                throw new StorPortException(StorStatus.UNSUCCESSFUL, "cannot read /sys/kernel/irq/7/per_cpu_count");
            }
            long[][] counts = new long[a.messageCount()][80];
            for (int p = 0; p < 80; p++) {
                counts[a.messageOf(p)][p] = a.messageOf(p);
            }
            return new InterruptCounts(host, a.id(), System.nanoTime(), "test", counts);
        }
    };

    private static double value(MetricSnapshot metric, String... labels) {
        Labels wanted = Labels.of(labels);
        for (DataPointSnapshot d : metric.getDataPoints()) {
            if (d.getLabels().equals(wanted)) {
                return d instanceof CounterSnapshot.CounterDataPointSnapshot c ? c.getValue() : ((GaugeSnapshot.GaugeDataPointSnapshot) d).getValue();
            }
        }
        return Double.NaN;
    }

    private static MetricSnapshot metric(Metrics.Scrape scrape, String name) {
        return scrape.metrics().stream().filter(m -> m.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    public void processorsPerMessageAreTheSeedCallsAnswers() {
        Metrics.Scrape s = Metrics.of(storport, new FindingsCache(), host.nanoTime());
        MetricSnapshot processors = metric(s, Metrics.MESSAGE_PROCESSORS);
        // nvme0: processor p is served by message 1 + p*32/80, so messages 1..32 serve 2 or 3 processors; the admin message none
        assertEquals(0, value(processors, "backend", "sim", "adapter", "nvme0", "message", "0"), 0);
        assertEquals(3, value(processors, "backend", "sim", "adapter", "nvme0", "message", "1"), 0);
        assertEquals(2, value(processors, "backend", "sim", "adapter", "nvme0", "message", "2"), 0);
        assertEquals(10, value(processors, "backend", "sim", "adapter", "sparse", "message", "1"), 0);
        double sum = 0;
        for (int m = 0; m <= 32; m++) {
            sum += value(processors, "backend", "sim", "adapter", "nvme0", "message", Integer.toString(m));
        }
        assertEquals(80, sum, 0);
        assertEquals("one series per adapter and message", 33 + 2, processors.getDataPoints().size());
    }

    @Test
    public void interruptsAreSummedOverProcessorsAndAnUnreadableAdapterLosesOnlyItsOwn() {
        Metrics.Scrape s = Metrics.of(storport, new FindingsCache(), host.nanoTime());
        MetricSnapshot interrupts = metric(s, Metrics.INTERRUPTS);
        assertEquals(3 * 1, value(interrupts, "backend", "sim", "adapter", "nvme0", "message", "1"), 0);
        assertEquals(2 * 2, value(interrupts, "backend", "sim", "adapter", "nvme0", "message", "2"), 0);
        assertEquals(0, value(interrupts, "backend", "sim", "adapter", "nvme0", "message", "0"), 0);
        assertEquals("nvme0's 33 messages, nothing of sparse", 33, interrupts.getDataPoints().size());
        MetricSnapshot read = metric(s, Metrics.COUNTS_READ);
        assertEquals(1, value(read, "backend", "sim", "adapter", "nvme0"), 0);
        assertEquals(0, value(read, "backend", "sim", "adapter", "sparse"), 0);
        assertEquals(Map.of("sparse", "STOR_STATUS_UNSUCCESSFUL: cannot read /sys/kernel/irq/7/per_cpu_count"), s.unread());
        // the rest of the scrape is whole
        assertEquals(10, value(metric(s, Metrics.MESSAGE_PROCESSORS), "backend", "sim", "adapter", "sparse", "message", "1"), 0);
    }

    @Test
    public void findingsByAdapterCodeAndSeverityAreCheckCommandsOnes() {
        Metrics.Scrape s = Metrics.of(storport, new FindingsCache(), host.nanoTime());
        MetricSnapshot findings = metric(s, Metrics.FINDINGS);
        // sparse's one message serves processors 0-9: the other 70 get no message, one no-message finding
        assertEquals(1, value(findings, "backend", "sim", "adapter", "sparse", "code", "no-message", "severity", "error"), 0);
        double total = 0;
        for (DataPointSnapshot d : findings.getDataPoints()) {
            total += ((GaugeSnapshot.GaugeDataPointSnapshot) d).getValue();
        }
        assertEquals(Findings.of(host).size(), total, 0);
    }

    @Test
    public void snapshotAgeIsSinceTheBackendMadeIt() {
        Metrics.Scrape s = Metrics.of(storport, new FindingsCache(), host.nanoTime() + 2_500_000_000L);
        assertEquals(2.5, value(metric(s, Metrics.SNAPSHOT_AGE), "backend", "sim"), 1e-9);
    }

    @Test
    public void theTextFormatNamesTheCounterTotalAndTheAgeInSeconds() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, Metrics.of(storport, new FindingsCache(), host.nanoTime()).metrics(),
                EscapingScheme.DEFAULT);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text, text.contains("# TYPE storport_interrupts_total counter\n"));
        assertTrue(text, text.contains("storport_interrupts_total{adapter=\"nvme0\",backend=\"sim\",message=\"1\"} 3.0\n"));
        assertTrue(text, text.contains("storport_message_processors{adapter=\"nvme0\",backend=\"sim\",message=\"1\"} 3.0\n"));
        assertTrue(text, text.contains("storport_snapshot_age_seconds{backend=\"sim\"} 0.0\n"));
        assertFalse("never per CPU", text.contains("cpu="));
    }

    // ------------------------------------------------------------------ the servlet

    private final MetricsServlet servlet = new MetricsServlet();
    private final List<String> logged = new ArrayList<>();

    @Before
    public void wire() {
        servlet.security = Http.security(logged);
        servlet.log = Http.logger(logged);
        servlet.storport = storport;
    }

    private Http.Response scrape(String method, String... headers) throws Exception {
        Http.Request q = new Http.Request(new Http.Client(), method, MetricsServlet.PATH);
        for (int i = 0; i < headers.length; i += 2) {
            q.header(headers[i], headers[i + 1]);
        }
        Http.Response r = new Http.Response();
        servlet.service(q.proxy(), r.proxy());
        return r;
    }

    private static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void aScrapeWithTheConsolesPasswordGetsTheTextFormat() throws Exception {
        Http.Response r = scrape("GET", "Authorization", basic("pw"));
        assertEquals(200, r.status);
        assertEquals(PrometheusTextFormatWriter.CONTENT_TYPE, r.contentType);
        assertTrue(r.body(), r.body().contains("storport_message_processors{adapter=\"sparse\",backend=\"sim\",message=\"1\"} 10.0\n"));
        assertTrue(logged.toString(), logged.stream().anyMatch(l -> l.contains("no interrupt counts for adapter sparse")));
        int before = logged.size();
        scrape("GET", "Authorization", basic("pw"));
        assertEquals("an adapter that keeps failing is logged once", before, logged.size());
    }

    @Test
    public void withoutTheConsolesPasswordA401WithABasicChallengeAndNoPage() throws Exception {
        for (String[] headers : new String[][] { { "Accept", "text/html" }, { "Authorization", basic("wrong") } }) {
            Http.Response r = scrape("GET", headers);
            assertEquals(401, r.status);
            assertEquals("Basic realm=\"storport console\", charset=\"UTF-8\"", r.headers.get("WWW-Authenticate"));
            assertTrue(r.body(), r.body().startsWith("{\"status\":\"STOR_STATUS_ACCESS_DENIED\""));
        }
    }

    @Test
    public void otherMethodsNoBackendAndFailuresAreJsonStatuses() throws Exception {
        Http.Response post = scrape("POST", "Authorization", basic("pw"));
        assertEquals(405, post.status);
        assertEquals("GET, HEAD", post.headers.get("Allow"));
        Http.Response head = scrape("HEAD", "Authorization", basic("pw"));
        assertEquals(200, head.status);
        assertEquals("", head.body());
        servlet.storport = null;
        Http.Response none = scrape("GET", "Authorization", basic("pw"));
        assertEquals(503, none.status);
        assertTrue(none.body(), none.body().startsWith("{\"status\":\"STOR_STATUS_INVALID_DEVICE_STATE\""));
        servlet.storport = Hosts.storport(null); // a defect: its host() answers null
        Http.Response failed = scrape("GET", "Authorization", basic("pw"));
        assertEquals(500, failed.status);
        assertTrue(failed.body(), failed.body().startsWith("{\"status\":\"STOR_STATUS_UNSUCCESSFUL\"") && !failed.body().contains("at storport"));
        assertNull(failed.headers.get("WWW-Authenticate"));
    }
}
