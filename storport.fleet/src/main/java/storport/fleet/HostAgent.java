package storport.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

import org.eclipse.paho.client.mqttv3.MqttException;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.StorPort;
import storport.api.StorPortException;
import storport.api.sim.HostCapture;
import storport.view.Documents;
import storport.view.Findings;
import storport.view.Json;

/**
 * The agent: publishes this host to the broker, retained, so a console that subscribes later has it
 * at once. At every (re)connect {@code status} {@code online}, then the {@code snapshot} (the capture
 * archive of the native backend's inputs, DESIGN section 6) and the {@code state} summary; afterwards
 * both again whenever the native backend's snapshot changes. Runs on the link's thread only.
 */
final class HostAgent {
    private final String host;
    private final Supplier<StorPort> nativeBackend;
    private final Supplier<HostCapture> capture;
    private final Path work;
    /** The snapshot last published, or null: publish at the next check. */
    private Host published;
    /** The problem last published instead of a snapshot, or null. */
    private String publishedProblem;
    private int captures;

    HostAgent(String host, Supplier<StorPort> nativeBackend, Supplier<HostCapture> capture, Path work) {
        this.host = host;
        this.nativeBackend = nativeBackend;
        this.capture = capture;
        this.work = work;
    }

    /** A clean session: everything is published again (a broker that restarted without persistence has nothing). */
    void connected(BrokerLink link) throws MqttException {
        published = null;
        publishedProblem = null;
        link.publish(Topics.status(host), Topics.ONLINE, true);
        publishIfChanged(link);
    }

    /** The periodic look: publishes when the host changed since the last publication. */
    void check(BrokerLink link) {
        if (!link.connected()) {
            return;
        }
        try {
            publishIfChanged(link);
        } catch (MqttException lost) {
            // the link's connectionLost reconnects, and connected() publishes everything again
        }
    }

    /** Marks the host offline before a clean disconnect, as the will does for an unclean one. */
    void leaving(BrokerLink link) {
        try {
            link.publish(Topics.status(host), Topics.OFFLINE, true);
        } catch (MqttException e) {
            // the will says it
        }
    }

    private void publishIfChanged(BrokerLink link) throws MqttException {
        StorPort backend = nativeBackend.get();
        HostCapture c = capture.get();
        if (backend == null || c == null) {
            problem(link, "the native backend does not answer on this host");
            return;
        }
        Host now;
        byte[] archive;
        try {
            now = backend.host();
            if (now == published) {
                return;
            }
            archive = capture(c);
        } catch (StorPortException | IOException e) {
            problem(link, "cannot capture this host: " + e.getMessage());
            return;
        }
        // the snapshot first: a console that sees the new state can already answer from it
        link.publish(Topics.snapshot(host), archive, true);
        link.publish(Topics.state(host), state(host, now, archive.length, Instant.now()).getBytes(StandardCharsets.UTF_8), true);
        published = now;
        publishedProblem = null;
    }

    private void problem(BrokerLink link, String problem) throws MqttException {
        if (problem.equals(publishedProblem)) {
            return;
        }
        String json = new Json().object().field("host", host).field("backend", "").field("error", problem)
                .field("time", Instant.now().toString()).end() + "\n";
        link.publish(Topics.state(host), json.getBytes(StandardCharsets.UTF_8), true);
        publishedProblem = problem;
        published = null;
    }

    private byte[] capture(HostCapture c) throws IOException {
        Path file = work.resolve("snapshot-" + captures++ + ".tar.gz");
        Files.deleteIfExists(file);
        try {
            c.capture(file);
            return Files.readAllBytes(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * The {@code state} document: {@code {"host":"db-17","backend":"native","fingerprint":"...","adapters":3,
     * "findings":{"error":0,"warning":2,"info":1},"codes":{"cross-node":2,...},"snapshotBytes":5120,"time":"..."}}.
     */
    static String state(String name, Host host, int snapshotBytes, Instant time) {
        Json j = new Json().object().field("host", name).field("backend", host.backend()).field("fingerprint", fingerprint(host))
                .field("adapters", host.adapters().size());
        FindingCounts.of(Findings.of(host)).write(j);
        return j.field("snapshotBytes", snapshotBytes).field("time", time.toString()).end() + "\n";
    }

    /** What the maps are, not when they were read: the same host gives the same fingerprint. */
    static String fingerprint(Host host) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(new Documents.TopologyView(host).json().getBytes(StandardCharsets.UTF_8));
            for (Adapter a : host.adapters()) {
                sha.update(new Documents.Messages(host, a).json().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
