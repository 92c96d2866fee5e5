package storport.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.Test;

/**
 * Crash safety (issue 6, part 4): the real launcher runs one-shot lines that change the simulator's
 * configuration and the backend choice, and the JVM itself (found under the launcher's bash) is
 * killed with SIGKILL after a seeded random delay, at least {@code crash.kills} (default 50) times.
 *
 * <p>Each run first reads the state back (backend choice, simulated host, simulated adapters), which
 * checks the previous kill, then makes ten changes with increasing values, so every state after a
 * prefix of them differs from every other. After a kill that came when {@code k} changes had printed
 * their output, the next run must start and read back exactly the state after {@code k} changes
 * ("old": the change in flight had not been persisted) or after {@code k + 1} ("new": it was persisted
 * but not yet printed), never an earlier state (a change that had returned was lost) nor one outside
 * the sequence (corrupt); every configuration file in {@code STORPORT_HOME} must be one Config Admin
 * reads completely, and the next start must resolve Config Admin's temporary files. {@code -Dcrash.seed=N} repeats the delays of a run (the process timing around
 * them still varies).
 */
public class CrashSafetyIT {
    /** The read-back: what is chosen and configured, then the simulator's adapters (the switch to sim shows them). */
    private static final String READBACK = "storport:backend ; storport:sim-host ; storport:backend sim ; storport:adapters --json";
    private static final Pattern HOST_SPEC = Pattern.compile("[a-z]+:\\d+( [a-z]+:\\d+)*");
    /** One line of a Felix Config Admin file: key = optional type letter + quoted value, array or collection. */
    private static final Pattern CONFIG_LINE = Pattern.compile("[^=\\s]+=[TIiLlFfDdXxSsCcBbZz]?(\".*\"|\\[.*\\]|\\(.*\\))");
    /** What Felix's FilePersistenceManager leaves when killed between writing a new file and renaming it into place. */
    private static final Pattern CONFIG_TEMP = Pattern.compile(".*\\.config\\d*\\.tmp");

    /** The state the read-back shows: preferred backend, host spec, simulated adapter -> messages. */
    record State(String backend, String host, Map<String, Integer> adapters) {
        State backend(String b) {
            return new State(b, host, adapters);
        }

        State host(String h) {
            return new State(backend, h, adapters);
        }

        State put(String adapter, int messages) {
            Map<String, Integer> a = new TreeMap<>(adapters);
            a.put(adapter, messages);
            return new State(backend, host, Map.copyOf(a));
        }

        State remove(String adapter) {
            Map<String, Integer> a = new TreeMap<>(adapters);
            a.remove(adapter);
            return new State(backend, host, Map.copyOf(a));
        }
    }

    /** One command of a run's line, what it does to the state, and the output line that shows it is done. */
    record Change(String command, UnaryOperator<State> apply, Predicate<String> done) {
    }

    private final java.util.Set<String> others = new java.util.TreeSet<>();
    private Path home;
    private Path product;
    private Path root;
    private int value; // increases with every value a change sets

    @Test
    public void everyKillLeavesTheOldOrTheNewStateAndTheProductStarts() throws Exception {
        int kills = Integer.getInteger("crash.kills", 50);
        String seedProperty = System.getProperty("crash.seed", "");
        long seed = seedProperty.isBlank() ? new Random().nextLong() : Long.parseLong(seedProperty.trim());
        System.out.println("crash seed: " + seed + " (repeat with -Dcrash.seed=" + seed + ")");
        Random random = new Random(seed);
        Path base = StorportOptions.freshDir("CrashSafetyIT");
        home = base.resolve("home");
        root = FixtureRoot.create(base.resolve("root"));
        product = stageProduct(base.resolve("product"));

        // Three runs are not killed: they check the line works and measure how long its ten changes take.
        List<Long> calibration = new ArrayList<>();
        List<State> expected = null;
        List<Change> changes = null;
        for (int round = -2; round <= 0; round++) {
            changes = changes();
            Run run = new Run(READBACK + " ; " + line(changes));
            State before = run.readBack();
            if (expected != null) {
                assertEquals("a run that was not killed left the state after all its changes", expected.get(expected.size() - 1), before);
            }
            assertEquals("an unkilled run: " + run.err(), 0, run.waitFor(120));
            expected = states(before.backend("sim"), changes);
            assertEquals("every change printed its output: " + run.out(), changes.size(), run.completed(changes));
            calibration.add(run.changeNanos(changes) / 1_000_000);
        }
        // kills spread uniformly over the changes, and a little beyond (the JVM's exit)
        long changeMillis = calibration.stream().sorted().toList().get(1) * 11 / 10 + 1;

        int killed = 0;
        int finishedFirst = 0;
        int old = 0;
        int fresh = 0;
        int afterAll = 0;
        int interrupted = 0; // kills that left a Config Admin temporary file: inside a write
        List<String> failures = new ArrayList<>();
        List<String> log = new ArrayList<>();
        int completedBefore = changes.size();
        boolean afterKill = false;
        for (int round = 1; killed < kills && round <= kills * 2; round++) {
            List<Change> next = changes();
            Run run = new Run(READBACK + " ; " + line(next));
            State seen;
            try {
                seen = run.readBack();
            } catch (AssertionError e) {
                failures.add("round " + round + ": the product did not start and read back: " + e.getMessage());
                run.kill();
                break;
            }
            String verdict = judge(seen, expected, completedBefore);
            if (verdict == null || verdict.equals("lost")) {
                failures.add("round " + round + ": after " + completedBefore + " of " + (expected.size() - 1) + " changes the state is "
                        + seen + ", neither " + expected.get(completedBefore) + " nor "
                        + expected.get(Math.min(completedBefore + 1, expected.size() - 1))
                        + (verdict == null ? ": corrupt, no state of the sequence" : ": the state after " + expected.indexOf(seen)
                        + " changes, so an acknowledged change was lost"));
            } else if (afterKill && verdict.equals("old")) {
                old++;
            } else if (afterKill) {
                fresh++;
            }
            long delay = (long) (random.nextDouble() * changeMillis);
            Thread.sleep(Math.max(0, delay - (System.nanoTime() - run.readBackNanos()) / 1_000_000));
            boolean wasKilled = run.kill();
            int done = run.completed(next);
            afterKill = wasKilled;
            if (wasKilled) {
                killed++;
                afterAll += done == next.size() ? 1 : 0;
            } else {
                finishedFirst++;
            }
            List<String> bad = unreadableFiles();
            int temps = countTemp();
            interrupted += temps > 0 ? 1 : 0;
            if (!bad.isEmpty()) {
                failures.add("round " + round + ": unreadable in STORPORT_HOME: " + bad);
            }
            log.add(String.format("round %d: started and read back the %s state; %s %d ms after the read-back with %d of %d changes"
                    + " printed%s", round, verdict == null ? "corrupt" : verdict, wasKilled ? "SIGKILL" : "no kill (the run had ended)", delay, done, next.size(),
                    temps > 0 ? ", inside a Config Admin write (" + temps + " temporary file)" : ""));
            expected = states(seen.backend("sim"), next);
            completedBefore = done;
        }
        Run last = new Run(READBACK);
        State seen = last.readBack();
        assertEquals(last.err(), 0, last.waitFor(60));
        int unresolved = countTemp();
        String verdict = judge(seen, expected, completedBefore);
        if (verdict == null || verdict.equals("lost")) {
            failures.add("last read-back: " + seen + " after " + completedBefore + " changes, neither old nor new (" + verdict + ")");
        } else if (afterKill && verdict.equals("old")) {
            old++;
        } else if (afterKill) {
            fresh++;
        }

        String summary = String.format("crash safety (seed %d): %d SIGKILLs of the JVM (%d after all ten changes), %d runs finished"
                + " before their kill; state after restart: %d old, %d new, %d neither (%d of them an acknowledged change lost); %d kills inside a Config Admin write (temporary"
                + " file left), %d such files left after the last start; %d unreadable files; %d failures; kills spread over %d ms after"
                + " the read-back; other files: %s", seed, killed, afterAll, finishedFirst, old, fresh,
                failures.stream().filter(f -> f.contains("neither")).count(), failures.stream().filter(f -> f.contains("was lost")).count(),
                interrupted, unresolved,
                failures.stream().filter(f -> f.contains("unreadable")).count(), failures.size(), changeMillis, others);
        System.out.println(String.join("\n", log));
        System.out.println(summary);
        Files.writeString(Path.of(System.getProperty("storport.itest.dir", "target/itest"), "CrashSafetyIT-summary.txt"),
                summary + "\n" + String.join("\n", log) + "\n" + String.join("\n", failures) + "\n");
        assertEquals("failures:\n" + String.join("\n", failures), 0, failures.size());
        assertTrue("at least " + kills + " kills: " + summary, killed >= kills);
        assertEquals("a read-back after every kill: " + summary, killed, old + fresh);
        assertEquals("the start resolves the temporary files of interrupted writes: " + summary, 0, unresolved);
    }

    /**
     * The narrowest window, which random kills seldom hit: Felix Config Admin writes {@code
     * host.configDIGITS.tmp}, deletes {@code host.config}, then renames. A SIGKILL between the delete
     * and the rename leaves exactly these files (reproduced with {@code strace -e
     * inject=rename:delay_enter=...} and a kill, see RELIABILITY); made here directly. The next start
     * must read the new host, not the simulator's defaults.
     */
    @Test
    public void aKillBetweenConfigAdminsDeleteAndRenameKeepsTheNewState() throws Exception {
        Path base = StorportOptions.freshDir("CrashSafetyIT-window");
        home = base.resolve("home");
        root = FixtureRoot.create(base.resolve("root"));
        product = stageProduct(base.resolve("product"));
        Run set = new Run("storport:sim-host node:2 core:5 pu:2 ; storport:backend native");
        assertEquals(set.err(), 0, set.waitFor(120));
        Path host = home.resolve("config/storport/sim/host.config");
        String written = Files.readString(host);
        assertTrue(written, written.contains("spec=") && written.contains("core:5")); // Felix escapes the spaces
        Files.writeString(host.resolveSibling("host.config8093424811.tmp"), written.replace("core:5", "core:6"));
        Files.delete(host);
        Run after = new Run(READBACK);
        State seen = after.readBack();
        assertEquals(after.err(), 0, after.waitFor(60));
        assertEquals("the interrupted write completed at the start", "node:2 core:6 pu:2", seen.host());
        assertEquals("the other configurations untouched", "native", seen.backend());
        assertEquals(Map.of("nvme0", 33, "sas0", 16), seen.adapters());
        assertEquals("no temporary file left", 0, countTemp());
        assertTrue(Files.exists(host));
    }

    /**
     * "old" (the state after the k changes that printed their output), "new" (after k + 1: the change
     * in flight was persisted), "lost" (after fewer than k: a change that had printed its output, so
     * had returned to its caller, was not persisted), or null when it is no state of the sequence.
     */
    private static String judge(State seen, List<State> expected, int k) {
        if (seen.equals(expected.get(k))) {
            return "old";
        }
        if (k + 1 < expected.size() && seen.equals(expected.get(k + 1))) {
            return "new";
        }
        return expected.subList(0, k).contains(seen) ? "lost" : null;
    }

    /** Ten changes: three of adapter crash, two new host specs, one adapter made and removed, three switches. */
    private List<Change> changes() {
        String churn = "churn" + value;
        int m1 = 2 + value++;
        int c1 = 1 + value++;
        int m2 = 2 + value++;
        int c2 = 1 + value++;
        int m3 = 2 + value++;
        return List.of(
                adapter("crash", m1, "round-robin"),
                backend("native"),
                host("node:2 core:" + c1 + " pu:2"),
                adapter(churn, 3, "single"),
                adapter("crash", m2, "round-robin"),
                backend("sim"),
                new Change("storport:sim-remove " + churn, s -> s.remove(churn), l -> l.equals("removed: " + churn)),
                host("node:2 core:" + c2 + " pu:2"),
                adapter("crash", m3, "round-robin"),
                backend("native"));
    }

    private static Change adapter(String name, int messages, String policy) {
        // the table row: ID ALIASES NODE MESSAGES ...
        Pattern row = Pattern.compile(Pattern.quote(name) + "\\s+\\S+\\s+\\d+\\s+" + messages + "\\s.*");
        return new Change("storport:sim-adapter " + name + " --messages " + messages + " --policy " + policy,
                s -> s.put(name, messages), l -> row.matcher(l).matches());
    }

    private static Change backend(String name) {
        return new Change("storport:backend " + name, s -> s.backend(name), l -> l.equals("backend: " + name));
    }

    private static Change host(String spec) {
        return new Change("storport:sim-host " + spec, s -> s.host(spec), l -> l.equals(spec));
    }

    private static String line(List<Change> changes) {
        return String.join(" ; ", changes.stream().map(Change::command).toList());
    }

    /** The state after 0, 1, ... n changes. */
    private static List<State> states(State start, List<Change> changes) {
        List<State> out = new ArrayList<>(List.of(start));
        for (Change c : changes) {
            out.add(c.apply().apply(out.get(out.size() - 1)));
        }
        return out;
    }

    /** Files in STORPORT_HOME that Config Admin could not read completely (temp files aside, which it never reads). */
    private List<String> unreadableFiles() throws IOException {
        List<String> bad = new ArrayList<>();
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (CONFIG_TEMP.matcher(name).matches()) {
                    continue;
                }
                if (!name.endsWith(".config")) {
                    others.add(home.relativize(f).toString()); // not storport's to judge here: listed in the summary
                    continue;
                }
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                boolean pid = false;
                for (String l : lines) {
                    if (!CONFIG_LINE.matcher(l).matches()) {
                        bad.add(home.relativize(f) + ": '" + l + "'");
                    }
                    pid |= l.startsWith("service.pid=");
                }
                if (!pid) {
                    bad.add(home.relativize(f) + " has no service.pid (" + lines.size() + " lines)");
                }
            }
        }
        return bad;
    }

    private int countTemp() throws IOException {
        try (Stream<Path> files = Files.walk(home)) {
            return (int) files.filter(f -> CONFIG_TEMP.matcher(f.getFileName().toString()).matches()).count();
        }
    }

    /**
     * A private copy of the launcher and the product's jars (storport.jar, and storport-cli.jar where
     * the build makes it), laid out as in the workspace with stand-ins for the sources older than the
     * jars: the launcher rebuilds when a source is newer, and another build in the workspace must not
     * swap a jar mid-test. {@code STORPORT_JARS} (see {@link Run}) points a launcher that knows it at
     * the same copies.
     */
    private static Path stageProduct(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("storport.app/target"));
        FileTime old = FileTime.fromMillis(0);
        for (String f : List.of("pom.xml", "bnd.bnd")) {
            Files.setLastModifiedTime(Files.writeString(dir.resolve(f), ""), old);
        }
        for (String d : List.of("cnf", "storport.api", "storport.linux", "storport.capture", "storport.select", "storport.sim",
                "storport.native", "storport.shell", "storport.console", "storport.terminal", "storport.gosh", "storport.view")) {
            Files.setLastModifiedTime(Files.createDirectories(dir.resolve(d)), old);
        }
        Path launcher = dir.resolve("storport");
        Files.copy(Path.of(System.getProperty("storport.launcher")), launcher, StandardCopyOption.COPY_ATTRIBUTES);
        Path jar = Path.of(System.getProperty("storport.jar"));
        try (Stream<Path> jars = Files.list(jar.getParent())) {
            for (Path j : jars.filter(j -> j.getFileName().toString().matches("storport(-cli)?\\.jar")).toList()) {
                Files.copy(j, dir.resolve("storport.app/target").resolve(j.getFileName()));
            }
        }
        return launcher;
    }

    /** One run of the launcher with a Gogo line; its output read as it comes. */
    private final class Run {
        private final Process bash;
        private final List<String> lines = new ArrayList<>();
        private final List<Long> arrivals = new ArrayList<>(); // System.nanoTime() when each line came
        private final Thread reader;
        private final Path err;

        Run(String line) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(product.toString(), line);
            pb.environment().put("STORPORT_HOME", home.toString());
            pb.environment().put("STORPORT_NATIVE_ROOT", root.toString());
            pb.environment().put("STORPORT_JARS", product.resolveSibling("storport.app/target").toString());
            err = Files.createTempFile(home.getParent(), "run", ".err");
            pb.redirectError(err.toFile());
            bash = pb.start();
            bash.getOutputStream().close();
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(bash.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null;) {
                        synchronized (lines) {
                            lines.add(l);
                            arrivals.add(System.nanoTime());
                            lines.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the process is gone
                }
            }, "crash-run-output");
            reader.start();
        }

        /** Waits for the read-back's last line and parses it; fails when the run ends or 60 s pass first. */
        State readBack() throws Exception {
            long deadline = System.currentTimeMillis() + 60_000;
            synchronized (lines) {
                while (lines.stream().noneMatch(l -> l.startsWith("{"))) {
                    long left = deadline - System.currentTimeMillis();
                    if (left <= 0 || !reader.isAlive() && lines.stream().noneMatch(l -> l.startsWith("{"))) {
                        throw new AssertionError("no read-back; output: " + lines + "; errors: " + err());
                    }
                    lines.wait(Math.min(left, 100));
                }
                String preferred = null;
                String active = null;
                String host = null;
                for (String l : lines) {
                    if (l.contains("preferred")) {
                        preferred = l.substring(1).trim().split("\\s+")[0];
                    }
                    if (l.startsWith("*")) {
                        active = l.substring(1).trim().split("\\s+")[0];
                    }
                    if (host == null && HOST_SPEC.matcher(l).matches()) {
                        host = l;
                    }
                }
                assertEquals("the chosen backend is the active one after the start: " + lines, preferred, active);
                Map<String, Integer> adapters = new TreeMap<>();
                String json = lines.stream().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
                for (Object o : (List<?>) Json.object(json).get("adapters")) {
                    Map<?, ?> a = (Map<?, ?>) o;
                    adapters.put((String) a.get("id"), ((Long) a.get("messages")).intValue());
                }
                return new State(preferred, host, Map.copyOf(adapters));
            }
        }

        /** When the read-back's last line came. */
        long readBackNanos() {
            synchronized (lines) {
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).startsWith("{")) {
                        return arrivals.get(i);
                    }
                }
            }
            throw new IllegalStateException("no read-back yet");
        }

        /** From the read-back's last line to the last change's output. */
        long changeNanos(List<Change> changes) {
            Change last = changes.get(changes.size() - 1);
            synchronized (lines) {
                for (int i = lines.size() - 1; i >= 0; i--) {
                    if (last.done().test(lines.get(i))) {
                        return arrivals.get(i) - readBackNanos();
                    }
                }
            }
            throw new IllegalStateException("the last change printed nothing");
        }

        /** How many of the changes after the read-back printed their output, in order. */
        int completed(List<Change> changes) throws InterruptedException {
            reader.join(30_000);
            int k = 0;
            boolean afterReadBack = false;
            synchronized (lines) {
                for (String l : lines) {
                    if (!afterReadBack) {
                        afterReadBack = l.startsWith("{");
                    } else if (k < changes.size() && changes.get(k).done().test(l)) {
                        k++;
                    }
                }
            }
            return k;
        }

        /** SIGKILLs the JVM under the launcher; false when it had already ended. */
        boolean kill() throws Exception {
            Optional<ProcessHandle> java = bash.toHandle().descendants()
                    .filter(p -> p.info().command().map(c -> c.endsWith("/java") || c.equals("java")).orElse(false)).findFirst();
            boolean killed = java.isPresent() && java.get().isAlive() && java.get().destroyForcibly();
            if (killed) {
                java.get().onExit().get(30, TimeUnit.SECONDS);
            }
            assertTrue("the launcher ends", bash.waitFor(60, TimeUnit.SECONDS));
            if (killed) {
                // the launcher reports the JVM's death by SIGKILL (128 + 9) unless it had just exited by itself
                int exit = bash.exitValue();
                killed = exit == 137;
                assertTrue("the launcher's exit after the kill: " + exit + " " + err(), exit == 137 || exit == 0);
            }
            return killed;
        }

        int waitFor(int seconds) throws Exception {
            assertTrue("the run ends within " + seconds + " s", bash.waitFor(seconds, TimeUnit.SECONDS));
            reader.join(10_000);
            return bash.exitValue();
        }

        List<String> out() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        String err() {
            try {
                return Files.readString(err);
            } catch (IOException e) {
                return e.toString();
            }
        }
    }
}
