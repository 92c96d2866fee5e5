package storport.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Locked down (RELIABILITY.md): the product as a user runs it ({@code ./storport}, separate
 * processes) opens no remote shell and listens on nothing but its console, keeps
 * {@code STORPORT_HOME} private to the user whatever the umask, and its console stays
 * authenticated and CSRF-protected under fuzzed requests over the real Jetty and Web Console.
 */
public class LockdownIT {
    /** Bundles that would open a remote shell or agent: Felix remote shell, telnet/SSH consoles, bnd's remote agent, JMX connectors. */
    private static final Pattern REMOTE = Pattern.compile(
            "(?i).*(shell\\.remote|telnet|ssh|remote\\.agent|remote\\.launcher|equinox\\.console|karaf\\.shell|jmx|jolokia|(^|\\.)rmi(\\.|$)).*");
    private static final Pattern BUNDLE_LINE = Pattern.compile("^\\s*\\d+\\|\\w+\\s*\\|\\s*\\d+\\|([^ |]+) .*$", Pattern.MULTILINE);
    /** What only a logged-in user may see (storport's JSON, the pages, the password hash), in forms no request here contains. */
    private static final List<String> DATA = List.of("\"adapters\":", "\"processors\":", "\"backends\":", "\"messages\":",
            "\"active\":", "\"version\":", "pbkdf2-sha256$", "Apache Felix Web Console", "id='storport'", "X-Storport-CSRF");
    /** A Java stack trace in a body: a frame, a cause, or a qualified exception class name. */
    private static final Pattern TRACE = Pattern.compile(
            "(\\tat |\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\([\\w$]*\\.java:\\d+\\)|Caused by: |\\b[a-z][a-z0-9_]*(\\.[a-z0-9_]+)+\\.[A-Z]\\w*(Exception|Error)\\b)");

    private static ConsoleRun product;
    private static String password;

    /** {@code ./storport ARGS} run under a umask, as a login shell with that umask would run it. */
    private static ProcessBuilder launcher(String umask, Path home, String... args) {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$0\" \"$@\"",
                System.getProperty("storport.launcher")));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("STORPORT_HOME", home.toString());
        pb.environment().remove("STORPORT_CONSOLE_PASSWORD");
        pb.environment().remove("STORPORT_CONSOLE_HOST");
        pb.environment().remove("STORPORT_NATIVE_ROOT");
        return pb;
    }

    /** {@code ./storport --no-shell} serving the console on a free port, with a generated password. */
    record ConsoleRun(Process process, Path home, int port, Path out) {
        String output() throws IOException {
            return Files.readString(out);
        }

        /** The product's JVM: the launcher's java child. */
        ProcessHandle jvm() {
            return process.descendants().filter(p -> p.info().command().orElse("").endsWith("java")).findFirst()
                    .orElseThrow(() -> new AssertionError("no java process under the launcher"));
        }
    }

    @BeforeClass
    public static void startTheProduct() throws Exception {
        Path home = StorportOptions.freshDir("LockdownIT-home");
        int port = ConsoleProduct.freePort();
        ProcessBuilder pb = launcher("000", home, "--no-shell");
        pb.environment().put("STORPORT_CONSOLE_PORT", String.valueOf(port));
        Files.createDirectories(home.getParent());
        Path out = home.resolveSibling("LockdownIT-home.out");
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        product = new ConsoleRun(pb.start(), home, port, out);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        Matcher generated;
        while (!(generated = ConsoleProduct.GENERATED.matcher(product.output())).find() || !product.output().contains("(user admin)")) {
            if (!product.process().isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the console did not start:\n" + product.output());
            }
            Thread.sleep(100);
        }
        password = generated.group(2);
    }

    @AfterClass
    public static void stopTheProduct() throws Exception {
        if (product != null) {
            product.process().destroy();
            if (!product.process().waitFor(60, TimeUnit.SECONDS)) {
                product.process().descendants().forEach(ProcessHandle::destroyForcibly);
                product.process().destroyForcibly();
            }
        }
    }

    // ------------------------------------------------------------------ a start without a trace

    /**
     * From the moment the console's port listens until its address is printed, every answer is a
     * login refusal, a plain 404 (the Web Console not registered yet) or 503 JSON (caught while the
     * Web Console registers its servlet again, as it does at every start): never a 500 page with a
     * stack trace, which Jetty printed there before ServletFailureGuard. Once the address is
     * printed the console answers.
     */
    @Test
    public void theConsoleStartsWithoutATraceToAnyone() throws Exception {
        Path home = StorportOptions.freshDir("LockdownIT-start-home");
        int port = ConsoleProduct.freePort();
        ProcessBuilder pb = launcher("077", home, "--no-shell");
        pb.environment().put("STORPORT_CONSOLE_PORT", String.valueOf(port));
        Path out = home.resolveSibling("LockdownIT-start-home.out");
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        String url = "http://127.0.0.1:" + port + "/system/console/storport/api/adapters";
        Map<Integer, Integer> statuses = new TreeMap<>();
        int refused = 0;
        Process p = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!ConsoleProduct.GENERATED.matcher(Files.readString(out)).find()) {
                assertTrue("the console did not start:\n" + Files.readString(out), p.isAlive() && System.nanoTime() < deadline);
                try {
                    var r = ConsoleProduct.get(ConsoleProduct.PLAIN, url);
                    statuses.merge(r.statusCode(), 1, Integer::sum);
                    assertFalse(r.statusCode() + ": " + r.body(), TRACE.matcher(r.body()).find());
                    assertTrue(r.statusCode() + ": " + r.body(), Set.of(401, 404, 503).contains(r.statusCode()));
                    if (r.statusCode() == 503) {
                        assertTrue(r.body(), r.body().startsWith("{\"status\":\"STOR_STATUS_BUSY\""));
                        assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
                    }
                } catch (IOException notYet) {
                    refused++; // not listening yet (or the connection closed on us): no answer, so no trace either
                    Thread.sleep(5);
                }
            }
            Matcher generated = ConsoleProduct.GENERATED.matcher(Files.readString(out));
            assertTrue(generated.find());
            var first = ConsoleProduct.get(ConsoleProduct.PLAIN, url, "Authorization", ConsoleProduct.basic("admin", generated.group(2)));
            assertEquals("the first request after the address is printed: " + first.body(), 200, first.statusCode());
            System.out.println("LockdownIT: before the address was printed: " + refused + " without an answer, answers by status " + statuses);
        } finally {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    /**
     * A servlet that fails, anywhere in the HTTP runtime (here a test bundle's at {@code /failing/*},
     * installed into the running product from its shell): the client gets a JSON status naming only
     * the exception's class, never Jetty's 500 page with the message and the stack trace; a servlet
     * caught between two registrations gets 503 with {@code Retry-After}.
     */
    @Test
    public void aFailingServletAnswersJsonWithoutATrace() throws Exception {
        Path home = StorportOptions.freshDir("LockdownIT-failing-home");
        Path bundle = failingServletsBundle(home.resolveSibling("LockdownIT-failing.jar"));
        try (ConsoleProduct interactive = ConsoleProduct.start(home, Map.of("STORPORT_CONSOLE_PASSWORD", "pw"))) {
            String base = interactive.awaitConsole();
            interactive.stdin.write(("felix:install " + bundle.toUri() + "\n").getBytes(StandardCharsets.UTF_8));
            interactive.stdin.flush();
            String id = interactive.await(Pattern.compile("Bundle ID: (\\d+)"), Duration.ofSeconds(60)).group(1);
            interactive.stdin.write(("felix:start " + id + "\n").getBytes(StandardCharsets.UTF_8));
            interactive.stdin.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            var failed = ConsoleProduct.get(ConsoleProduct.PLAIN, base + "/failing/x");
            while (failed.statusCode() == 404) {
                assertTrue("the test bundle's servlet did not appear:\n" + interactive.out() + interactive.err(), System.nanoTime() < deadline);
                Thread.sleep(100);
                failed = ConsoleProduct.get(ConsoleProduct.PLAIN, base + "/failing/x");
            }
            assertEquals(failed.body(), 500, failed.statusCode());
            assertTrue(failed.body(), failed.body().startsWith("{\"status\":\"STOR_STATUS_UNSUCCESSFUL\""));
            assertTrue(failed.body(), failed.body().contains("(IllegalStateException)"));
            assertFalse(failed.body(), failed.body().contains("secret detail") || TRACE.matcher(failed.body()).find());
            var between = ConsoleProduct.get(ConsoleProduct.PLAIN, base + "/failing/unregistered");
            assertEquals(between.body(), 503, between.statusCode());
            assertEquals("1", between.headers().firstValue("Retry-After").orElse(null));
            assertTrue(between.body(), between.body().startsWith("{\"status\":\"STOR_STATUS_BUSY\""));
            assertFalse(between.body(), TRACE.matcher(between.body()).find());
            interactive.stdin.close(); // the shell ends with its input
            assertTrue("the shell ends with its input", interactive.process.waitFor(120, TimeUnit.SECONDS));
            assertEquals(interactive.err(), 0, interactive.process.exitValue());
        }
    }

    /** The bundle of storport.itest.failing, from this test's own classes. */
    private static Path failingServletsBundle(Path jar) throws IOException {
        java.util.jar.Manifest m = new java.util.jar.Manifest();
        var a = m.getMainAttributes();
        a.putValue("Manifest-Version", "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "storport.itest.failing");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Bundle-Activator", "storport.itest.failing.FailingServlets");
        a.putValue("Import-Package", "jakarta.servlet,jakarta.servlet.http,org.osgi.framework");
        Files.createDirectories(jar.getParent());
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), m)) {
            for (String name : List.of("FailingServlets.class", "FailingServlets$1.class")) {
                out.putNextEntry(new java.util.jar.JarEntry("storport/itest/failing/" + name));
                try (InputStream in = LockdownIT.class.getResourceAsStream("/storport/itest/failing/" + name)) {
                    assertNotNull(name, in);
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }

    // ------------------------------------------------------------------ no remote shell, no other port

    @Test
    public void noRemoteShellOrAgentBundleIsInstalled() throws Exception {
        // The product with its console (the interactive ./storport, fed `lb -s`), and the one-shot runs' jar.
        Path home = StorportOptions.freshDir("LockdownIT-lb");
        ProcessBuilder interactive = launcher("077", home);
        interactive.environment().put("STORPORT_CONSOLE_PORT", String.valueOf(ConsoleProduct.freePort()));
        List<String> full = bundles(run(interactive, "lb -s\n", Duration.ofSeconds(180)));
        assertTrue(full.toString(), full.containsAll(List.of("org.apache.felix.framework", "org.apache.felix.gogo.jline", "storport.terminal", "storport.console",
                "org.apache.felix.http.jetty12", "org.apache.felix.webconsole")));
        assertFalse("no Jetty 11 (Felix HTTP Jetty 5.x): " + full, full.contains("org.apache.felix.http.jetty"));
        List<String> oneShot = bundles(run(launcher("077", home, "lb -s"), "", Duration.ofSeconds(180)));
        assertTrue(oneShot.toString(), oneShot.containsAll(List.of("org.apache.felix.framework", "org.apache.felix.gogo.shell", "storport.shell")));
        for (List<String> names : List.of(full, oneShot)) {
            List<String> remote = names.stream().filter(n -> REMOTE.matcher(n).matches()).toList();
            assertEquals("bundles that open a remote shell or agent", List.of(), remote);
        }
        System.out.println("LockdownIT: " + full.size() + " bundles in the product, " + oneShot.size()
                + " in one-shot runs, none a remote shell or agent: " + full);
    }

    /** The symbolic names in the output of {@code lb -s}; the listing was read when the framework is in it. */
    private static List<String> bundles(String lb) {
        List<String> names = new ArrayList<>();
        Matcher m = BUNDLE_LINE.matcher(lb);
        while (m.find()) {
            names.add(m.group(1));
        }
        assertTrue(lb, names.contains("org.apache.felix.framework"));
        return names;
    }

    @Test
    public void theOnlyListeningSocketIsTheConsoleOnLoopback() throws Exception {
        ProcessHandle jvm = product.jvm();
        Sockets s = Sockets.of(jvm.pid());
        assertEquals("listening TCP sockets of the product (pid " + jvm.pid() + ")", List.of("127.0.0.1:" + product.port()), s.listening());
        assertEquals("bound UDP sockets", List.of(), s.udp());
        System.out.println("LockdownIT: --no-shell listens on " + s.listening() + ", UDP " + s.udp());
    }

    @Test
    public void aOneShotRunListensOnNothing() throws Exception {
        Path home = StorportOptions.freshDir("LockdownIT-oneshot");
        Files.createDirectories(home.getParent());
        Path out = home.resolveSibling("LockdownIT-oneshot.out");
        Process p = launcher("022", home, "storport:adapters ; storport:topology ; lb").redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        // Sample the JVM's sockets all its life: a one-shot run is over in a second or two.
        Set<String> seen = new TreeSet<>();
        int samples = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (p.isAlive() && System.nanoTime() < deadline) {
            for (ProcessHandle h : p.descendants().toList()) {
                if (h.info().command().orElse("").endsWith("java")) {
                    try {
                        Sockets s = Sockets.of(h.pid());
                        seen.addAll(s.listening());
                        seen.addAll(s.udp());
                        samples++;
                    } catch (IOException gone) {
                        // the JVM ended between listing and reading
                    }
                }
            }
            Thread.sleep(1);
        }
        assertTrue("the one-shot run ended", p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(Files.readString(out), 0, p.exitValue());
        assertTrue("the JVM's sockets were sampled while it ran: " + samples, samples >= 10);
        assertEquals("sockets a one-shot run listened on", Set.of(), seen);
        System.out.println("LockdownIT: one-shot run sampled " + samples + " times, listened on nothing");
    }

    /** The sockets of a process: its socket inodes (/proc/PID/fd) looked up in its network namespace's tables. */
    record Sockets(List<String> listening, List<String> udp) {
        static Sockets of(long pid) throws IOException {
            Set<String> inodes = new TreeSet<>();
            try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                for (Path fd : fds.toList()) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            inodes.add(target.substring(8, target.length() - 1));
                        }
                    } catch (IOException closed) {
                        // closed meanwhile
                    }
                }
            }
            List<String> listening = new ArrayList<>();
            for (String table : List.of("tcp", "tcp6")) {
                for (String[] row : rows(pid, table)) {
                    if (inodes.contains(row[9]) && row[3].equals("0A")) {   // state 0A: LISTEN
                        listening.add(address(row[1]));
                    }
                }
            }
            List<String> udp = new ArrayList<>();
            for (String table : List.of("udp", "udp6")) {
                for (String[] row : rows(pid, table)) {
                    if (inodes.contains(row[9])) {
                        udp.add(address(row[1]));
                    }
                }
            }
            listening.sort(null);
            udp.sort(null);
            return new Sockets(listening, udp);
        }

        private static List<String[]> rows(long pid, String table) throws IOException {
            List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/net/" + table));
            return lines.stream().skip(1).map(l -> l.trim().split("\\s+")).toList();
        }

        /** {@code 0100007F:1F95} or a 32-digit IPv6 (IPv4-mapped shown as IPv4) -> {@code 127.0.0.1:8085}. */
        static String address(String hexAddressPort) {
            String[] ap = hexAddressPort.split(":");
            int port = Integer.parseInt(ap[1], 16);
            String hex = ap[0];
            byte[] raw = new byte[hex.length() / 2];
            // the kernel prints each 32-bit word in host (little-endian) order
            for (int word = 0; word < raw.length / 4; word++) {
                for (int b = 0; b < 4; b++) {
                    raw[word * 4 + b] = (byte) Integer.parseInt(hex.substring(word * 8 + (3 - b) * 2, word * 8 + (3 - b) * 2 + 2), 16);
                }
            }
            if (raw.length == 16 && isV4Mapped(raw)) {
                raw = new byte[] { raw[12], raw[13], raw[14], raw[15] };
            }
            if (raw.length == 4) {
                return (raw[0] & 255) + "." + (raw[1] & 255) + "." + (raw[2] & 255) + "." + (raw[3] & 255) + ":" + port;
            }
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < 16; i += 2) {
                sb.append(i == 0 ? "" : ":").append(Integer.toHexString(((raw[i] & 255) << 8) | (raw[i + 1] & 255)));
            }
            return sb.append("]:").append(port).toString();
        }

        private static boolean isV4Mapped(byte[] a) {
            for (int i = 0; i < 10; i++) {
                if (a[i] != 0) {
                    return false;
                }
            }
            return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
        }
    }

    // ------------------------------------------------------------------ STORPORT_HOME private

    @Test
    public void storportHomeIsPrivateWhateverTheUmask() throws Exception {
        // The console run (umask 000) wrote its configuration and the generated password's hash.
        assertTrue(Files.exists(product.home().resolve("console-admin.pbkdf2")));
        // A one-shot run with umask 022 changes the configuration and writes a capture into the home.
        Path fixture = FixtureRoot.create(StorportOptions.freshDir("LockdownIT-fixture"));
        Path capture = product.home().resolve("captures-of-fixture.tar.gz");
        ProcessBuilder pb = launcher("022", product.home(), "storport:sim-adapter locked --messages 3 ; storport:backend native ; storport:capture "
                + capture + " ; storport:backend sim");
        pb.environment().put("STORPORT_NATIVE_ROOT", fixture.toString());
        run(pb, "", Duration.ofSeconds(180));
        assertTrue(Files.exists(capture));
        assertPrivate(product.home(), 6);

        // A home an older version (or a permissive umask) left readable is tightened by the next run.
        Path old = StorportOptions.freshDir("LockdownIT-oldhome");
        Files.createDirectories(old.resolve("config/storport/sim"));
        Files.writeString(old.resolve("config/storport/sim/host.config"), "spec=\"package:1 core:2\"\n");
        Files.writeString(old.resolve("notes.txt"), "kept\n");
        for (Path p : List.of(old, old.resolve("config"), old.resolve("config/storport"), old.resolve("config/storport/sim"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.of("rwxrwxrwx"));
        }
        Files.setPosixFilePermissions(old.resolve("notes.txt"), PosixFilePermissions.of("rw-rw-rw-"));
        Files.setPosixFilePermissions(old.resolve("config/storport/sim/host.config"), PosixFilePermissions.of("rw-r--r--"));
        run(launcher("000", old, "storport:adapters"), "", Duration.ofSeconds(180));
        assertPrivate(old, 3);
        assertEquals("kept\n", Files.readString(old.resolve("notes.txt")));
    }

    /** Home 0700; nothing in it (config dir, Config Admin files, password hash, captures) group- or other-accessible. */
    private static void assertPrivate(Path home, int atLeastFiles) throws IOException {
        assertEquals(home.toString(), "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("config"))));
        Map<String, String> open = new TreeMap<>();
        int files = 0;
        try (Stream<Path> walk = Files.walk(home)) {
            for (Path p : walk.toList()) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    files++;
                }
                if (perms.stream().anyMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"))) {
                    open.put(home.relativize(p).toString(), PosixFilePermissions.toString(perms));
                }
            }
        }
        assertEquals("group/other permissions under " + home, Map.of(), open);
        assertTrue(home + " holds " + files + " files", files >= atLeastFiles);
        System.out.println("LockdownIT: " + home + " private: " + files + " files, none group/other accessible");
    }

    /** Runs a launcher to its end; its output, after checking it succeeded. */
    private static String run(ProcessBuilder pb, String input, Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile("lockdown", ".out");
        try {
            Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail(pb.command() + " did not finish within " + timeout);
            }
            String text = Files.readString(out);
            assertEquals(pb.command() + "\n" + text, 0, p.exitValue());
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** java.nio's PosixFilePermissions under a shorter name. */
    private static final class PosixFilePermissions {
        static Set<PosixFilePermission> of(String s) {
            return java.nio.file.attribute.PosixFilePermissions.fromString(s);
        }

        static String toString(Set<PosixFilePermission> p) {
            return java.nio.file.attribute.PosixFilePermissions.toString(p);
        }
    }

    // ------------------------------------------------------------------ the console under fuzzed requests

    /** An HTTP response as the wire carried it. */
    record Reply(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * One request over a fresh connection, written byte for byte (the JDK's client would refuse or
     * normalise the hostile paths and headers this test sends).
     */
    private static Reply send(String method, String target, List<String[]> headers, byte[] body) throws IOException {
        try {
            return exchange(method, target, headers, body);
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("no answer within 20 s to " + describe(method, target, headers, body), e);
        }
    }

    private static Reply exchange(String method, String target, List<String[]> headers, byte[] body) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + product.port() + "\r\n").getBytes(StandardCharsets.UTF_8));
        for (String[] h : headers) {
            head.write((h[0] + ": " + h[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        if (body != null) {
            head.write(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        head.write("Connection: close\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            head.write(body);
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", product.port()), 5000);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(head.toByteArray());
                out.flush();
            } catch (IOException refusedEarly) {
                // the server may answer and close before reading everything (a too-long line): read its answer
            }
            return parse(read(s.getInputStream(), method.equalsIgnoreCase("HEAD")));
        }
    }

    /**
     * One response: the head, then Content-Length bytes, a chunked body, or everything to the end.
     * Not simply to the end: after a CONNECT the server keeps the connection for a tunnel.
     */
    private static byte[] read(InputStream in, boolean head) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int end = -1;
        while (end < 0) {
            int b = in.read();
            if (b < 0) {
                return got.toByteArray();
            }
            got.write(b);
            byte[] a = got.toByteArray();
            int n = a.length;
            if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                end = n;
            }
        }
        String headText = got.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        int status = Integer.parseInt(headText.substring(9, 12));
        Matcher length = Pattern.compile("\r\ncontent-length: *(\\d+)").matcher(headText);
        if (head || status == 204 || status == 304 || status / 100 == 1) {
            return got.toByteArray();
        }
        if (length.find()) {
            got.write(in.readNBytes(Integer.parseInt(length.group(1))));
            return got.toByteArray();
        }
        if (headText.contains("\r\ntransfer-encoding: chunked")) {
            // to the last chunk's empty line
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return got.toByteArray();
                }
                got.write(b);
                String tail = got.toString(StandardCharsets.ISO_8859_1);
                if (tail.endsWith("\r\n0\r\n\r\n") && tail.length() - end >= 5) {
                    return got.toByteArray();
                }
            }
        }
        got.write(in.readAllBytes());
        return got.toByteArray();
    }

    private static Reply parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            throw new AssertionError("not an HTTP response: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunk(body);
        }
        return new Reply(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] unchunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < chunked.length) {
            int eol = i;
            while (eol + 1 < chunked.length && !(chunked[eol] == '\r' && chunked[eol + 1] == '\n')) {
                eol++;
            }
            String size = new String(chunked, i, eol - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int n = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
            if (n == 0) {
                break;
            }
            out.write(chunked, eol + 2, Math.min(n, chunked.length - eol - 2));
            i = eol + 2 + n + 2;
        }
        return out.toByteArray();
    }

    private static final String[] PREFIXES = { "/system/console", "/system/console/storport", "/system/console/storport/api",
        "/system/console/storport/res", "/system/console/configMgr", "/system/console/bundles", "/system/console/components",
        "/system/console/login", "/system/console/logout", "/system/console/res", "/system/console/status-System Properties", "", "/" };
    private static final String[] SEGMENTS = { "adapters", "map", "messages", "topology", "backend", "msgid", "version", "nvme0", "sas0",
        "0", "79", "80", "-1", "+5", "99999999999999999999", "abc", "storport.js", "storport.css", "api", "res", "storport", "..", ".",
        "%2e%2e", "%2E%2e", ".%2e", "%2e", "%2f", "%2F..%2F", "%5c", "..%5c", "%00", "a%00b", "%ff", "%c0%ae%c0%ae", "%e2%80%ae",
        "%u002e", "\u00fc", "\u4e2d\u6587", "\ud83d\ude00", "..;", ";jsessionid=x", ";a=b", "%25", "%", "%zz", "\\", "//", "~", "*",
        "{}", "$" + "{x}", "<script>", "'\"", "configMgr", "bundles", "storport.sim.host", "0000:01:00.0", "login", "logout", "" };
    private static final String[] METHODS = { "GET", "GET", "GET", "HEAD", "POST", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
        "get", "FOO", "PROPFIND", "CONNECT" };
    /** Methods that could change something, and so must be refused without the token. */
    private static final Set<String> UNSAFE = Set.of("POST", "PUT", "DELETE", "PATCH", "FOO", "PROPFIND", "CONNECT", "TRACE");
    private static final String[] ORIGINS = { "http://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1:PORT",
        "http://127.0.0.1:PORT.evil.example", "garbage", "", "http://[::1]:PORT" };

    /** A random request target: a console path with hostile segments, sometimes a query, sometimes very long. */
    private static String target(Random r) {
        StringBuilder sb = new StringBuilder(PREFIXES[r.nextInt(PREFIXES.length)]);
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            sb.append('/').append(SEGMENTS[r.nextInt(SEGMENTS.length)]);
        }
        if (r.nextInt(20) == 0) {
            sb.append('/').append("a".repeat(1 + r.nextInt(r.nextBoolean() ? 300 : 20_000)));
        }
        if (r.nextInt(4) == 0) {
            sb.append('?').append(SEGMENTS[r.nextInt(SEGMENTS.length)]).append('=').append(SEGMENTS[r.nextInt(SEGMENTS.length)]);
        }
        return sb.length() == 0 || sb.charAt(0) != '/' ? "/" + sb : sb.toString();
    }

    private static String garbage(Random r) {
        String[] pool = { "", " ", "\u00e9", "%00", "a".repeat(1 + r.nextInt(5000)), "admin", "sim", "native", "=", ";", ",", "\"", "'",
            "<x>", "0", "-1", String.valueOf(r.nextLong()) };
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(4); i >= 0; i--) {
            sb.append(pool[r.nextInt(pool.length)]);
        }
        return sb.toString();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Headers that carry no valid credential: garbage Authorization and Cookie, any Origin/Referer/fetch metadata. */
    private static List<String[]> hostileHeaders(Random r) {
        List<String[]> h = new ArrayList<>();
        String port = String.valueOf(product.port());
        if (r.nextBoolean()) {
            String[] auth = { "Basic %%%", "Basic " + b64("admin:admin"), "Basic " + b64("admin:" + password + "x"), "Basic " + b64("admin"),
                "Basic " + b64("root:" + password), "Basic " + b64(":" + password), "Basic " + b64("admin:" + garbage(r)), "Bearer " + garbage(r),
                "basic", "Basic " + "A".repeat(1 + r.nextInt(9000)), "Digest username=\"admin\"", "Basic " + b64("admin\u0000:" + password) };
            h.add(new String[] { "Authorization", auth[r.nextInt(auth.length)] });
        }
        if (r.nextBoolean()) {
            String[] cookies = { "JSESSIONID=" + garbage(r), "JSESSIONID=node0" + Long.toHexString(r.nextLong()) + ".node0",
                "storport.console.user=admin", "JSESSIONID=; JSESSIONID=x", "=;=;=", "felix-webconsole-locale=de" };
            h.add(new String[] { "Cookie", cookies[r.nextInt(cookies.length)] });
        }
        addBrowserHeaders(r, h, port);
        return h;
    }

    private static void addBrowserHeaders(Random r, List<String[]> h, String port) {
        if (r.nextInt(3) == 0) {
            h.add(new String[] { "Origin", r.nextBoolean() ? "http://127.0.0.1:" + port : ORIGINS[r.nextInt(ORIGINS.length)].replace("PORT", port) });
        }
        if (r.nextInt(3) == 0) {
            h.add(new String[] { "Referer", (r.nextBoolean() ? "http://127.0.0.1:" + port : ORIGINS[r.nextInt(ORIGINS.length)].replace("PORT", port))
                + "/system/console/storport" });
        }
        if (r.nextInt(4) == 0) {
            String[] sites = { "cross-site", "same-site", "same-origin", "none", "garbage" };
            h.add(new String[] { "Sec-Fetch-Site", sites[r.nextInt(sites.length)] });
        }
        if (r.nextInt(3) == 0) {
            String[] accepts = { "text/html,*/*", "application/json", "*/*", garbage(r) };
            h.add(new String[] { "Accept", accepts[r.nextInt(accepts.length)] });
        }
        if (r.nextInt(3) == 0) {
            h.add(new String[] { ConsolePluginHeaders.CSRF, garbage(r) });
        }
        if (r.nextInt(4) == 0) {
            String[] types = { "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json", garbage(r) };
            h.add(new String[] { "Content-Type", types[r.nextInt(types.length)] });
        }
    }

    private static byte[] body(Random r) {
        String[] bodies = { "name=native", "name=sim", "name=" + garbage(r), "action=stop", "apply=true&propertylist=spec&spec=core:1",
            "--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nnative\r\n--x--", "{\"name\":\"native\"}", garbage(r),
            "name=%00&name=native&csrf=" + garbage(r) };
        return bodies[r.nextInt(bodies.length)].getBytes(StandardCharsets.UTF_8);
    }

    /** Whether a request is marked as coming from another site (the same-origin check refuses it, logged in or not). */
    private static boolean crossSiteMarked(List<String[]> headers) {
        String self = "http://127.0.0.1:" + product.port();
        for (String[] h : headers) {
            if (h[0].equals("Origin") && !h[1].equalsIgnoreCase(self)) {
                return true;
            }
            if (h[0].equals("Sec-Fetch-Site") && !h[1].equals("same-origin") && !h[1].equals("none")) {
                return true;
            }
        }
        return false;
    }

    /** What every answer must respect, logged in or not: no server error, no stack trace, security headers on console answers. */
    private static void assertSane(String what, String method, Reply reply) {
        // 501 is the answer HTTP prescribes for a method the server does not know (FOO, PROPFIND): not a failure of the server
        boolean unknownMethod = reply.status() == 501 && !STANDARD.contains(method);
        assertTrue(what + " -> " + reply.status() + "\n" + reply.body(), reply.status() < 500 || unknownMethod);
        assertFalse(what + " -> a stack trace or exception:\n" + reply.body(), TRACE.matcher(reply.body()).find());
        // nothing echoes credentials back (the servlet default TRACE would)
        assertFalse(what + " -> echoes the password", reply.body().contains(password) || reply.body().contains(b64("admin:" + password)));
        if (sessionId != null) {
            assertFalse(what + " -> echoes the session id", reply.body().contains(sessionId));
        }
    }

    /**
     * Refusals before the console is reached, or for what no one serves: bad or too large request lines and
     * headers (Jetty), nothing at that path, a method not served, an unknown method.
     */
    private static final Set<Integer> JETTY_REFUSALS = Set.of(400, 404, 405, 414, 431, 501);
    private static final Set<String> STANDARD = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE");
    private static String sessionId;

    /** An unauthenticated answer: refused or an error, never data; a redirect only into the console. */
    private static void assertNoData(String what, Reply reply) {
        int s = reply.status();
        boolean redirectToLogin = (s == 302 || s == 303) && reply.header("Location") != null
                && (reply.header("Location").contains("/system/console") && reply.body().isEmpty());
        // 421: a Host that is not the console's; 429/503: wrong passwords from this address in their back-off
        assertTrue(what + " -> " + s + " " + reply.headers() + "\n" + reply.body(),
                s == 401 || s == 403 || s == 421 || s == 429 || s == 503 || JETTY_REFUSALS.contains(s) || redirectToLogin);
        for (String d : DATA) {
            assertFalse(what + " -> " + s + " leaks " + d + ":\n" + reply.body(), reply.body().contains(d));
        }
    }

    /** The active backend, through an authenticated API call. */
    private static String active() throws IOException {
        Reply r = send("GET", "/system/console/storport/api/backend", List.of(new String[][] { { "Authorization", "Basic " + b64("admin:" + password) } }),
                null);
        assertEquals(r.body(), 200, r.status());
        Matcher m = Pattern.compile("\"active\":\"([^\"]*)\"").matcher(r.body());
        assertTrue(r.body(), m.find());
        return m.group(1);
    }

    /** A digest of every file under the configuration folder (Config Admin's store): any change shows. */
    private static String configDigest() throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> walk = Files.walk(product.home().resolve("config"))) {
            for (Path p : walk.sorted().toList()) {
                md.update(product.home().relativize(p).toString().getBytes(StandardCharsets.UTF_8));
                if (Files.isRegularFile(p)) {
                    md.update(Files.readAllBytes(p));
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Header name of the storport CSRF token (ConsolePlugin.CSRF_HEADER; that class is not on this module's path). */
    private static final class ConsolePluginHeaders {
        static final String CSRF = "X-Storport-CSRF";
    }

    /**
     * Random requests for a bounded time (lockdown.fuzz.seconds, default 30; lockdown.fuzz.seed to
     * replay a run), in three kinds:
     * <ol>
     * <li>without a valid credential: every answer is 401/403 (or a Jetty-level 400/404/405/414/431
     *     before the console is reached, or a redirect into the console), and carries no data;</li>
     * <li>logged in (HTTP Basic) but without the session's token: every state-changing request to
     *     storport's endpoints is refused (403, or 405 where the method is not served), and so is
     *     every request a browser marks cross-site, to any console page; the backend and the stored
     *     configuration stay as they were;</li>
     * <li>logged in with a session and its token: garbage backend names and API paths get a 4xx with
     *     a STOR_STATUS reason, never a 5xx.</li>
     * </ol>
     * No answer is ever a 5xx or shows a stack trace.
     */
    @Test
    public void theConsoleHoldsUnderFuzzedRequests() throws Exception {
        long seconds = Long.getLong("lockdown.fuzz.seconds", 30);
        long seed = Long.getLong("lockdown.fuzz.seed", System.nanoTime());
        Random r = new Random(seed);
        System.out.println("LockdownIT: console fuzz, seed " + seed + " (-Dlockdown.fuzz.seed=" + seed + " replays it)");
        String auth = "Basic " + b64("admin:" + password);
        String before = active();
        assertEquals("sim", before);
        String config = configDigest();

        // a browser session: form login, then the token from an API response
        Reply login = send("POST", "/system/console/login", List.of(new String[][] { { "Content-Type", "application/x-www-form-urlencoded" },
            { "Origin", "http://127.0.0.1:" + product.port() } }), ("username=admin&password=" + java.net.URLEncoder.encode(password,
                StandardCharsets.UTF_8) + "&target=/system/console/storport").getBytes(StandardCharsets.UTF_8));
        assertEquals(login.body(), 303, login.status());
        String cookie = login.header("Set-Cookie").split(";")[0];
        sessionId = cookie.substring(cookie.indexOf('=') + 1);
        Reply tokenReply = send("GET", "/system/console/storport/api/backend", List.of(new String[][] { { "Cookie", cookie } }), null);
        String token = tokenReply.header(ConsolePluginHeaders.CSRF);
        assertNotNull(tokenReply.headers().toString(), token);

        Map<String, Integer> counts = new TreeMap<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int n = 0;
        while (System.nanoTime() < end) {
            n++;
            int kind = r.nextInt(3);
            String method = METHODS[r.nextInt(METHODS.length)];
            String target = target(r);
            byte[] body = UNSAFE.contains(method) || r.nextInt(8) == 0 ? body(r) : null;
            List<String[]> headers;
            String what;
            Reply reply;
            if (kind == 0) {
                headers = hostileHeaders(r);
                what = "seed " + seed + " #" + n + " unauthenticated " + describe(method, target, headers, body);
                reply = send(method, target, headers, body);
                assertSane(what, method, reply);
                assertNoData(what, reply);
                counts.merge("unauthenticated", 1, Integer::sum);
            } else if (kind == 1) {
                headers = new ArrayList<>();
                headers.add(new String[] { "Authorization", auth });
                addBrowserHeaders(r, headers, String.valueOf(product.port()));
                headers.removeIf(h -> h[0].equals(ConsolePluginHeaders.CSRF) && h[1].equals(token));
                boolean cross = crossSiteMarked(headers);
                boolean unsafe = UNSAFE.contains(method.toUpperCase(Locale.ROOT));
                if (unsafe && !cross) {
                    // Not marked cross-site: only storport's own endpoints (the Web Console's own forms, e.g. a bundle's
                    // stop, accept a logged-in script without storport's token; their guard is the same-origin check).
                    target = "/system/console/storport/api/" + (r.nextInt(3) == 0 ? "backend" : SEGMENTS[r.nextInt(SEGMENTS.length)]);
                }
                what = "seed " + seed + " #" + n + " logged in, no token " + describe(method, target, headers, body);
                reply = send(method, target, headers, body);
                assertSane(what, method, reply);
                if (unsafe && (cross || target.startsWith("/system/console/storport"))) {
                    assertTrue(what + " -> " + reply.status() + "\n" + reply.body(), reply.status() == 403 || JETTY_REFUSALS.contains(reply.status()));
                    if (target.equals("/system/console/storport/api/backend") && method.equals("POST") && !cross) {
                        // 403, or the 400 that comes first for parameters the container cannot read (RELIABILITY row 88):
                        // Jetty 12 also cannot read them behind a malformed Content-Type such as ;"'é
                        assertTrue(what + "\n" + reply.body(), reply.status() == 403
                                || reply.status() == 400 && reply.body().contains("the request's parameters are not valid URL-encoded UTF-8"));
                    }
                    if (cross) {
                        counts.merge("logged in, cross-site, state-changing", 1, Integer::sum);
                    } else {
                        counts.merge("logged in, no token, state-changing", 1, Integer::sum);
                    }
                } else {
                    counts.merge("logged in, no token, read", 1, Integer::sum);
                }
            } else {
                headers = new ArrayList<>();
                headers.add(new String[] { "Cookie", cookie });
                headers.add(new String[] { "Origin", "http://127.0.0.1:" + product.port() });
                headers.add(new String[] { ConsolePluginHeaders.CSRF, token });
                boolean post = r.nextBoolean();
                String name = garbage(r);
                if (name.trim().equalsIgnoreCase("sim") || name.trim().equalsIgnoreCase("native")) {
                    name = name + "x";
                }
                if (post) {
                    headers.add(new String[] { "Content-Type", "application/x-www-form-urlencoded" });
                    target = "/system/console/storport/api/backend";
                    body = ("name=" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                    method = "POST";
                } else {
                    target = "/system/console/storport/api/" + SEGMENTS[r.nextInt(SEGMENTS.length)] + "/" + java.net.URLEncoder.encode(name,
                            StandardCharsets.UTF_8).replace("+", "%20") + (r.nextBoolean() ? "/" + SEGMENTS[r.nextInt(SEGMENTS.length)] : "");
                    method = "GET";
                    body = null;
                }
                what = "seed " + seed + " #" + n + " logged in with token " + describe(method, target, headers, body);
                reply = send(method, target, headers, body);
                assertSane(what, method, reply);
                if (post) {
                    assertTrue(what + " -> " + reply.status() + "\n" + reply.body(), reply.status() >= 400 && reply.status() < 500);
                    assertTrue(what + " -> a clear reason:\n" + reply.body(), reply.body().contains("\"reason\":\""));
                } else if (reply.status() >= 400) {
                    assertTrue(what + " -> " + reply.status() + " with a clear reason:\n" + reply.body(), reply.body().contains("\"reason\":\"")
                            || reply.body().matches("(?s)" + reply.status() + " [^\\n]+\n")); // Jetty's own answer, one line
                }
                counts.merge("logged in with token, garbage", 1, Integer::sum);
            }
            statuses.merge(reply.status(), 1, Integer::sum);
            if (n % 200 == 0) {
                assertEquals("the backend after " + n + " requests (seed " + seed + ")", before, active());
            }
        }
        assertEquals("the backend after the fuzz (seed " + seed + ")", before, active());
        assertEquals("the stored configuration after the fuzz (seed " + seed + ")", config, configDigest());
        assertTrue("requests sent: " + n, n >= 100);
        System.out.println("LockdownIT: console fuzz, seed " + seed + ", " + seconds + " s: " + n + " requests " + counts + ", statuses "
                + statuses);
    }

    private static String describe(String method, String target, List<String[]> headers, byte[] body) {
        StringBuilder sb = new StringBuilder(method).append(' ').append(target.length() > 300 ? target.substring(0, 300) + "...(" + target.length()
                + " chars)" : target);
        for (String[] h : headers) {
            sb.append("\n  ").append(h[0]).append(": ").append(h[1].length() > 200 ? h[1].substring(0, 200) + "..." : h[1]);
        }
        if (body != null) {
            String b = new String(body, StandardCharsets.UTF_8);
            sb.append("\n  body: ").append(b.length() > 200 ? b.substring(0, 200) + "..." : b);
        }
        return sb.toString();
    }
}
