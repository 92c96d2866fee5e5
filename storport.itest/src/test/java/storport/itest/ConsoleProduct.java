package storport.itest;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The product as a process: {@code ./storport --no-shell} (or the interactive {@code ./storport})
 * serving the console on a port of its own, with its output in files, and plain HTTP calls to it.
 */
final class ConsoleProduct implements AutoCloseable {
    /** The address line; in an interactive session it may follow the shell's first prompt. */
    static final Pattern ADDRESS = Pattern.compile("^(?:g! )?storport console: (https?://[0-9.]+:(\\d+))/system/console/storport \\(user admin\\)$",
            Pattern.MULTILINE);
    static final Pattern GENERATED = Pattern.compile("^(?:g! )?storport console: password of admin \\(generated now and shown only this once; "
            + "its hash is in (\\S+)\\): (\\S+)$", Pattern.MULTILINE);

    final Process process;
    final Path home;
    final int port;
    private final Path out;
    private final Path err;
    final OutputStream stdin;

    private ConsoleProduct(Process process, Path home, int port, Path out, Path err) {
        this.process = process;
        this.home = home;
        this.port = port;
        this.out = out;
        this.err = err;
        this.stdin = process.getOutputStream();
    }

    /** Starts {@code ./storport ARGS} on a fresh port with this home; stdin stays open (the interactive shell reads it). */
    static ConsoleProduct start(Path home, Map<String, String> env, String... args) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("storport.launcher"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("STORPORT_HOME", home.toString());
        pb.environment().put("STORPORT_CONSOLE_PORT", String.valueOf(port));
        pb.environment().remove("STORPORT_CONSOLE_PASSWORD");
        pb.environment().remove("STORPORT_CONSOLE_HOST");
        for (String tls : List.of("STORPORT_CONSOLE_TLS", "STORPORT_CONSOLE_TLS_PASSWORD", "STORPORT_CONSOLE_INSECURE", "STORPORT_CONSOLE_HOSTNAMES")) {
            pb.environment().remove(tls);
        }
        pb.environment().putAll(env);
        Files.createDirectories(home.getParent());
        Path out = home.resolveSibling(home.getFileName() + ".out");
        Path err = home.resolveSibling(home.getFileName() + ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        return new ConsoleProduct(pb.start(), home, port, out, err);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String out() throws IOException {
        return Files.readString(out);
    }

    String err() throws IOException {
        return Files.readString(err);
    }

    /** Waits until stdout has a match; fails with both outputs when the process ends first or the time is up. */
    Matcher await(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher m = pattern.matcher(out());
            if (m.find()) {
                return m;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no " + pattern + " from storport (alive: " + process.isAlive() + ")\nstdout:\n" + out()
                        + "\nstderr:\n" + err());
            }
            Thread.sleep(100);
        }
    }

    /** The printed base address, {@code http://127.0.0.1:PORT}, once the console listens. */
    String awaitConsole() throws IOException, InterruptedException {
        Matcher m = await(ADDRESS, Duration.ofSeconds(180));
        assertEquals("the port asked for", String.valueOf(port), m.group(2));
        return m.group(1);
    }

    /** SIGTERM to the launcher, as a service manager stops it; the exit code. */
    int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new AssertionError("storport did not stop within " + timeout + " of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    // ------------------------------------------------------------------ HTTP

    static final HttpClient PLAIN = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> get(HttpClient client, String url, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(HttpClient client, String url, String form, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs the one-shot launcher ({@code ./storport 'LINE'}) with this home; its stdout, after checking it succeeded. */
    static String oneShot(Path home, Map<String, String> env, String line) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(System.getProperty("storport.launcher"), line);
        pb.environment().put("STORPORT_HOME", home.toString());
        pb.environment().putAll(env);
        Files.createDirectories(home.getParent());
        Path out = Files.createTempFile(home.getParent(), "oneshot-", ".out");
        Path err = Files.createTempFile(home.getParent(), "oneshot-", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null")
                .toFile())).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("storport '" + line + "' did not finish");
        }
        String stdout = Files.readString(out);
        assertEquals(Files.readString(err), 0, p.exitValue());
        Files.delete(out);
        Files.delete(err);
        return stdout;
    }
}
