package storport.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.Test;

/**
 * The bad-input catalogue (RELIABILITY.md) against the product as a user runs it: the
 * {@code ./storport} launcher as separate processes. Every command with bad arguments, one-shot
 * and in the interactive Gogo shell, answers with its one status line and never a stack frame;
 * the console's HTTP endpoints answer bad requests with a JSON status; afterwards the same
 * persisted state answers as before.
 */
public class BadInputLauncherIT {
    private static final String P = "STOR_STATUS_INVALID_PARAMETER: ";

    /** A bad line for every command, and the one line a one-shot run prints on stderr for it. */
    static final String[][] ONE_SHOT = {
        { "storport:msgid nvme0 abc", P + "processor index 'abc' is not a number" },
        { "storport:msgid nvme0 80", P + "processor index 80 is outside 0..79" },
        { "storport:msgid nope 0", P + "unknown adapter 'nope' on backend sim (adapters: nvme0, sas0)" },
        { "storport:msgid nvme0", P + "msgid does not take these arguments; see: help msgid" },
        { "storport:map --xml nvme0", P + "map does not take these arguments; see: help map" },
        { "storport:messages nope", P + "unknown adapter 'nope' on backend sim (adapters: nvme0, sas0)" },
        { "storport:adapters --bogus", P + "adapters does not take these arguments; see: help adapters" },
        { "storport:topology extra", P + "topology does not take these arguments; see: help topology" },
        { "storport:backend nope", P + "unknown backend 'nope' (available: native, sim)" },
        { "storport:sim-host core:-3", P + "host spec 'core:-3': count of core must be at least 1, not -3" },
        { "storport:sim-adapter nvme0 --messages 0", P + "adapter nvme0: 0 messages is outside 1..2048" },
        { "storport:sim-remove nope", P + "no simulated adapter 'nope' (adapters: nvme0, sas0)" },
        { "storport:refresh now", P + "refresh does not take these arguments; see: help refresh" },
        { "storport:capture /nonexistent-folder/x.tar.gz", P + "the folder of /nonexistent-folder/x.tar.gz does not exist" },
        { "storport:sim-replay x /nonexistent-folder/x.tar.gz", P + "cannot replay /nonexistent-folder/x.tar.gz: no such file" },
        { "storport:nope", "Command not found: storport:nope" },
    };

    private static final Pattern CONSOLE = Pattern.compile("storport console: (http://[0-9.]+:\\d+)/system/console/storport \\(user admin\\)");

    record Run(int exit, String out, String err) {
    }

    private static Run oneShot(Path home, String line) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(System.getProperty("storport.launcher"), line);
        pb.environment().put("STORPORT_HOME", home.toString());
        pb.environment().remove("STORPORT_NATIVE_ROOT");
        Path out = Files.createTempFile("storport", ".out");
        Path err = Files.createTempFile("storport", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("storport '" + line + "' did not finish");
        }
        // the launcher's own notice when it rebuilds a stale jar first is no answer to the line
        String errText = Files.readString(err).replaceAll("(?m)^storport: building the product .*\n", "");
        Run r = new Run(p.exitValue(), Files.readString(out), errText);
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    static void assertNoTrace(String what, String text) {
        assertFalse(what + " leaks a stack frame: " + text, text.matches("(?s).*\\bat [\\w$.]+\\(.*"));
        assertFalse(what + " leaks a cause: " + text, text.contains("Caused by"));
    }

    /** What the persisted state answers. */
    private static String state(Path home) throws Exception {
        Run r = oneShot(home, "storport:adapters --json ; storport:sim-host ; storport:backend ; storport:msgid nvme0 5 ; storport:msgid sas0 17");
        assertEquals(r.err, 0, r.exit);
        return r.out;
    }

    @Test
    public void oneShotRunsOfEveryCommandWithBadArgumentsPrintOneStatusLine() throws Exception {
        Path home = StorportOptions.freshDir("BadInputLauncherIT-oneshot");
        String before = state(home);
        // Two runs at a time (each a JVM start): the bad lines alternate between the home and a copy of it as it was
        // before them, and each home answers as before afterwards.
        Path copy = StorportOptions.freshDir("BadInputLauncherIT-oneshot-copy");
        try (java.util.stream.Stream<Path> walk = Files.walk(home)) {
            for (Path f : walk.toList()) {
                Files.copy(f, copy.resolve(home.relativize(f).toString()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        List<Path> homes = List.of(home, copy);
        java.util.concurrent.ExecutorService lanes = java.util.concurrent.Executors.newFixedThreadPool(homes.size());
        try {
            List<java.util.concurrent.Future<String>> states = new ArrayList<>();
            for (int lane = 0; lane < homes.size(); lane++) {
                Path laneHome = homes.get(lane);
                int first = lane;
                states.add(lanes.submit(() -> {
                    for (int i = first; i < ONE_SHOT.length; i += homes.size()) {
                        String[] c = ONE_SHOT[i];
                        Run r = oneShot(laneHome, c[0]);
                        assertEquals(c[0] + ": " + r.err, 1, r.exit);
                        assertEquals(c[0] + " prints nothing on stdout", "", r.out);
                        assertEquals(c[0], c[1] + "\n", r.err);
                        assertNoTrace(c[0], r.err);
                    }
                    return state(laneHome);
                }));
            }
            for (int lane = 0; lane < homes.size(); lane++) {
                String after;
                try {
                    after = states.get(lane).get(10, TimeUnit.MINUTES);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof AssertionError failed) {
                        throw failed;
                    }
                    throw e;
                }
                assertEquals("the persisted state answers as before in " + homes.get(lane), before, after);
            }
        } finally {
            lanes.shutdownNow();
        }
    }

    /**
     * The interactive shell (what {@code ./storport} opens) reads every bad line, answers each with
     * Gogo's one {@code gogo: <class>: <message>} line and goes on; the good lines after them answer;
     * the console it serves meanwhile answers bad HTTP requests with a JSON status and no trace.
     */
    @Test
    public void theInteractiveShellAndTheConsoleAnswerBadInputWithoutATrace() throws Exception {
        Path home = StorportOptions.freshDir("BadInputLauncherIT-interactive");
        String password = "bad-input-" + System.nanoTime();
        List<String> bad = new ArrayList<>();
        for (String[] c : ONE_SHOT) {
            bad.add(c[0]);
        }
        bad.addAll(List.of("storport:msgid nvme0 -1", "storport:msgid nvme0 99999999999", "storport:msgid nvme0 0 1", "storport:map nope",
                "storport:backend sim extra", "storport:sim-host \"\"", "storport:sim-host l3:2", "storport:sim-adapter x --messages 4 --first 4",
                "storport:sim-adapter x --messages 4 --policy nope", "storport:sim-adapter x --messages 4 --node 7",
                "storport:sim-adapter nvme0 --bogus 3", "storport:sim-adapter newone", "storport:sim-remove", "storport:sim-replay x"));
        try (ConsoleProduct product = ConsoleProduct.start(home, Map.of("STORPORT_CONSOLE_PASSWORD", password))) {
            // interactive, the announcement may follow the first prompt ("g! storport console: ...")
            String base = product.await(CONSOLE, Duration.ofSeconds(180)).group(1);
            String api = base + "/system/console/storport/api/";
            String auth = ConsoleProduct.basic("admin", password);

            // the console: bad requests get a JSON status, never the container's error page
            HttpResponse<String> r = ConsoleProduct.get(ConsoleProduct.PLAIN, api + "adapters");
            assertEquals(401, r.statusCode());
            assertTrue(r.body(), r.body().startsWith("{\"status\":\"STOR_STATUS_ACCESS_DENIED\""));
            r = ConsoleProduct.get(ConsoleProduct.PLAIN, api + "adapters", "Authorization", ConsoleProduct.basic("admin", "admin"));
            assertEquals("the Web Console's default admin/admin is no login", 401, r.statusCode());
            r = ConsoleProduct.get(ConsoleProduct.PLAIN, api + "msgid/nvme0/abc", "Authorization", auth);
            assertEquals(200, r.statusCode());
            assertTrue(r.body(), r.body().contains("\"error\":\"" + P + "processor index 'abc' is not a number\""));
            r = ConsoleProduct.get(ConsoleProduct.PLAIN, api + "map/nope", "Authorization", auth);
            assertEquals(404, r.statusCode());
            assertTrue(r.body(), r.body().contains("\"error\":\"" + P + "unknown adapter 'nope' on backend sim (adapters: nvme0, sas0)\""));
            for (String[] post : new String[][] { { base + "/system/console/login", "username=admin&password=%ff" },
                { api + "backend", "name=%ff" } }) {
                r = ConsoleProduct.post(ConsoleProduct.PLAIN, post[0], post[1], "Authorization", auth, "Origin", base);
                assertEquals(post[0] + ": " + r.body(), 400, r.statusCode());
                assertEquals(post[0], "{\"status\":\"STOR_STATUS_INVALID_PARAMETER\",\"code\":\"0xC1000006\",\"reason\":\"the request's "
                        + "parameters are not valid URL-encoded UTF-8\",\"error\":\"" + P + "the request's parameters are not valid "
                        + "URL-encoded UTF-8\"}\n", r.body());
                assertNoTrace(post[0], r.body());
            }
            r = ConsoleProduct.post(ConsoleProduct.PLAIN, api + "backend", "name=nope", "Authorization", auth, "Origin", "http://evil.example");
            assertEquals(403, r.statusCode());
            r = ConsoleProduct.post(ConsoleProduct.PLAIN, api + "backend", "name=native", "Authorization", auth, "Origin", base);
            assertEquals("no CSRF token", 403, r.statusCode());
            r = ConsoleProduct.get(ConsoleProduct.PLAIN, api + "msgid/nvme0/5", "Authorization", auth);
            assertTrue("the console still answers: " + r.body(), r.body().contains("\"status\":\"STOR_STATUS_SUCCESS\""));

            // the shell: every bad line, then good ones
            StringBuilder input = new StringBuilder();
            for (String line : bad) {
                input.append(line).append('\n');
            }
            input.append("storport:msgid nvme0 5\nstorport:msgid sas0 17\n");
            product.stdin.write(input.toString().getBytes(StandardCharsets.UTF_8));
            product.stdin.close();
            assertTrue("the shell ends at the end of its input", product.process.waitFor(120, TimeUnit.SECONDS));
            assertEquals(product.err(), 0, product.process.exitValue());
            String out = product.out();
            String err = product.err();
            assertNoTrace("the interactive shell's stdout", out);
            assertNoTrace("the interactive shell's stderr", err);
            // Gogo's JLine shell prints a failure's toString(): storport's is the status line alone, Gogo's own
            // failures (a wrong argument count, an unknown command) keep their class name; one line each
            List<String> lines = out.lines().map(l -> l.replaceFirst("^(g! )+", "")).toList();
            long answered = lines.stream().filter(l -> l.matches("STOR_STATUS_[A-Z_]+: .+|[\\w.]+(Exception|Error): .+")).count();
            assertEquals("one failure line per bad line:\n" + out, bad.size(), answered);
            for (String[] c : ONE_SHOT) {
                // the interactive shell prints Gogo's own words for a wrong argument count; the rest as one-shot
                if (!c[1].contains("does not take these arguments")) {
                    assertTrue(c[0] + " answered in the shell: " + out, lines.contains(c[1]) || lines.stream().anyMatch(l -> l.endsWith(": " + c[1])));
                }
            }
            assertTrue("a good line after them answers: " + out, out.contains("g! 18\n"));
            assertTrue("a good line after them answers: " + out, out.contains("g! 1\n"));
            System.out.println("BadInputLauncherIT interactive session:\n" + out);
        }
    }
}
