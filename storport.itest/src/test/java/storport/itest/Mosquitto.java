package storport.itest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto (Debian's) as a site would run it for the fleet: TLS only (a CA made for the run
 * signs the broker's certificate for 127.0.0.1), no anonymous clients, a password file, and the ACL of
 * README's fleet section (each agent writes only its own host's subtree; the console reads).
 */
final class Mosquitto implements AutoCloseable {
    static final String ACL = """
            # consoles read every host
            user console
            topic read storport/v1/hosts/#

            # an agent, logged in with its host's name, writes only that host's subtree
            pattern write storport/v1/hosts/%u/#
            """;

    static final String TRUST_PASSWORD = "storport-test";

    final Path dir;
    final int port;
    final Path ca;
    private Process process;

    private Mosquitto(Path dir, int port, Path ca, Process process) {
        this.dir = dir;
        this.port = port;
        this.ca = ca;
        this.process = process;
    }

    /** Starts the broker with these users (name to password); waits until it listens. */
    static Mosquitto start(Path dir, Map<String, String> users) throws IOException, InterruptedException {
        StorportOptions.delete(dir);
        Files.createDirectories(dir);
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=storport test CA", "-keyout", "ca.key", "-out", "ca.crt");
        run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=127.0.0.1",
                "-keyout", "server.key", "-out", "server.csr");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-extfile", "san.ext", "-out", "server.crt");
        // the same CA as a trust store, for the test's own Paho clients
        run(dir, "keytool", "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.crt", "-keystore", "trust.p12", "-storetype", "PKCS12",
                "-storepass", TRUST_PASSWORD);
        Path passwords = dir.resolve("passwords");
        Files.writeString(passwords, "");
        for (Map.Entry<String, String> u : users.entrySet()) {
            run(dir, "mosquitto_passwd", "-b", passwords.toString(), u.getKey(), u.getValue());
        }
        Files.writeString(dir.resolve("acl"), ACL);
        int port = ConsoleProduct.freePort();
        Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "per_listener_settings false",
                "allow_anonymous false",
                "password_file " + passwords,
                "acl_file " + dir.resolve("acl"),
                "listener " + port + " 127.0.0.1",
                "cafile " + dir.resolve("ca.crt"),
                "certfile " + dir.resolve("server.crt"),
                "keyfile " + dir.resolve("server.key"),
                // a file, which mosquitto flushes line by line (its stdout into a file is block-buffered)
                "log_dest file " + dir.resolve("mosquitto.log"),
                "log_type all",
                "") );
        // mosquitto refuses to run as root unless told which user; the files are ours already
        Files.writeString(dir.resolve("mosquitto.conf"), "user " + System.getProperty("user.name") + "\n", java.nio.file.StandardOpenOption.APPEND);
        return new Mosquitto(dir, port, dir.resolve("ca.crt"), launch(dir, port));
    }

    private static Process launch(Path dir, int port) throws IOException, InterruptedException {
        String listening = "Opening ipv4 listen socket on port " + port;
        Path log = dir.resolve("mosquitto.log");
        int before = Files.exists(log) ? Files.readString(log).split(listening, -1).length : 1;
        Process p = new ProcessBuilder(binary(), "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.out").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(log) || Files.readString(log).split(listening, -1).length <= before) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new AssertionError("mosquitto did not start:\n" + (Files.exists(log) ? Files.readString(log) : "")
                        + Files.readString(dir.resolve("mosquitto.out")));
            }
            Thread.sleep(50);
        }
        return p;
    }

    /** Debian's broker lives in /usr/sbin, which a user's PATH may lack. */
    static String binary() {
        String configured = System.getProperty("mosquitto.binary");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
    }

    /** Stops the broker and starts it again on the same port, empty (no persistence): an outage that lost everything retained. */
    void restart() throws IOException, InterruptedException {
        close();
        process = launch(dir, port);
    }

    /** Paho's TLS settings trusting the run's CA. */
    java.util.Properties tls() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("com.ibm.ssl.trustStore", dir.resolve("trust.p12").toString());
        p.setProperty("com.ibm.ssl.trustStoreType", "PKCS12");
        p.setProperty("com.ibm.ssl.trustStorePassword", TRUST_PASSWORD);
        return p;
    }

    String uri() {
        return "ssl://127.0.0.1:" + port;
    }

    String log() throws IOException {
        Path log = dir.resolve("mosquitto.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
    }
}
