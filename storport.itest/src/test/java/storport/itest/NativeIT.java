package storport.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import storport.api.backend.BackendInfo;
import storport.api.backend.Backends;
import storport.api.sim.SimulatorControl;

/** The native backend in a real framework: a fixture root, an empty root, the live host, and swaps under load. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NativeIT {
    @Inject
    BundleContext context;
    @Inject
    CommandProcessor processor;
    @Inject
    Backends backends;
    @Inject
    SimulatorControl sim;
    @Inject
    ConfigurationAdmin configurationAdmin;

    private Gogo gogo;

    @Configuration
    public Option[] config() {
        return StorportOptions.withNative(StorportOptions.freshDir("NativeIT"));
    }

    @Before
    public void setUp() throws Exception {
        Gogo.awaitCommands(context, ProductIT.COMMANDS);
        Sims.reset(sim);
        gogo = new Gogo(processor);
    }

    @After
    public void tearDown() throws Exception {
        if (backends.active().equals("native")) {
            backends.select("sim");
        }
        gogo.close();
    }

    /**
     * Points the native backend at {@code root}. Config Admin applies it asynchronously, and
     * "available" may still describe the previous test's root (a backend switch no longer waits for
     * pending configuration deliveries), so the backend passes through an empty root first: the
     * next time it is available, it has read {@code root}.
     */
    private void nativeRoot(Path root) throws Exception {
        Path empty = StorportOptions.freshDir("NativeIT-between");
        Files.createDirectories(empty);
        writeNativeRoot(empty);
        await("native has left the previous root", () -> nativeInfo() != null && !nativeInfo().available());
        writeNativeRoot(root);
    }

    private void writeNativeRoot(Path root) throws Exception {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("root", root.toString());
        props.put("checkIntervalMillis", 200L);
        configurationAdmin.getConfiguration("storport.native", "?").update(props);
    }

    private BackendInfo nativeInfo() {
        return backends.backends().stream().filter(b -> b.name().equals("native")).findFirst().orElse(null);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            assertTrue(what, System.currentTimeMillis() < deadline);
            Thread.sleep(10);
        }
    }

    @Test
    public void nativeOnAnEmptyRootSaysWhyAndThePlatformStaysOnTheSimulator() throws Exception {
        Path empty = StorportOptions.freshDir("NativeIT-empty");
        Files.createDirectories(empty);
        nativeRoot(empty);
        await("native unavailable", () -> nativeInfo() != null && !nativeInfo().available());
        String listing = gogo.run("storport:backend");
        assertTrue(listing, listing.contains("native") && listing.contains("unavailable") && listing.contains("sys/devices/system/cpu/online"));
        String refused = gogo.fail("storport:backend native");
        assertTrue(refused, refused.startsWith("STOR_STATUS_INVALID_PARAMETER: backend 'native' is unavailable: root "));
        assertEquals("17", gogo.run("storport:msgid nvme0 0").trim());
        assertEquals("sim", backends.active());
    }

    @Test
    public void nativeAnswersForAFixtureRootAndRefreshes() throws Exception {
        Path root = FixtureRoot.create(StorportOptions.freshDir("NativeIT-fixture"));
        nativeRoot(root);
        await("native available", () -> nativeInfo() != null && nativeInfo().available());
        assertEquals("backend: native", gogo.run("storport:backend native").trim());
        for (int p = 0; p < 4; p++) {
            assertEquals(String.valueOf(FixtureRoot.ANSWERS[p]), gogo.run("storport:msgid nvme0n1 " + p).trim());
            assertEquals("alias nvme0 and the PCI address answer too", String.valueOf(FixtureRoot.ANSWERS[p]),
                    gogo.run("storport:msgid " + FixtureRoot.BDF + " " + p).trim());
        }
        Map<String, Object> map = Json.object(gogo.run("storport:map --json nvme0"));
        assertEquals("native", map.get("backend"));
        // real vectors overlap (the admin vector targets every CPU): each processor's message targets it
        List<?> messages = (List<?>) map.get("messages");
        for (Object o : (List<?>) map.get("processors")) {
            Map<?, ?> p = (Map<?, ?>) o;
            Map<?, ?> m = (Map<?, ?>) messages.get(((Long) p.get("message")).intValue());
            assertTrue(p + " in " + m, ((List<?>) m.get("processors")).contains(p.get("index")));
        }
        assertEquals(List.of(0L, 1L, 2L, 3L), ((Map<?, ?>) messages.get(0)).get("processors"));
        // the host changes: hctx 1 moves to CPUs 1-3; the change check notices and rebuilds
        Files.writeString(root.resolve("sys/devices/pci0000:00/0000:00:01.0/" + FixtureRoot.BDF + "/nvme/nvme0/nvme0n1/mq/0/cpu_list"), "0\n");
        Files.writeString(root.resolve("sys/devices/pci0000:00/0000:00:01.0/" + FixtureRoot.BDF + "/nvme/nvme0/nvme0n1/mq/1/cpu_list"), "1-3\n");
        Files.writeString(root.resolve("proc/irq/42/smp_affinity_list"), "1-3\n");
        await("the change check rebuilt the snapshot", () -> {
            try {
                return gogo.run("storport:msgid nvme0 1").trim().equals("2");
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue(gogo.run("storport:refresh").startsWith("native: 4 processors, 1 adapters"));
    }

    @Test
    public void liveHostVirtioBlkMatchesProcInterrupts() throws Exception {
        Path vda = Path.of("/sys/block/vda");
        assumeTrue("this machine has no /sys/block/vda (virtio-blk); the live check needs one", Files.exists(vda));
        nativeRoot(Path.of("/"));
        await("native available", () -> nativeInfo() != null && nativeInfo().available());
        gogo.run("storport:backend native");
        // /proc/interrupts: "  36:  0  53346  PCI-MSIX-0000:00:02.0   1-edge      virtio1-req.0"
        Pattern req = Pattern.compile("^\\s*(\\d+):.*PCI-MSIX-\\S+\\s+(\\d+)-edge\\s+(virtio\\d+)-req\\.0\\s*$");
        String virtio = Files.readSymbolicLink(vda).toString().replaceAll(".*/(virtio\\d+)/block/vda$", "$1");
        Integer message = null;
        for (String line : Files.readAllLines(Path.of("/proc/interrupts"))) {
            Matcher m = req.matcher(line);
            if (m.matches() && m.group(3).equals(virtio)) {
                message = Integer.valueOf(m.group(2));
            }
        }
        assumeTrue("/proc/interrupts has no per-device MSI-X line for " + virtio + "-req.0", message != null);
        Map<String, Object> map = Json.object(gogo.run("storport:map --json vda"));
        List<?> processors = (List<?>) map.get("processors");
        int online = Runtime.getRuntime().availableProcessors();
        assertEquals(online, processors.size());
        for (Object o : processors) {
            assertEquals("processor " + ((Map<?, ?>) o).get("index"), (long) message, ((Map<?, ?>) o).get("message"));
        }
        System.out.println("live: vda (" + virtio + ") serves all " + online + " processors on message " + message);
    }

    /**
     * Change events on Event Admin, as any EventHandler sees them: a backend switch, a simulator
     * change (the new snapshot names the adapter), and a finding raised, then cleared.
     */
    @Test
    public void anEventHandlerSeesSwitchesSnapshotsAndFindingsRaisedThenCleared() throws Exception {
        Dictionary<String, Object> interval = new Hashtable<>();
        interval.put("intervalMillis", 100L);
        configurationAdmin.getConfiguration("storport.events", "?").update(interval);
        BlockingQueue<Event> seen = new LinkedBlockingQueue<>();
        Dictionary<String, Object> topics = new Hashtable<>();
        topics.put(EventConstants.EVENT_TOPIC, "storport/*");
        ServiceRegistration<EventHandler> handler = context.registerService(
                EventHandler.class, seen::add, topics);
        try {
            Path root = FixtureRoot.create(StorportOptions.freshDir("NativeIT-events"));
            nativeRoot(root);
            await("native available", () -> nativeInfo() != null && nativeInfo().available());
            seen.clear();
            gogo.run("storport:backend native");
            Event switched = next(seen, "storport/backend/SWITCHED");
            assertEquals("native", switched.getProperty("backend"));
            assertEquals("sim", switched.getProperty("previous"));
            gogo.run("storport:backend sim");
            assertEquals("sim", next(seen, "storport/backend/SWITCHED").getProperty("backend"));

            gogo.run("storport:sim-adapter ev0 --messages 1");
            Event snapshot = next(seen, "storport/snapshot/CHANGED");
            assertEquals(List.of("ev0"), List.of((String[]) snapshot.getProperty("adapters")));
            Event raised = next(seen, "storport/finding/RAISED", e -> "ev0".equals(e.getProperty("adapter")));
            assertEquals("single-vector", raised.getProperty("code"));
            assertEquals("warning", raised.getProperty("severity"));
            assertEquals(0, ((int[]) raised.getProperty("messages"))[0]);

            gogo.run("storport:sim-remove ev0");
            assertEquals(List.of("ev0"), List.of((String[]) next(seen, "storport/snapshot/CHANGED").getProperty("adapters")));
            Event cleared = next(seen, "storport/finding/CLEARED", e -> "ev0".equals(e.getProperty("adapter")));
            assertEquals("single-vector", cleared.getProperty("code"));
        } finally {
            handler.unregister();
        }
    }

    private static Event next(BlockingQueue<Event> seen, String topic)
            throws InterruptedException {
        return next(seen, topic, e -> true);
    }

    /** The next event on the topic that matches, within 10 s; events before it are passed over. */
    private static Event next(BlockingQueue<Event> seen, String topic,
            Predicate<Event> match) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Event e = seen.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertTrue("an event on " + topic, e != null);
            if (e.getTopic().equals(topic) && match.test(e)) {
                return e;
            }
        }
    }

    /** compare on the live host and on a replayed capture of it give the same maps and scores. */
    @Test
    public void compareOnTheLiveHostAndOnItsReplayedCaptureAgree() throws Exception {
        assumeTrue("this machine has no /sys/block/vda (virtio-blk)", Files.exists(Path.of("/sys/block/vda")));
        nativeRoot(Path.of("/"));
        await("native available", () -> nativeInfo() != null && nativeInfo().available());
        gogo.run("storport:backend native");
        String line = "storport:compare --json vda current numa-spread round-robin win-spread win-all";
        String live = gogo.run(line).trim();
        Path capture = StorportOptions.freshDir("NativeIT-compare").resolve("live.tar.gz");
        Files.createDirectories(capture.getParent());
        gogo.run("storport:capture " + capture);
        gogo.run("storport:sim-replay live " + capture);
        gogo.run("storport:backend sim");
        String replayed = gogo.run(line).trim();
        assertTrue(live, live.startsWith("{\"backend\":\"native\","));
        assertEquals(live.replaceFirst("\"backend\":\"native\"", "\"backend\":\"sim\""), replayed);
        System.out.println("compare, live and replayed: " + replayed.substring(0, Math.min(200, replayed.length())));
    }

    /**
     * storport:rates on the live host while dd reads the disk: the interrupts land on the message
     * and CPU where /proc/interrupts counted them (read before and after the rates run).
     */
    @Test
    public void liveRatesShowTheInterruptsWhereProcInterruptsCountsThem() throws Exception {
        Path vda = Path.of("/sys/block/vda");
        assumeTrue("this machine has no /sys/block/vda (virtio-blk); the live check needs one", Files.exists(vda));
        nativeRoot(Path.of("/"));
        await("native available", () -> nativeInfo() != null && nativeInfo().available());
        gogo.run("storport:backend native");
        String virtio = Files.readSymbolicLink(vda).toString().replaceAll(".*/(virtio\\d+)/block/vda$", "$1");
        // Direct reads of a file on the disk, again and again until the test ends: opening /dev/vda itself is
        // refused in some sandboxes, and the page cache would answer buffered reads without an interrupt.
        Path file = StorportOptions.freshDir("NativeIT-dd").resolve("disk-reads.bin");
        Files.createDirectories(file.getParent());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
            for (int mb = 0; mb < 64; mb++) {
                chunk.clear();
                ch.write(chunk);
            }
            ch.force(true);
        }
        Process dd = new ProcessBuilder("sh", "-c", "while dd if=" + file + " of=/dev/null bs=4k iflag=direct 2>/dev/null; do :; done")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(200);
            Map<Long, long[]> before = requestCounts(virtio);
            Map<String, Object> rates = Json.object(gogo.run("storport:rates vda --seconds 2 --json"));
            Map<Long, long[]> after = requestCounts(virtio);
            assertTrue("dd kept reading through the interval", dd.isAlive());
            long ratesTotal = 0;
            long procTotal = 0;
            for (Object o : (List<?>) rates.get("messages")) {
                Map<?, ?> m = (Map<?, ?>) o;
                long[] b = before.get(m.get("id"));
                long[] a = after.get(m.get("id"));
                if (b == null) {
                    assertEquals("the config vector counts no I/O: " + m, List.of(), m.get("cpus"));
                    continue;
                }
                for (Object c : (List<?>) m.get("cpus")) {
                    Map<?, ?> cpu = (Map<?, ?>) c;
                    int column = ((Long) cpu.get("cpu")).intValue();
                    long proc = a[column] - b[column];
                    assertTrue("message " + m.get("id") + " CPU " + column + ": rates " + cpu.get("count") + ", /proc/interrupts " + proc,
                            proc >= (Long) cpu.get("count") && (Long) cpu.get("count") > 0);
                }
                for (int column = 0; column < a.length; column++) {
                    if (a[column] - b[column] > 0) {
                        final int col = column;
                        assertTrue("/proc/interrupts counted message " + m.get("id") + " on CPU " + column + "; rates did too: " + m,
                                ((List<?>) m.get("cpus")).stream().anyMatch(c -> ((Long) ((Map<?, ?>) c).get("cpu")) == col));
                    }
                    procTotal += a[column] - b[column];
                }
                ratesTotal += (Long) m.get("total");
            }
            assertTrue("rates counted " + ratesTotal + " of /proc/interrupts' " + procTotal, ratesTotal > 100 && ratesTotal * 2 > procTotal);
            System.out.println("live rates: dd on vda, storport:rates counted " + ratesTotal + " interrupts in 2 s, /proc/interrupts "
                    + procTotal + " around it");
        } finally {
            dd.descendants().forEach(ProcessHandle::destroy);
            dd.destroy();
            dd.waitFor();
            Files.deleteIfExists(file);
        }
    }

    /** message id -> counts per CPU column of /proc/interrupts, for the disk's request vectors ({@code virtio1-req.0}). */
    private static Map<Long, long[]> requestCounts(String virtio) throws Exception {
        Map<Long, long[]> out = new HashMap<>();
        List<String> lines = Files.readAllLines(Path.of("/proc/interrupts"));
        int columns = lines.get(0).trim().split("\\s+").length;
        Pattern req = Pattern.compile("^\\s*\\d+:((?:\\s+\\d+){" + columns + "})\\s+PCI-MSIX-\\S+\\s+(\\d+)-edge\\s+" + virtio + "-req\\.\\d+\\s*$");
        for (String line : lines) {
            Matcher m = req.matcher(line);
            if (m.matches()) {
                String[] counts = m.group(1).trim().split("\\s+");
                long[] values = new long[columns];
                for (int c = 0; c < columns; c++) {
                    values[c] = Long.parseLong(counts[c]);
                }
                out.put(Long.valueOf(m.group(2)), values);
            }
        }
        assumeTrue("/proc/interrupts has per-device MSI-X lines for " + virtio, !out.isEmpty());
        return out;
    }

    @Test
    public void swapSimAndNativeUnderLoadWhileTheNativeBundleRestartsAndUpdates() throws Exception {
        Path root = FixtureRoot.create(StorportOptions.freshDir("NativeIT-swap"));
        nativeRoot(root);
        await("native available", () -> nativeInfo() != null && nativeInfo().available());
        int[] simAnswer = new int[4];
        for (int p = 0; p < 4; p++) {
            simAnswer[p] = Integer.parseInt(gogo.run("storport:msgid nvme0 " + p).trim());
        }
        Bundle nativeBundle = null;
        for (Bundle b : context.getBundles()) {
            if ("storport.native".equals(b.getSymbolicName())) {
                nativeBundle = b;
            }
        }
        // "native only": an answer only native gives (its fixture differs from the simulator there)
        LookupLoad load = LookupLoad.start(processor, 2, "nvme0", 4, 1, (p, m, before) -> m == FixtureRoot.ANSWERS[p] && m != simAnswer[p]
                ? "native only" : LookupLoad.either(m, p, "native", FixtureRoot.ANSWERS, "sim", simAnswer));
        int switches = 0;
        int restarts = 0;
        int updates = 0;
        try {
            for (int i = 0; i < 120; i++) {
                if (i % 12 == 5) {
                    nativeBundle.stop();
                    nativeBundle.start();
                    restarts++;
                } else if (i % 12 == 11) {
                    nativeBundle.update();
                    updates++;
                } else {
                    String next = switches % 2 == 0 ? "native" : "sim";
                    await("native registered again", () -> nativeInfo() != null && nativeInfo().available());
                    backends.select(next);
                    switches++;
                }
            }
        } finally {
            load.stop();
        }
        LookupLoad.Result r = load.stop();
        System.out.printf("native swap under load: %d lookups (%d only native could give), %d failed, %d inconsistent, "
                + "%d switches, %d native bundle restarts, %d updates%n", r.lookups(), r.count("native only"), r.failed(),
                r.inconsistent(), switches, restarts, updates);
        assertEquals("failed lookups, first: " + r.firstProblem(), 0, r.failed());
        assertEquals("inconsistent lookups, first: " + r.firstProblem(), 0, r.inconsistent());
        assertTrue("native answered some: " + r, r.count("native only") > 0);
        assertTrue("lookups ran throughout: " + r.lookups(), r.lookups() > 500);
    }
}
