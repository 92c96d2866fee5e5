package storport.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.BeforeClass;
import org.junit.Test;

/** The product as a newcomer runs it: the ./storport launcher on the exported jar, as separate processes. */
public class LauncherIT {
    private static Path home;

    record Run(int exit, String out, String err) {
    }

    @BeforeClass
    public static void freshHome() {
        if (home == null) {
            home = StorportOptions.freshDir("LauncherIT-home");
        }
    }

    static Run storport(String stdin, String... args) throws IOException, InterruptedException {
        return storportWith(Map.of(), stdin, args);
    }

    static Run storportWith(Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("storport.launcher"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("STORPORT_HOME", home.toString());
        pb.environment().putAll(env);
        Path out = Files.createTempFile("storport", ".out");
        Path err = Files.createTempFile("storport", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("storport " + String.join(" ", args) + " did not finish within 120 s");
        }
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    @Test
    public void oneShotPrintsTheMessageId() throws Exception {
        Run r = storport("", "storport:msgid nvme0 0");
        assertEquals(r.err, 0, r.exit);
        // what Linux answers on the default host (two equal nodes: node 1 first, storport.sim's linux-kernel-maps.txt)
        assertEquals("17", r.out.trim());
    }

    /** Gogo-native: a variable keeps a command's value and echo prints what the command prints; a pipe filters its table. */
    @Test
    public void aOneShotLineKeepsAValueAndPipesATable() throws Exception {
        Run r = storport("", "x = storport:msgid nvme0 5 ; echo $x ; storport:msgid nvme0 5 ; storport:adapters | grep nvme");
        assertEquals(r.err, 0, r.exit);
        // Gogo shows an assignment's value, as its shell does; then echo's line, the command's own, the filtered table,
        // and grep's own value (whether it matched), as Gogo's shell shows it
        List<String> lines = r.out.lines().toList();
        assertEquals(r.out, 5, lines.size());
        assertEquals(r.out, "true", lines.get(4));
        assertTrue(r.out, lines.get(0).matches("\\d+"));
        assertEquals("echo $x prints what the command prints", lines.get(2), lines.get(1));
        assertEquals(lines.get(0), lines.get(2));
        assertTrue(r.out, lines.get(3).startsWith("nvme0 ") && !r.out.contains("sas0") && !r.out.contains("ALIASES"));
    }

    @Test
    public void oneShotMapJson() throws Exception {
        Run r = storport("", "storport:map --json nvme0");
        assertEquals(r.err, 0, r.exit);
        Map<String, Object> map = Json.object(r.out);
        assertEquals(80, ((List<?>) map.get("processors")).size());
        ProductIT.assertPartition(map, 80);
    }

    @Test
    public void failedCommandExitsNonZeroWithTheStatus() throws Exception {
        Run r = storport("", "storport:msgid nvme0 80");
        assertNotEquals(0, r.exit);
        assertTrue(r.err, r.err.contains("STOR_STATUS_INVALID_PARAMETER: processor index 80 is outside 0..79"));
        assertTrue("no stack trace: " + r.err, !r.err.contains("\tat "));
    }

    @Test
    public void severalCommandsInOneLineAndStatePersistsAcrossRuns() throws Exception {
        Run set = storport("", "storport:sim-adapter persisted --messages 4 --policy round-robin ; storport:msgid persisted 5");
        assertEquals(set.err, 0, set.exit);
        // 4 messages, first redirection 1 by default: round-robin over 1..3
        assertTrue(set.out, set.out.trim().endsWith("\n3"));
        Run again = storport("", "storport:msgid persisted 6");
        assertEquals(again.err, 0, again.exit);
        assertEquals("1", again.out.trim());
        Run removed = storport("", "storport:sim-remove persisted");
        assertEquals(removed.err, 0, removed.exit);
        assertNotEquals(0, storport("", "storport:msgid persisted 6").exit);
    }

    /**
     * For this host and for a fixture tree of another host: the native answers, the capture replayed
     * in the simulator, and the capture unpacked as STORPORT_NATIVE_ROOT give the same map for
     * every adapter (the "backend" field aside).
     */
    @Test
    public void aCaptureReplaysExactlyAsTheHostAnswered() throws Exception {
        Path fixture = FixtureRoot.create(StorportOptions.freshDir("LauncherIT-fixture"));
        for (Path root : List.of(Path.of("/"), fixture)) {
            Map<String, String> env = Map.of("STORPORT_NATIVE_ROOT", root.toString());
            Run adapters = storportWith(env, "", "storport:backend native ; storport:adapters --json ; storport:backend sim");
            assertEquals(adapters.err, 0, adapters.exit);
            List<String> ids = new ArrayList<>();
            for (Object a : (List<?>) Json.object(adapters.out.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow())
                    .get("adapters")) {
                ids.add((String) ((Map<?, ?>) a).get("id"));
            }
            assertTrue("adapters on " + root + ": " + adapters.out, !ids.isEmpty() || root.equals(Path.of("/")));
            String maps = ids.stream().map(id -> "storport:map --json " + id).reduce((a, b) -> a + " ; " + b).orElse("storport:adapters");
            List<String> expected = jsonLines(storportWith(env, "", "storport:backend native ; " + maps + " ; storport:backend sim"));

            Path capture = home.resolve("capture-" + ids.size() + "-" + Math.abs(root.hashCode()) + ".tar.gz");
            Files.deleteIfExists(capture);
            Run captured = storportWith(env, "", "storport:backend native ; storport:capture " + capture + " ; storport:backend sim");
            assertEquals(captured.err, 0, captured.exit);
            assertTrue(captured.out, captured.out.contains("captured "));

            List<String> replayed = jsonLines(storport("", "storport:sim-replay replayed " + capture + " ; " + maps));
            assertEquals("sim-replay of " + root, expected, replayed);

            Path unpacked = StorportOptions.freshDir("LauncherIT-unpacked");
            Files.createDirectories(unpacked);
            Process tar = new ProcessBuilder("tar", "xzf", capture.toString(), "-C", unpacked.toString()).inheritIO().start();
            assertEquals(0, tar.waitFor());
            List<String> fromTree = jsonLines(storportWith(Map.of("STORPORT_NATIVE_ROOT", unpacked.toString()), "",
                    "storport:backend native ; " + maps + " ; storport:backend sim"));
            assertEquals("the unpacked capture as STORPORT_NATIVE_ROOT, of " + root, expected, fromTree);
            System.out.println("capture of " + root + ": " + ids + " replayed identically");
        }
        assertEquals(0, storport("", "storport:sim-host package:2 node:1 core:20 pu:2").exit);
    }

    /** The JSON lines of a run, with the backend's name taken out (sim replays what native answered). */
    private static List<String> jsonLines(Run r) {
        assertEquals(r.err, 0, r.exit);
        return r.out.lines().filter(l -> l.startsWith("{")).map(l -> l.replaceFirst("\"backend\":\"(sim|native)\"", "\"backend\":\"-\""))
                .toList();
    }

    @Test
    public void interactiveShellAnswersAndStopsAtEndOfInput() throws Exception {
        Run r = storport("storport:msgid sas0 17\nstorport:msgid nvme0 80\nstorport:msgid nvme0 0\n");
        assertEquals(r.err, 0, r.exit);
        assertTrue("a prompt was shown: " + r.out, r.out.contains("g! "));
        assertTrue(r.out, r.out.contains("g! 1\n"));
        assertTrue(r.out + r.err, (r.out + r.err).contains("STOR_STATUS_INVALID_PARAMETER: processor index 80 is outside 0..79"));
        assertTrue("the line after an error still runs: " + r.out, r.out.contains("g! 17\n"));
    }
}
