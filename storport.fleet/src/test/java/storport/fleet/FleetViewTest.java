package storport.fleet;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import storport.api.StorPort;
import storport.api.fleet.FleetHost;
import storport.capture.CaptureInfo;
import storport.capture.CaptureWriter;
import storport.linux.DirectorySource;
import storport.linux.FixtureTree;
import storport.linux.LinuxHostScanner;
import storport.view.Documents;

/**
 * The console side on real capture archives: a snapshot serves as backend host:NAME with its findings;
 * a corrupt, foreign or too large one is refused with the reason and the host's previous snapshot
 * keeps serving; kept snapshots serve a console that starts again; a cleared status takes the host out.
 */
public class FleetViewTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final Map<String, StorPort> registered = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    private FleetView view(Path store, long max) {
        return new FleetView((name, service) -> {
            registered.put(name, service);
            return () -> registered.remove(name);
        }, store, max, warnings::add);
    }

    /** 4 CPUs on one node, nvme0 with queues on CPUs {@code hctx0} and {@code hctx1}: answers for processors 0..3. */
    private byte[] snapshot(String name, String hctx0, String hctx1) throws IOException {
        Path root = tmp.newFolder(name).toPath();
        FixtureTree tree = new FixtureTree(root);
        tree.cpus(4);
        tree.nodes("0").node(0, "0-3");
        FixtureTree.Pci dev = tree.nvmePci("0000:01:00.0", 0);
        tree.msix(dev, 40, 0, "nvme0q0", "0-3", null);
        tree.msix(dev, 41, 1, "nvme0q1", hctx0, null);
        tree.msix(dev, 42, 2, "nvme0q2", hctx1, null);
        tree.nvmeDisk(dev, "nvme0", "nvme0n1", cpuList(hctx0), cpuList(hctx1));
        Path out = tmp.getRoot().toPath().resolve(name + ".tar.gz");
        new CaptureWriter().write(new DirectorySource(root), s -> {
            try {
                new LinuxHostScanner().scan(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, out, CaptureInfo.of(name, "test", Instant.now(), "0"));
        return Files.readAllBytes(out);
    }

    /** sysfs's cpu_list form of a range: {@code 0-2} is {@code 0, 1, 2}. */
    private static String cpuList(String range) {
        String[] ends = range.split("-");
        StringBuilder b = new StringBuilder();
        for (int c = Integer.parseInt(ends[0]); c <= Integer.parseInt(ends[ends.length - 1]); c++) {
            b.append(b.length() == 0 ? "" : ", ").append(c);
        }
        return b.toString();
    }

    private static FleetHost host(FleetView view, String name) {
        return view.hosts().stream().filter(h -> h.host().equals(name)).findFirst().orElse(null);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void aSnapshotServesAsTheHostsBackendAndARefusedOneLeavesThePreviousServing() throws Exception {
        Path store = tmp.newFolder("store").toPath();
        FleetView view = view(store, 64 * 1024);
        view.message("storport/v1/hosts/db-17/status", utf8("online"), true);
        view.message("storport/v1/hosts/db-17/state", utf8("{\"host\":\"db-17\",\"backend\":\"native\",\"time\":\"2026-12-02T14:00:00Z\"}"), true);
        view.message("storport/v1/hosts/db-17/snapshot", snapshot("db-17", "0-1", "2-3"), true);

        FleetHost h = host(view, "db-17");
        assertTrue(h.online());
        assertEquals(Instant.parse("2026-12-02T14:00:00Z"), h.lastSeen());
        assertEquals("native", h.backend());
        assertEquals(1, h.adapters());
        assertEquals("", h.refused());
        StorPort backend = registered.get("host:db-17");
        assertNotNull("registered as host:db-17: " + registered.keySet(), backend);
        assertEquals("host:db-17", backend.host().backend());
        int[] answers = new int[4];
        for (int i = 0; i < 4; i++) {
            answers[i] = backend.messageInterruptId("nvme0", i);
        }
        assertEquals("[1, 1, 2, 2]", java.util.Arrays.toString(answers));
        assertTrue(Files.exists(store.resolve("db-17.tar.gz")));

        // corrupt: not gzip
        view.message("storport/v1/hosts/db-17/snapshot", utf8("garbage, not an archive"), true);
        assertTrue(host(view, "db-17").refused(), host(view, "db-17").refused().contains("accept the snapshot of host db-17"));
        assertEquals(1, backend.messageInterruptId("nvme0", 1));
        // foreign: a gzip'd tar that is no storport capture
        view.message("storport/v1/hosts/db-17/snapshot", gzip(new byte[10240]), true);
        assertFalse(host(view, "db-17").refused().isEmpty());
        // too large
        view.message("storport/v1/hosts/db-17/snapshot", new byte[64 * 1024 + 1], true);
        assertEquals("a snapshot of 65537 bytes is larger than the limit of 65536 bytes", host(view, "db-17").refused());
        assertEquals("the last good snapshot keeps serving", 2, backend.messageInterruptId("nvme0", 3));
        assertEquals(3, warnings.size());
        assertTrue(warnings.get(2), warnings.get(2).endsWith("its previous snapshot keeps serving"));

        // a new snapshot (the queue map moved) replaces it, same backend service, refusal cleared
        view.message("storport/v1/hosts/db-17/snapshot", snapshot("db-17-moved", "0", "1-3"), false);
        assertEquals(2, backend.messageInterruptId("nvme0", 1));
        assertEquals("", host(view, "db-17").refused());
        assertTrue("a live message is a sign of life", host(view, "db-17").lastSeen().isAfter(Instant.parse("2026-12-02T14:00:00Z")));

        // the will
        view.message("storport/v1/hosts/db-17/status", utf8("offline"), true);
        assertFalse(host(view, "db-17").online());
        // a console starting again serves the kept snapshot before the broker says anything
        registered.clear();
        FleetView again = view(store, 64 * 1024);
        again.loadKept();
        assertEquals(2, registered.get("host:db-17").messageInterruptId("nvme0", 1));
        assertFalse(host(again, "db-17").online());
        // a cleared retained status takes the host out of the fleet
        again.message("storport/v1/hosts/db-17/status", new byte[0], true);
        assertNull(host(again, "db-17"));
        assertTrue(registered.isEmpty());
        assertFalse("its kept snapshot goes too", Files.exists(store.resolve("db-17.tar.gz")));
        FleetView third = view(store, 64 * 1024);
        third.loadKept();
        assertTrue(third.hosts().isEmpty());
    }

    @Test
    public void topicsThatAreNoFleetHostsAreIgnored() {
        FleetView view = view(tmp.getRoot().toPath(), 1024);
        view.message("storport/v1/hosts/a/b/status", utf8("online"), true);
        view.message("storport/v1/hosts/..%/status", utf8("online"), true);
        view.message("other/topic", utf8("online"), true);
        view.message("storport/v1/hosts/later/unknown", utf8("x"), true);
        view.message("storport/v1/hosts/ok/status", utf8("online"), true);
        assertEquals(List.of("ok"), view.hosts().stream().map(FleetHost::host).toList());
        assertEquals("no snapshot yet", -1, host(view, "ok").adapters());
    }

    @Test
    public void theHostsDocumentAndTheFindingFilter() throws Exception {
        FleetView view = view(tmp.newFolder("store").toPath(), 64 * 1024);
        view.message("storport/v1/hosts/b/status", utf8("online"), true);
        view.message("storport/v1/hosts/b/snapshot", snapshot("b", "0-1", "2-3"), true);
        // 3 CPUs on one queue, 1 on the other: uneven
        view.message("storport/v1/hosts/a/snapshot", snapshot("a", "0-2", "3"), true);
        Documents.Hosts hosts = Documents.Hosts.of(view);
        assertEquals(List.of("a", "b"), hosts.hosts().stream().map(FleetHost::host).toList());
        String json = hosts.json();
        assertTrue(json, json.startsWith("{\"connection\":\"not connected\",\"hosts\":[{\"host\":\"a\",\"online\":false,\"lastSeen\":null,"));
        Map<String, Integer> codes = host(view, "a").codes();
        assertFalse("host a has findings: " + codes, codes.isEmpty());
        assertEquals(Map.of("uneven", 1), codes);
        assertEquals(List.of("a"), hosts.withFinding("uneven").hosts().stream().map(FleetHost::host).toList());
        assertEquals(Map.of("error", 0, "warning", 0, "info", 1), host(view, "a").findings());
        assertEquals(Map.of("error", 0, "warning", 0, "info", 0), host(view, "b").findings());
        assertTrue(hosts.text(), hosts.text().startsWith("HOST  ONLINE  LAST-SEEN"));
        assertTrue(hosts.text(), hosts.text().endsWith("broker: not connected\n"));
    }

    /** The agent's state counts findings as the console does: by severity (all three, zeros too) and by code. */
    @Test
    public void theStateSaysWhatTheConsoleCounts() throws Exception {
        Path store = tmp.newFolder("state").toPath();
        FleetView view = view(store, 64 * 1024);
        view.message("storport/v1/hosts/a/snapshot", snapshot("a", "0-2", "3"), true);
        storport.api.Host host = storport.capture.CapturedHost.read(store.resolve("a.tar.gz"), "read");
        String state = HostAgent.state("a", host, 1234, Instant.parse("2026-12-02T14:00:00Z"));
        assertTrue(state, state.matches("\\{\"host\":\"a\",\"backend\":\"native\",\"fingerprint\":\"[0-9a-f]{32}\",\"adapters\":1,"
                + "\"findings\":\\{\"error\":0,\"warning\":0,\"info\":1\\},\"codes\":\\{\"uneven\":1\\},\"snapshotBytes\":1234,"
                + "\"time\":\"2026-12-02T14:00:00Z\"\\}\n"));
        assertEquals(host(view, "a").findings(), Map.of("error", 0, "warning", 0, "info", 1));
        assertEquals("the same host, the same fingerprint", state, HostAgent.state("a", storport.capture.CapturedHost.read(
                store.resolve("a.tar.gz"), "read"), 1234, Instant.parse("2026-12-02T14:00:00Z")));
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
