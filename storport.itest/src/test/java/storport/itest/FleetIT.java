package storport.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The fleet with real components (issue 16): Debian's Mosquitto with TLS, a password file and the
 * ACL of the README; two agents, each the real product without a console ({@code --no-shell --no-console}) on a
 * fixture root of its own; a console (the
 * one-shot launcher with STORPORT_FLEET_ROLE=console). The console lists both hosts and answers for
 * each through {@code host:NAME} exactly as the host answers locally; an agent cannot write into
 * another host's topics; a corrupt snapshot is refused and the host's last good one keeps serving; a
 * killed agent goes offline within the keep-alive window.
 */
public class FleetIT {
    static final Map<String, String> USERS = Map.of("alpha", "alpha-pw-17", "beta", "beta-pw-23", "console", "console-pw-42");
    static final int KEEP_ALIVE_SECONDS = 2;
    static final String CONSOLE_PASSWORD = "fleet-console-password-1";
    static final String MQ = "sys/devices/pci0000:00/0000:00:01.0/" + FixtureRoot.BDF + "/nvme/nvme0/nvme0n1/mq/";

    record Received(String topic, String payload, long nanos) {
    }

    @Test
    public void aConsoleHoldsEveryHostAndAnswersForEachAsItAnswersLocally() throws Exception {
        Path dir = StorportOptions.freshDir("FleetIT");
        try (Mosquitto broker = Mosquitto.start(dir.resolve("broker"), USERS)) {
            Path alphaRoot = FixtureRoot.create(dir.resolve("alpha-root"));
            Path betaRoot = FixtureRoot.create(dir.resolve("beta-root"));
            // beta's kernel put CPU 0 alone on queue 0: beta answers 1,2,2,2 where alpha answers 1,1,2,2
            Files.writeString(betaRoot.resolve(MQ + "0/cpu_list"), "0\n");
            Files.writeString(betaRoot.resolve(MQ + "1/cpu_list"), "1, 2, 3\n");
            Files.writeString(betaRoot.resolve("proc/irq/41/smp_affinity_list"), "0\n");
            Files.writeString(betaRoot.resolve("proc/irq/42/smp_affinity_list"), "1-3\n");

            ConcurrentLinkedQueue<Received> seen = new ConcurrentLinkedQueue<>();
            List<WebDriver> browsers = new java.util.ArrayList<>();
            List<MqttClient> eavesdroppers = new java.util.ArrayList<>();
            MqttClient eavesdropper = client(broker, "console", "itest-console");
            eavesdropper.subscribe("storport/v1/hosts/#", 1, (topic, message) -> seen.add(new Received(topic,
                    new String(message.getPayload(), StandardCharsets.UTF_8), System.nanoTime())));

            Map<String, String> liveConsole = new HashMap<>(console(broker));
            liveConsole.put("STORPORT_CONSOLE_PASSWORD", CONSOLE_PASSWORD);
            liveConsole.put("STORPORT_FLEET_HOST", "itest-live-console");
            try (ConsoleProduct alpha = ConsoleProduct.start(dir.resolve("alpha-home"), agent("alpha", alphaRoot, broker), "--no-shell", "--no-console");
                    ConsoleProduct beta = ConsoleProduct.start(dir.resolve("beta-home"), agent("beta", betaRoot, broker), "--no-shell", "--no-console");
                    ConsoleProduct live = ConsoleProduct.start(dir.resolve("live-console-home"), liveConsole, "--no-shell")) {
                // what each host answers locally, while the agents start
                String line = "storport:backend native ; storport:map nvme0 --json ; storport:msgid nvme0 1 ; storport:msgid nvme0 3";
                java.util.concurrent.CompletableFuture<String> alphaRun = java.util.concurrent.CompletableFuture.supplyAsync(() -> local(dir, "alpha", alphaRoot, line));
                List<String> betaLocal = lines(local(dir, "beta", betaRoot, line));
                List<String> alphaLocal = lines(alphaRun.join());
                assertEquals(List.of("1", "2"), alphaLocal.subList(2, 4));
                assertEquals(List.of("2", "2"), betaLocal.subList(2, 4));

                await(seen, r -> r.topic().equals("storport/v1/hosts/alpha/state"), "alpha's state", alpha);
                await(seen, r -> r.topic().equals("storport/v1/hosts/beta/state"), "beta's state", beta);

                Path consoleHome = dir.resolve("console-home");
                List<String> out = lines(ConsoleProduct.oneShot(consoleHome, console(broker),
                        "storport:hosts --json ; storport:backend host:alpha ; storport:map nvme0 --json ; storport:msgid nvme0 1 ; storport:msgid nvme0 3"
                                + " ; storport:backend host:beta ; storport:map nvme0 --json ; storport:msgid nvme0 1 ; storport:msgid nvme0 3"));
                JsonObject hosts = JsonParser.parseString(out.get(0)).getAsJsonObject();
                assertTrue(out.get(0), hosts.get("connection").getAsString().startsWith("connected to ssl://127.0.0.1:"));
                Map<String, JsonObject> byName = byName(hosts);
                assertEquals(out.get(0), List.of("alpha", "beta"), List.copyOf(byName.keySet()));
                for (JsonObject h : byName.values()) {
                    assertTrue(out.get(0), h.get("online").getAsBoolean());
                    assertEquals(out.get(0), "native", h.get("backend").getAsString());
                    assertEquals(out.get(0), 1, h.get("adapters").getAsInt());
                    assertFalse(out.get(0), h.get("lastSeen").isJsonNull());
                }
                assertEquals("backend: host:alpha", out.get(1));
                assertEquals("host:alpha answers as alpha does", alphaLocal.get(1).replace("\"backend\":\"native\"", "\"backend\":\"host:alpha\""), out.get(2));
                assertEquals(alphaLocal.subList(2, 4), out.subList(3, 5));
                assertEquals("backend: host:beta", out.get(5));
                assertEquals("host:beta answers as beta does", betaLocal.get(1).replace("\"backend\":\"native\"", "\"backend\":\"host:beta\""), out.get(6));
                assertEquals(betaLocal.subList(2, 4), out.subList(7, 9));

                assertEquals("beta's one queue for CPU 0 and three for the rest", Map.of("uneven", 1), codes(byName.get("beta")));
                assertEquals(Map.of(), codes(byName.get("alpha")));

                // the console's fleet page: sortable, filtered by finding code, a click shows that host's map
                String base = live.awaitConsole();
                WebDriver browser = browser(dir.resolve("chromium"));
                browsers.add(browser);
                try {
                    login(browser, base);
                    await(browser, "both hosts in the fleet panel", "return document.querySelectorAll('#sp-fleet-hosts tbody tr[data-host]').length == 2");
                    assertEquals(List.of("alpha", "beta"), hostRows(browser));
                    js(browser, "document.querySelector('#sp-fleet-hosts th[data-sort=host]').click()");
                    assertEquals("a second click on Host sorts descending", List.of("beta", "alpha"), hostRows(browser));
                    js(browser, "var s = document.getElementById('sp-fleet-code'); s.value = 'uneven'; s.dispatchEvent(new Event('change'))");
                    assertEquals(List.of("beta"), hostRows(browser));
                    js(browser, "var s = document.getElementById('sp-fleet-code'); s.value = ''; s.dispatchEvent(new Event('change'))");
                    js(browser, "document.querySelector('#sp-fleet-hosts tr[data-host=alpha]').click()");
                    await(browser, "alpha's heatmap", "var m = window.storportMap; return !!m && m.backend == 'host:alpha' && m.processors.length == 4");
                    assertEquals("host:alpha", js(browser, "return document.getElementById('sp-backend').textContent"));
                    await(browser, "alpha's row marked", "var r = document.querySelector('#sp-fleet-hosts tr.sp-selected'); return !!r && r.getAttribute('data-host') == 'alpha'");
                } catch (RuntimeException | AssertionError e) {
                    throw new AssertionError("console stderr:\n" + live.err(), e);
                }

                // agent alpha writing into beta's topics: the broker drops it (its own subtree still takes its messages)
                MqttClient intruder = client(broker, "alpha", "itest-intruder");
                intruder.publish("storport/v1/hosts/beta/state", "{\"forged\":true}".getBytes(StandardCharsets.UTF_8), 1, true);
                intruder.publish("storport/v1/hosts/beta/status", "offline".getBytes(StandardCharsets.UTF_8), 1, true);
                intruder.publish("storport/v1/hosts/alpha/probe", "after the forgeries".getBytes(StandardCharsets.UTF_8), 1, false);
                await(seen, r -> r.topic().equals("storport/v1/hosts/alpha/probe"), "alpha's probe in its own subtree", alpha);
                intruder.disconnect();
                assertFalse("a forged state reached a subscriber", seen.stream().anyMatch(r -> r.payload().contains("forged")));
                assertFalse("a forged status reached a subscriber",
                        seen.stream().anyMatch(r -> r.topic().equals("storport/v1/hosts/beta/status") && r.payload().equals("offline")));
                assertTrue(broker.log(), broker.log().contains("Denied PUBLISH from itest-intruder"));
                // and no password, no way in
                try {
                    clientWithPassword(broker, "beta", "wrong", "itest-guess");
                    fail("the broker took a wrong password");
                } catch (MqttException expected) {
                    assertTrue(String.valueOf(expected.getReasonCode()), expected.getReasonCode() == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                            || expected.getReasonCode() == MqttException.REASON_CODE_NOT_AUTHORIZED);
                }

                // a killed agent: its will marks it offline within the keep-alive window
                long killed = System.nanoTime();
                alpha.process.descendants().forEach(ProcessHandle::destroyForcibly);
                Received offline = await(seen, r -> r.nanos() > killed && r.topic().equals("storport/v1/hosts/alpha/status")
                        && r.payload().equals("offline"), "alpha offline", beta);
                long millis = TimeUnit.NANOSECONDS.toMillis(offline.nanos() - killed);
                System.out.println("FleetIT: alpha killed, offline after " + millis + " ms (keep-alive " + KEEP_ALIVE_SECONDS + " s)");
                assertTrue(millis + " ms", millis <= TimeUnit.SECONDS.toMillis(KEEP_ALIVE_SECONDS) * 3 / 2 + 1000);
                await(browser, "alpha offline on the fleet page", "var r = document.querySelector('#sp-fleet-hosts tr[data-host=alpha]');"
                        + " return !!r && r.cells[1].textContent == 'no'");
                assertEquals("yes", js(browser, "return document.querySelector('#sp-fleet-hosts tr[data-host=beta]').cells[1].textContent"));
                assertEquals("the offline host's map still answers", 4L, js(browser, "return window.storportMap.processors.length"));

                // a hung agent (or a cut network): its connection stays open, only the keep-alive finds it
                List<ProcessHandle> betaJvm = beta.process.descendants().filter(p -> p.info().command().orElse("").endsWith("java")).toList();
                assertEquals(1, betaJvm.size());
                long stopped = System.nanoTime();
                run("kill", "-STOP", String.valueOf(betaJvm.get(0).pid()));
                try {
                    // meanwhile (the keep-alive takes seconds): beta's own login publishing a corrupt snapshot (a broken
                    // agent) is refused, and beta's last good snapshot keeps serving a console that starts now
                    MqttClient broken = client(broker, "beta", "itest-broken-beta");
                    broken.publish("storport/v1/hosts/beta/snapshot", "not an archive".getBytes(StandardCharsets.UTF_8), 1, true);
                    await(seen, r -> r.topic().equals("storport/v1/hosts/beta/snapshot") && r.payload().equals("not an archive"), "the corrupt snapshot", beta);
                    broken.disconnect();
                    out = lines(ConsoleProduct.oneShot(consoleHome, console(broker), "storport:hosts --json ; storport:backend host:beta ; storport:msgid nvme0 1"));
                    JsonObject betaNow = byName(JsonParser.parseString(out.get(0)).getAsJsonObject()).get("beta");
                    assertTrue(out.get(0), betaNow.get("refused").getAsString().contains("cannot accept the snapshot of host beta"));
                    assertEquals("beta's last good snapshot answers", List.of("backend: host:beta", "2"), out.subList(1, 3));

                    Received silent = await(seen, r -> r.nanos() > stopped && r.topic().equals("storport/v1/hosts/beta/status")
                            && r.payload().equals("offline"), "beta offline", beta);
                    long silentMillis = TimeUnit.NANOSECONDS.toMillis(silent.nanos() - stopped);
                    System.out.println("FleetIT: beta stopped (SIGSTOP), offline after " + silentMillis + " ms");
                    // the broker gives 1.5 keep-alives from the last packet it had (sent up to one keep-alive before the stop),
                    // counted in whole seconds (up to 1 s more), and Mosquitto 2.0 looks at keep-alives only when more than
                    // 5 whole seconds passed since its last look (src/keepalive.c: "last_keepalive_check + 5 < db.now_s"),
                    // so up to 6 s more: at most 1.5 keep-alives + 7 s after the stop (seen: 3.8 to 7.4 s)
                    long keepAlive = TimeUnit.SECONDS.toMillis(KEEP_ALIVE_SECONDS);
                    assertTrue(silentMillis + " ms", silentMillis >= keepAlive / 2 && silentMillis <= keepAlive * 3 / 2 + 7500);
                } finally {
                    run("kill", "-CONT", String.valueOf(betaJvm.get(0).pid()));
                }
                await(browser, "beta back online after SIGCONT (it reconnected)", "var r = document.querySelector('#sp-fleet-hosts tr[data-host=beta]');"
                        + " return !!r && r.cells[1].textContent == 'yes'");

                // a broker outage that loses every retained message: beta republishes when it is back, the console resubscribes
                eavesdropper.disconnectForcibly(0, 1000, false);
                broker.restart();
                seen.clear();
                MqttClient after = client(broker, "console", "itest-console-after");
                eavesdroppers.add(after);
                after.subscribe("storport/v1/hosts/#", 1, (topic, message) -> seen.add(new Received(topic,
                        new String(message.getPayload(), StandardCharsets.UTF_8), System.nanoTime())));
                await(seen, r -> r.topic().equals("storport/v1/hosts/beta/snapshot"), "beta's snapshot again after the broker's restart", beta);
                await(seen, r -> r.topic().equals("storport/v1/hosts/beta/status") && r.payload().equals("online"), "beta online again", beta);
                await(browser, "the console connected again", "return document.getElementById('sp-fleet-note').textContent.indexOf('broker: connected') >= 0");
            } finally {
                browsers.forEach(WebDriver::quit);
                eavesdroppers.add(eavesdropper);
                for (MqttClient c : eavesdroppers) {
                    if (c.isConnected()) {
                        c.disconnect();
                    }
                    c.close();
                }
            }
        }
    }

    private static String local(Path dir, String host, Path root, String line) {
        try {
            return ConsoleProduct.oneShot(dir.resolve(host + "-local"), Map.of("STORPORT_NATIVE_ROOT", root.toString()), line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Map<String, String> agent(String host, Path root, Mosquitto broker) {
        Map<String, String> env = new HashMap<>(fleet(broker, host));
        env.put("STORPORT_FLEET_HOST", host);
        env.put("STORPORT_NATIVE_ROOT", root.toString());
        return env;
    }

    private static Map<String, String> console(Mosquitto broker) {
        Map<String, String> env = new HashMap<>(fleet(broker, "console"));
        env.put("STORPORT_FLEET_ROLE", "console");
        env.put("STORPORT_FLEET_HOST", "itest-console");
        return env;
    }

    private static Map<String, String> fleet(Mosquitto broker, String user) {
        return Map.of("STORPORT_FLEET", broker.uri(), "STORPORT_FLEET_USER", user, "STORPORT_FLEET_PASSWORD", USERS.get(user),
                "STORPORT_FLEET_CA", broker.ca.toString(), "STORPORT_FLEET_KEEPALIVE", String.valueOf(KEEP_ALIVE_SECONDS));
    }

    private static MqttClient client(Mosquitto broker, String user, String id) throws MqttException {
        return clientWithPassword(broker, user, USERS.get(user), id);
    }

    private static MqttClient clientWithPassword(Mosquitto broker, String user, String password, String id) throws MqttException {
        MqttClient c = new MqttClient(broker.uri(), id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(user);
        o.setPassword(password.toCharArray());
        o.setSSLProperties(broker.tls());
        o.setCleanSession(true);
        c.connect(o);
        return c;
    }

    private static Received await(ConcurrentLinkedQueue<Received> seen, Predicate<Received> wanted, String what, ConsoleProduct product)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            for (Received r : seen) {
                if (wanted.test(r)) {
                    return r;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + what + " on the broker; seen " + seen.stream().map(Received::topic).toList() + "\nstderr:\n" + product.err());
    }

    private static Map<String, JsonObject> byName(JsonObject hosts) {
        Map<String, JsonObject> byName = new java.util.TreeMap<>();
        hosts.getAsJsonArray("hosts").forEach(h -> byName.put(h.getAsJsonObject().get("host").getAsString(), h.getAsJsonObject()));
        return byName;
    }

    private static Map<String, Integer> codes(JsonObject host) {
        Map<String, Integer> codes = new java.util.TreeMap<>();
        host.getAsJsonObject("codes").entrySet().forEach(e -> codes.put(e.getKey(), e.getValue().getAsInt()));
        return codes;
    }

    private static WebDriver browser(Path profile) throws Exception {
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(System.getProperty("chromedriver.binary")))
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("chromium.binary"));
        Files.createDirectories(profile);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions", "--window-size=1400,1000",
                "--user-data-dir=" + profile);
        ChromeDriver d = new ChromeDriver(service, options);
        d.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return d;
    }

    private static void login(WebDriver d, String base) {
        d.get(base + "/system/console/storport");
        d.findElement(By.id("password")).sendKeys(CONSOLE_PASSWORD);
        d.findElement(By.id("login-submit")).click();
        await(d, "the drawn page", "return !!(window.storportMap && window.storportMap.ready)");
    }

    private static List<String> hostRows(WebDriver d) {
        return ((List<?>) js(d, "return Array.from(document.querySelectorAll('#sp-fleet-hosts tbody tr[data-host]')).map(r => r.getAttribute('data-host'))"))
                .stream().map(String::valueOf).toList();
    }

    private static Object js(WebDriver d, String script) {
        return ((JavascriptExecutor) d).executeScript(script);
    }

    private static void await(WebDriver d, String what, String script) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Boolean.TRUE.equals(js(d, script))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " in the browser: " + js(d, "return document.getElementById('storport') ?"
                        + " document.getElementById('storport').innerText.slice(0, 2000) : document.body.innerText.slice(0, 2000)"));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertTrue(String.join(" ", command), p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0);
    }

    private static List<String> lines(String out) {
        return List.of(out.split("\n"));
    }
}
