package storport.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/**
 * {@code /metrics} scraped by a real Prometheus (Debian's {@code prometheus}, which {@code .ci/run}
 * installs) from the real product ({@code ./storport --no-shell}), with the scrape configuration the
 * README documents (HTTP Basic with the console's password): a storport series read back through
 * Prometheus's HTTP API carries the adapter and message labels and the product's own answer.
 */
public class MetricsIT {
    private static final String PASSWORD = "pw-metrics";
    private static final String PROMETHEUS = System.getProperty("prometheus.binary", "/usr/bin/prometheus");

    @Test
    public void prometheusScrapesTheProductAndAnswersWithItsSeries() throws Exception {
        long started = System.nanoTime();
        Path dir = StorportOptions.freshDir("MetricsIT");
        Files.createDirectories(dir);
        try (ConsoleProduct product = ConsoleProduct.start(dir.resolve("home"), Map.of("STORPORT_CONSOLE_PASSWORD", PASSWORD), "--no-shell");
                Prometheus prometheus = Prometheus.start(dir.resolve("prometheus"), product.port)) {
            String base = product.awaitConsole();
            String auth = ConsoleProduct.basic("admin", PASSWORD);

            HttpResponse<String> refused = ConsoleProduct.get(ConsoleProduct.PLAIN, base + "/metrics", "Accept", "text/html");
            assertEquals(refused.body(), 401, refused.statusCode());
            assertTrue(refused.headers().toString(), refused.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic "));
            assertTrue(refused.body(), refused.body().startsWith("{\"status\":\"STOR_STATUS_ACCESS_DENIED\""));

            // the product's own answer: the processors whose seed call gives nvme0's message 17
            // Prometheus logs in from the same address: while the console checks one of its passwords, another check from
            // there is told to come back (503, Retry-After), as the console does for any client
            HttpResponse<String> answer;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            do {
                answer = ConsoleProduct.get(ConsoleProduct.PLAIN, base + "/system/console/storport/api/map/nvme0", "Authorization", auth);
            } while (answer.statusCode() == 503 && System.nanoTime() < deadline && sleep(200));
            assertEquals(answer.body(), 200, answer.statusCode());
            Map<String, Object> map = Json.object(answer.body());
            long served = ((List<?>) map.get("processors")).stream().filter(p -> ((Map<?, ?>) p).get("message").equals(17L)).count();
            assertTrue("nvme0's message 17 serves processors: " + map, served > 0);

            Map<?, ?> series = prometheus.awaitOne("storport_message_processors{adapter=\"nvme0\",message=\"17\"}", Duration.ofSeconds(30));
            Map<?, ?> labels = (Map<?, ?>) series.get("metric");
            assertEquals(series.toString(), "storport_message_processors", labels.get("__name__"));
            assertEquals(series.toString(), "sim", labels.get("backend"));
            assertEquals(series.toString(), "storport", labels.get("job"));
            assertEquals(series.toString(), "127.0.0.1:" + product.port, labels.get("instance"));
            assertEquals(series.toString(), String.valueOf(served), ((List<?>) series.get("value")).get(1));

            // the counter works with PromQL's rates: the simulator's load model is 1,000 interrupts a second per processor served;
            // irate() takes the last two scrapes (rate() over a window not yet full of samples extrapolates low)
            String query = "irate(storport_interrupts_total{adapter=\"nvme0\",message=\"17\"}[5s])";
            double perSecond = Double.NaN;
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            do {
                Map<?, ?> rate = prometheus.awaitOne(query, Duration.ofSeconds(30));
                perSecond = Double.parseDouble((String) ((List<?>) rate.get("value")).get(1));
                System.out.printf("MetricsIT: %s = %.1f%n", query, perSecond);
            } while (Math.abs(perSecond - served * 1000.0) > served * 250.0 && System.nanoTime() < until && sleep(500));
            assertEquals(query, served * 1000.0, perSecond, served * 250.0);
        }
        System.out.printf("MetricsIT: %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    /** Debian's Prometheus on a free port, scraping the product every second with the console's password. */
    private static final class Prometheus implements AutoCloseable {
        private final Process process;
        private final int port;
        private final Path log;

        private Prometheus(Process process, int port, Path log) {
            this.process = process;
            this.port = port;
            this.log = log;
        }

        static Prometheus start(Path dir, int storportPort) throws IOException {
            Files.createDirectories(dir);
            Path password = dir.resolve("password");
            Files.writeString(password, PASSWORD);
            Path config = dir.resolve("prometheus.yml");
            // the README's scrape configuration, at a test's pace
            Files.writeString(config, String.join("\n",
                    "global:",
                    "  scrape_interval: 1s",
                    "  scrape_timeout: 1s",
                    "scrape_configs:",
                    "  - job_name: storport",
                    "    basic_auth:",
                    "      username: admin",
                    "      password_file: " + password.toAbsolutePath(),
                    "    static_configs:",
                    "      - targets: ['127.0.0.1:" + storportPort + "']",
                    ""));
            int port = ConsoleProduct.freePort();
            Path log = dir.resolve("prometheus.log");
            Process p = new ProcessBuilder(PROMETHEUS, "--config.file=" + config.toAbsolutePath(),
                    "--storage.tsdb.path=" + dir.resolve("data").toAbsolutePath(), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new Prometheus(p, port, log);
        }

        /** Waits until the instant query answers exactly one series; that series ({@code metric}, {@code value}). */
        Map<?, ?> awaitOne(String query, Duration timeout) throws IOException, InterruptedException {
            String url = "http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
            long deadline = System.nanoTime() + timeout.toNanos();
            String last = "(no answer)";
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("prometheus ended (" + process.exitValue() + "):\n" + Files.readString(log));
                }
                try {
                    HttpResponse<String> r = ConsoleProduct.get(ConsoleProduct.PLAIN, url);
                    last = r.statusCode() + " " + r.body();
                    if (r.statusCode() == 200) {
                        List<?> result = (List<?>) ((Map<?, ?>) Json.object(r.body()).get("data")).get("result");
                        if (result.size() == 1) {
                            return (Map<?, ?>) result.get(0);
                        }
                    }
                } catch (IOException notListeningYet) {
                    last = notListeningYet.toString();
                }
                Thread.sleep(200);
            }
            String targets;
            try {
                targets = ConsoleProduct.get(ConsoleProduct.PLAIN, "http://127.0.0.1:" + port + "/api/v1/targets").body();
            } catch (IOException e) {
                targets = e.toString();
            }
            throw new AssertionError("no series for " + query + " within " + timeout + "; last answer: " + last + "\ntargets: " + targets
                    + "\nprometheus:\n" + Files.readString(log));
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
