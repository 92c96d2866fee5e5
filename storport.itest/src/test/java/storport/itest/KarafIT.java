package storport.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * storport's features repository in a real Apache Karaf 4.4.10 (the distribution from Maven Central,
 * unpacked by the test), driven through Karaf's own shell over SSH ({@code bin/client}), as a Karaf
 * user types it: {@code feature:repo-add}, {@code feature:install storport}, storport's commands, a
 * backend switch, {@code feature:uninstall}. The features name the bundles by {@code mvn:} URLs; the
 * test serves the reactor's jars to Karaf from a Maven-layout directory (Karaf's
 * {@code defaultRepositories}), as an installed build would from {@code ~/.m2}.
 */
public class KarafIT {
    private static final java.util.regex.Pattern ESCAPES = java.util.regex.Pattern.compile("\u001b(\\[[0-9;?]*[A-Za-z~]|[=>])");
    private static final String PROMPT = "karaf@root()>";
    private static Path karaf;
    private static Process server;
    private static int sshPort;

    @BeforeClass
    public static void startKaraf() throws Exception {
        Path dir = Files.createDirectories(StorportOptions.freshDir("KarafIT"));
        run(dir, 120, "", List.of("tar", "xzf", System.getProperty("karaf.distribution"), "-C", dir.toString()));
        try (Stream<Path> s = Files.list(dir)) {
            karaf = s.filter(p -> p.getFileName().toString().startsWith("apache-karaf-")).findFirst().orElseThrow();
        }
        // the reactor's bundles where the features' mvn: URLs find them
        Path repo = dir.resolve("repository");
        String version = System.getProperty("storport.version");
        for (String bundle : List.of("storport.api", "storport.select", "storport.sim", "storport.native", "storport.shell", "storport.insight")) {
            Path to = repo.resolve("org/storport/" + bundle + "/" + version + "/" + bundle + "-" + version + ".jar");
            Files.createDirectories(to.getParent());
            Files.copy(Path.of(System.getProperty("bundle." + bundle)), to, StandardCopyOption.REPLACE_EXISTING);
        }
        Path etc = karaf.resolve("etc");
        replace(etc.resolve("org.ops4j.pax.url.mvn.cfg"), "org.ops4j.pax.url.mvn.defaultRepositories=\\",
                "org.ops4j.pax.url.mvn.defaultRepositories=\\\n    " + repo.toUri() + "@id=storport@snapshots, \\");
        // free ports: SSH for the shell, RMI for JMX (Karaf's management feature)
        sshPort = ConsoleProduct.freePort();
        replace(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort = 8101", "sshPort = " + sshPort);
        replace(etc.resolve("org.apache.karaf.shell.cfg"), "sshHost = 0.0.0.0", "sshHost = 127.0.0.1");
        replace(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort = 1099", "rmiRegistryPort = " + ConsoleProduct.freePort());
        replace(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerPort = 44444", "rmiServerPort = " + ConsoleProduct.freePort());
        Files.writeString(etc.resolve("users.properties"), "karaf = karaf,_g_:admingroup\n_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n");
        ProcessBuilder pb = new ProcessBuilder(karaf.resolve("bin/karaf").toString(), "server");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("karaf.out").toFile());
        server = pb.start();
        // the shell answers once Karaf has started its boot features; until its SSH port listens, a client JVM
        // (a second of CPU each, taken from Karaf's boot) would only be refused
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!listening(sshPort) && System.nanoTime() < deadline) {
            assertTrue("Karaf ended: " + Files.readString(dir.resolve("karaf.out")), server.isAlive());
            Thread.sleep(100);
        }
        String out = "";
        while (System.nanoTime() < deadline) {
            out = shell("bundle:list -t 0 -s");
            if (out.contains("org.apache.karaf.features.core")) {
                return;
            }
            assertTrue("Karaf ended: " + Files.readString(dir.resolve("karaf.out")), server.isAlive());
            Thread.sleep(1000);
        }
        throw new AssertionError("Karaf's shell did not answer within 180 s: " + out);
    }

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @AfterClass
    public static void stopKaraf() throws Exception {
        if (server != null) {
            // bin/karaf runs Karaf's JVM as its child: stop that (SIGTERM: Karaf shuts down), not only the script
            List<ProcessHandle> karafTree = new java.util.ArrayList<>(server.descendants().toList());
            karafTree.add(server.toHandle());
            karafTree.forEach(ProcessHandle::destroy);
            for (ProcessHandle p : karafTree) {
                try {
                    p.onExit().get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    p.destroyForcibly();
                }
            }
        }
    }

    @Test
    public void theFeatureInstallsAnswersAsTheProductDoesAndUninstallsCleanly() throws Exception {
        // the Felix product's answers, from the launcher on a fresh home: the oracle, run while Karaf installs the feature
        LauncherIT.freshHome();
        java.util.concurrent.CompletableFuture<LauncherIT.Run> oracle = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return LauncherIT.storportWith(java.util.Map.of("STORPORT_HOME", StorportOptions.freshDir("KarafIT-felix").toString()), "",
                        "storport:msgid nvme0 0 ; storport:sim-adapter karaf0 --messages 4 --policy round-robin ; storport:msgid karaf0 5");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String features = Path.of(System.getProperty("karaf.features")).toUri().toString();
        String added = shell("feature:repo-add " + features);
        assertFalse(added, added.contains("Error"));
        String installed = shell("feature:install storport");
        assertFalse(installed, installed.contains("Error"));
        String bundles = query("bundle:list -t 0 -s");
        for (String b : List.of("storport.api", "storport.select", "storport.sim", "storport.native", "storport.shell", "storport.insight")) {
            assertTrue(b + " active: " + bundles, bundles.lines().anyMatch(l -> l.contains("Active") && l.contains(b)));
        }

        LauncherIT.Run felix = oracle.join();
        assertEquals(felix.err(), 0, felix.exit());
        List<String> expected = felix.out().lines().toList();

        assertEquals(expected.get(0), awaitAnswer("storport:msgid nvme0 0"));
        // idempotent, so typed again should a session end before its output arrived (query)
        String adapter = query("storport:sim-adapter karaf0 --messages 4 --policy round-robin");
        assertTrue(adapter, adapter.lines().anyMatch(l -> l.matches("karaf0\\s+\\S+\\s+\\d+\\s+4\\s.*")));
        assertEquals(expected.get(expected.size() - 1), query("storport:msgid karaf0 5").trim());
        // the new adapter is a new snapshot: storport.insight posts it on Karaf's Event Admin, which event:display shows
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String events = "";
        while (!events.contains("storport/snapshot/CHANGED") && System.nanoTime() < until) {
            Thread.sleep(500);
            events = query("event:display");
        }
        assertTrue(events, events.contains("storport/snapshot/CHANGED"));
        String error = query("storport:msgid nvme0 80");
        assertTrue(error, error.contains("STOR_STATUS_INVALID_PARAMETER: processor index 80 is outside 0..79"));

        assertEquals("backend: native", query("storport:backend native").trim());
        String backends = query("storport:backend");
        assertTrue(backends, backends.lines().anyMatch(l -> l.startsWith("* native")));
        String adapters = query("storport:adapters --json");
        assertTrue(adapters, adapters.trim().startsWith("{\"backend\":\"native\""));

        String uninstalled = shell("feature:uninstall storport");
        assertFalse(uninstalled, uninstalled.contains("Error"));
        String after = query("bundle:list -t 0 -s");
        assertTrue("bundles listed: " + after, after.contains("org.apache.karaf.features.core"));
        assertFalse("no storport bundle left: " + after, after.contains("storport."));
    }

    /**
     * A command that always prints and changes nothing, or nothing more when typed again (a switch to
     * the backend already active, the same adapter set again): typed again when a session printed
     * nothing (now and then a session of Karaf's client ends before the shell's output reached it).
     */
    private static String query(String command) throws Exception {
        String out = "";
        for (int attempt = 0; attempt < 5 && out.isBlank(); attempt++) {
            out = shell(command);
        }
        return out;
    }

    /** The command's output once storport's commands are registered (SCR registers them after the feature installed). */
    private static String awaitAnswer(String command) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String out;
        do {
            out = query(command).trim();
            if (!out.contains("Command not found") && !out.isEmpty()) {
                return out;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        return out;
    }

    /**
     * One command typed into Karaf's interactive shell over SSH, as a user does (the client's batch
     * mode runs commands without printing their results); what the shell printed after the command's
     * line, up to the next prompt: the command's output and errors.
     */
    static String shell(String command) throws Exception {
        String screen = run(karaf, 120, command + "\nlogout\n", List.of(karaf.resolve("bin/client").toString(), "-a", String.valueOf(sshPort),
                "-h", "127.0.0.1", "-u", "karaf", "-p", "karaf", "-r", "3", "-d", "1"));
        String text = ESCAPES.matcher(screen).replaceAll("").replace("\r", "");
        int line = text.lastIndexOf(command + "\n");
        if (line < 0) {
            return text;
        }
        String after = text.substring(line + command.length() + 1);
        int prompt = after.indexOf(PROMPT);
        return prompt < 0 ? after : after.substring(0, prompt);
    }

    private static String run(Path dir, int seconds, String input, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        // Karaf's scripts look for Java there, and warn on every call without it
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within " + seconds + " s");
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static void replace(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertTrue(file + " has '" + from + "'", text.contains(from));
        Files.writeString(file, text.replace(from, to));
    }

}
