package storport.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPOutputStream;

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
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

import storport.api.backend.BackendInfo;
import storport.api.backend.Backends;
import storport.api.sim.SimulatorControl;

/**
 * The bad-input catalogue (RELIABILITY.md) in the real framework: every shell command with bad
 * arguments, bad captures, invalid configurations written straight into Config Admin, and a
 * native root that goes bad after a good read. Each is refused with its exact reason (a
 * configuration: logged), and the last good state keeps serving, checked by comparing what the
 * product answers before and after.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BadInputIT {
    private static final String P = "STOR_STATUS_INVALID_PARAMETER: ";

    @Inject
    BundleContext context;
    @Inject
    CommandProcessor processor;
    @Inject
    SimulatorControl sim;
    @Inject
    Backends backends;
    @Inject
    ConfigurationAdmin configurationAdmin;

    private Gogo gogo;
    /** storport's entries in the OSGi log (Felix Log), as any LogReader sees them: level and message. */
    @Inject
    LogReaderService logReader;
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final LogListener capture = entry -> {
        if (entry.getBundle() != null && entry.getBundle().getSymbolicName().startsWith("storport.")) {
            logged.add(entry.getLogLevel() + " " + entry.getMessage());
        }
    };

    @Configuration
    public Option[] config() {
        return StorportOptions.withNative(StorportOptions.freshDir("BadInputIT"));
    }

    @Before
    public void setUp() throws Exception {
        Gogo.awaitCommands(context, "adapters", "msgid", "map", "messages", "topology", "backend", "sim-host", "sim-adapter",
                "sim-remove", "sim-replay", "capture", "refresh");
        if (sim.replaying() != null) {
            sim.setHost(Sims.DEFAULT_HOST); // a replay ends with a synthetic host; only then may adapters change
        }
        Sims.reset(sim);
        gogo = new Gogo(processor);
        logReader.addLogListener(capture);
    }

    @After
    public void tearDown() throws Exception {
        logReader.removeLogListener(capture);
        if (backends.active().equals("native")) {
            backends.select("sim");
        }
        gogo.close();
    }

    /** What the product answers now: adapters, topology, backends, the simulated host, and every adapter's whole map. */
    private String state() throws Exception {
        return gogo.run("storport:adapters --json") + gogo.run("storport:topology --json") + gogo.run("storport:backend")
                + sim.hostSpec() + " " + sim.replaying() + Sims.maps(gogo);
    }

    /** The line fails with exactly this message, and the product answers as before. */
    private void refused(String line, String message) throws Exception {
        String before = state();
        String e = gogo.fail(line);
        assertEquals(line, message, e);
        assertNoTrace(line, e);
        assertEquals("state after '" + line + "'", before, state());
    }

    static void assertNoTrace(String what, String text) {
        assertFalse(what + " leaks a stack frame: " + text, text.matches("(?s).*\\bat [\\w$.]+\\(.*"));
        assertFalse(what + " names an exception: " + text, text.contains("Exception"));
    }

    @Test
    public void theSeedCallAndTheAdapterQuestionsRefuseBadArguments() throws Exception {
        refused("storport:msgid nvme0 abc", P + "processor index 'abc' is not a number");
        refused("storport:msgid nvme0 80", P + "processor index 80 is outside 0..79");
        refused("storport:msgid nvme0 -1", P + "processor index -1 is outside 0..79");
        refused("storport:msgid nvme0 99999999999", P + "processor index 99999999999 is outside 0..79");
        refused("storport:msgid nvme0 1e3", P + "processor index '1e3' is not a number");
        refused("storport:msgid nvme0 \" 5\"", P + "processor index ' 5' is not a number");
        refused("storport:msgid nvme0 $undefined", P + "no processor index given");
        refused("storport:msgid nope 0", P + "unknown adapter 'nope' on backend sim (adapters: nvme0, sas0)");
        refused("storport:msgid \"\" 0", P + "unknown adapter '' on backend sim (adapters: nvme0, sas0)");
        refused("storport:map nope", P + "unknown adapter 'nope' on backend sim (adapters: nvme0, sas0)");
        refused("storport:messages --json nope", P + "unknown adapter 'nope' on backend sim (adapters: nvme0, sas0)");
        refused("storport:backend nope", P + "unknown backend 'nope' (available: native, sim)");
        refused("storport:backend \"\"", P + "no backend given");
    }

    @Test
    public void theSimulatorCommandsRefuseBadTopologiesAndAdapters() throws Exception {
        refused("storport:sim-host core:-3", P + "host spec 'core:-3': count of core must be at least 1, not -3");
        refused("storport:sim-host node:0", P + "host spec 'node:0': count of node must be at least 1, not 0");
        refused("storport:sim-host core:abc", P + "host spec 'core:abc': count of core must be a whole number, not 'abc'");
        refused("storport:sim-host \"\"", P + "empty host spec: give levels such as 'package:2 node:1 core:20 pu:2'");
        refused("storport:sim-host l3:2", P + "host spec 'l3:2': unknown level 'l3' (levels: package, node, core, pu)");
        refused("storport:sim-host pu:2 core:4", P + "host spec 'pu:2 core:4': level core is repeated or out of order "
                + "(order: package, node, core, pu)");
        refused("storport:sim-host node:2 extra", P + "host spec 'node:2 extra': 'extra' is not LEVEL:COUNT");
        refused("storport:sim-host node:128 core:64 pu:2", P + "host spec 'node:128 core:64 pu:2': 16384 processors is more than the "
                + "8192 storport supports");
        refused("storport:sim-adapter x --messages 0", P + "adapter x: 0 messages is outside 1..2048");
        refused("storport:sim-adapter x --messages 2049", P + "adapter x: 2049 messages is outside 1..2048");
        refused("storport:sim-adapter x --messages 4 --first 4", P + "adapter x: first redirection message 4 is outside 0..3");
        refused("storport:sim-adapter x --messages 4 --policy nope", P + "unknown policy 'nope' (policies: numa-spread, numa-spread-legacy, round-robin, "
                + "single, explicit, managed_irq, win-machine-default, win-all-close, win-one-close, win-all, win-specified:LIST, win-spread, "
                + "win-all-when-steered)");
        refused("storport:sim-adapter x --messages 4 --policy win-specified:90", P + "win-specified: processor index 90 is outside 0..79");
        refused("storport:sim-adapter x --messages 4 --node 7", P + "adapter x: NUMA node 7 does not exist (nodes: [0, 1])");
        refused("storport:sim-adapter x --messages 4 --policy explicit --table 1,2,3",
                P + "adapter x: the explicit table has 3 entries; the host has 80 processors");
        refused("storport:sim-adapter x --messages 4 --policy explicit --table 1,2,x", P + "--table entry 'x' is not a number");
        refused("storport:sim-adapter a/b --messages 4", P + "adapter name 'a/b' must be 1-64 letters, digits, '.', '_', ':' or '-', "
                + "starting with a letter or digit");
        refused("storport:sim-adapter nvme0 --messages abc", P + "--messages 'abc' is not a number");
        refused("storport:sim-adapter nvme0 --messages", P + "option --messages needs a value");
        refused("storport:sim-adapter nvme0 --bogus 3", P + "unknown option '--bogus' (options: --messages, --first, --policy, --node, "
                + "--table)");
        refused("storport:sim-adapter newone", P + "--messages is required for the new adapter newone");
        refused("storport:sim-remove nope", P + "no simulated adapter 'nope' (adapters: nvme0, sas0)");
        refused("storport:sim-remove", P + "missing argument: adapter name");
    }

    @Test
    public void badCapturesAreRefusedWithTheReason() throws Exception {
        Path dir = StorportOptions.freshDir("BadInputIT-files");
        Files.createDirectories(dir);
        Path text = Files.writeString(dir.resolve("notes.tar.gz"), "just some notes\n");
        Path gzipText = dir.resolve("text.tar.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gzipText))) {
            o.write("hello\n".repeat(200).getBytes(StandardCharsets.UTF_8));
        }
        Path foreignTree = Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(foreignTree.resolve("motd"), "hello\n");
        Path foreign = dir.resolve("foreign.tar.gz");
        assertEquals(0, new ProcessBuilder("tar", "czf", foreign.toString(), "-C", foreignTree.toString(), ".").inheritIO().start().waitFor());
        // a real capture of a fixture host, then cut in half
        Path root = FixtureRoot.create(dir.resolve("root"));
        nativeRoot(root);
        await("native available", () -> nativeInfo().available());
        Path whole = dir.resolve("whole.tar.gz");
        gogo.run("storport:backend native");
        assertTrue(gogo.run("storport:capture " + whole).startsWith("captured "));
        gogo.run("storport:backend sim");
        byte[] bytes = Files.readAllBytes(whole);
        Path half = Files.write(dir.resolve("half.tar.gz"), Arrays.copyOf(bytes, bytes.length / 2));

        refused("storport:sim-replay x " + dir.resolve("missing.tar.gz"), P + "cannot replay " + dir.resolve("missing.tar.gz").toAbsolutePath()
                + ": no such file");
        refused("storport:sim-replay x " + text, P + "cannot replay " + text.toAbsolutePath() + ": " + text.toAbsolutePath()
                + ": not a gzip file; a capture is a .tar.gz written by storport");
        String m = gogo.fail("storport:sim-replay x " + gzipText);
        assertTrue(m, m.startsWith(P + "cannot replay " + gzipText.toAbsolutePath() + ": ") && m.contains("bad tar header checksum"));
        refused("storport:sim-replay x " + foreign, P + "cannot replay " + foreign.toAbsolutePath() + ": not a storport capture: "
                + foreign.toAbsolutePath() + " has no storport-capture.properties");
        m = gogo.fail("storport:sim-replay x " + half);
        assertTrue(m, m.startsWith(P + "cannot replay " + half.toAbsolutePath() + ": ") && m.contains("truncated"));
        assertNoTrace("half", m);
        refused("storport:sim-replay x " + dir, P + "cannot replay " + dir.toAbsolutePath() + ": Is a directory");
        refused("storport:sim-replay \"bad name!\" " + whole, P + "replay name 'bad name!' must be 1-64 letters, digits, '.', '_' or '-', "
                + "starting with a letter or digit");
        refused("storport:capture " + whole, P + whole.toAbsolutePath() + " exists; choose another name (a capture never overwrites)");
        refused("storport:capture " + dir.resolve("nodir/x.tar.gz"), P + "the folder of " + dir.resolve("nodir/x.tar.gz").toAbsolutePath()
                + " does not exist");
        // and the good capture still replays
        assertEquals("1", gogo.run("storport:sim-replay fixture " + whole + " ; storport:msgid nvme0 0").trim().lines().reduce((a, b) -> b)
                .orElse(""));
        sim.setHost(Sims.DEFAULT_HOST);
    }

    /** A tar entry (ustar header, then the data padded to 512 bytes). */
    static byte[] tarEntry(String name, char type, String data, String link) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        byte[] h = new byte[512 + (bytes.length + 511) / 512 * 512];
        put(h, 0, name);
        put(h, 100, "0000444");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", bytes.length));
        put(h, 136, "00000000000");
        h[156] = (byte) type;
        put(h, 157, link);
        put(h, 257, "ustar");
        put(h, 263, "00");
        Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += h[i] & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        System.arraycopy(bytes, 0, h, 512, bytes.length);
        return h;
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, at, b.length);
    }

    /** A gzipped tar of a manifest in {@code format} and the entries, each {name, type, data, link}. */
    static Path crafted(Path file, String format, String[]... entries) throws IOException {
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
            o.write(tarEntry("storport-capture.properties", '0', "format=" + format + "\nhost=test-host\nkernel=6.1.0\n"
                    + "time=2026-01-02T03:04:05Z\nstorport-version=0.1.0\nroot=/\nentries=3\n", ""));
            for (String[] e : entries) {
                o.write(tarEntry(e[0], e[1].charAt(0), e[2], e[3]));
            }
            o.write(new byte[1024]);
        }
        return file;
    }

    /** Captures crafted to attack the reader: each is refused naming the entry, and the simulator keeps its host. */
    @Test
    public void hostileCapturesAreRefusedNamingTheEntry() throws Exception {
        Path dir = Files.createDirectories(StorportOptions.freshDir("BadInputIT-hostile"));
        String online = "sys/devices/system/cpu/online";
        Object[][] cases = {
            { crafted(dir.resolve("escape.tar.gz"), "storport-capture/1", new String[] { "../escape", "0", "x", "" }),
                "entry ../escape escapes the capture with '..'; a capture holds only names inside its root" },
            { crafted(dir.resolve("absolute.tar.gz"), "storport-capture/1", new String[] { "/abs", "0", "x", "" }),
                "entry /abs has an absolute name; a capture holds only names relative to its root" },
            { crafted(dir.resolve("hardlink.tar.gz"), "storport-capture/1", new String[] { "sys/a", "0", "1", "" },
                new String[] { "sys/b", "1", "", "sys/a" }),
                "entry sys/b is a hard link; a capture holds only files, directories and symbolic links" },
            { crafted(dir.resolve("device.tar.gz"), "storport-capture/1", new String[] { "dev/sda", "4", "", "" }),
                "entry dev/sda is a device; a capture holds only files, directories and symbolic links" },
            { crafted(dir.resolve("dup.tar.gz"), "storport-capture/1", new String[] { "sys/a", "0", "1", "" },
                new String[] { "sys/./a", "0", "2", "" }), "duplicate entry sys/a" },
            { crafted(dir.resolve("v99.tar.gz"), "storport-capture/99"),
                "unsupported capture format storport-capture/99: this storport reads storport-capture/1 only (captured by a different "
                    + "storport version?)" },
            { crafted(dir.resolve("linkout.tar.gz"), "storport-capture/1", new String[] { online, "2", "", "../../../../../../etc/hostname" }),
                "symbolic link /" + online + " -> ../../../../../../etc/hostname leads out of the root" },
            { crafted(dir.resolve("loop.tar.gz"), "storport-capture/1", new String[] { online, "2", "", "online2" },
                new String[] { online + "2", "2", "", "online" }),
                "too many levels of symbolic links (a symbolic link loop at /" + online + "?)" },
        };
        List<String> lines = new ArrayList<>();
        for (Object[] c : cases) {
            Path file = ((Path) c[0]).toAbsolutePath();
            String before = state();
            String e = gogo.fail("storport:sim-replay x " + file);
            assertTrue(file + ": " + e, e.startsWith(P + "cannot replay ") && e.endsWith((String) c[1]));
            assertTrue("names the capture: " + e, e.contains(file.getFileName().toString()));
            assertNoTrace(file.toString(), e);
            assertEquals("state after replaying " + file, before, state());
            lines.add(e);
        }
        System.out.println("BadInputIT hostile captures:\n  " + String.join("\n  ", lines));
    }

    // ------------------------------------------------------------------ Config Admin

    /** Writes a configuration and waits until the simulator has logged its refusal, which must contain {@code expected}. */
    private String writeAndAwaitRefusal(ConfigWrite write, String expected) throws Exception {
        logged.clear();
        write.run();
        await("a refusal containing '" + expected + "' is logged; logged: " + logged,
                () -> logged.stream().anyMatch(l -> l.startsWith("ERROR ") && l.contains(expected)));
        String r = logged.stream().filter(l -> l.startsWith("ERROR ") && l.contains(expected)).findFirst().orElseThrow();
        assertTrue(r, r.startsWith("ERROR storport: refused configuration of "));
        assertTrue(r, r.endsWith("; the last good state keeps serving"));
        assertNoTrace("the log", r);
        return r;
    }

    private interface ConfigWrite {
        void run() throws Exception;
    }

    private static Dictionary<String, Object> props(Object... kv) {
        Dictionary<String, Object> d = new Hashtable<>();
        for (int i = 0; i < kv.length; i += 2) {
            d.put((String) kv[i], kv[i + 1]);
        }
        return d;
    }

    @Test
    public void invalidConfigurationsWrittenIntoConfigAdminAreLoggedAndTheLastGoodStateServes() throws Exception {
        String before = state();
        org.osgi.service.cm.Configuration host = configurationAdmin.getConfiguration("storport.sim.host", "?");
        Dictionary<String, Object> good = host.getProperties();
        List<String> lines = new ArrayList<>();
        try {
            Object[][] hosts = {
                { props("spec", "core:-3"), "host spec 'core:-3': count of core must be at least 1, not -3" },
                { props("spec", "node:1 core:4"), "NUMA node 1 does not exist" }, // sas0 sits on node 1: the whole change is refused
                { props("spec", "node:128 core:64 pu:2"), "16384 processors is more than the 8192 storport supports" },
                { props("spec", Sims.DEFAULT_HOST, "replay", "ghost", "replayFile", "/nonexistent/ghost.tar.gz"),
                    "cannot replay /nonexistent/ghost.tar.gz: no such file" },
            };
            for (Object[] h : hosts) {
                @SuppressWarnings("unchecked")
                Dictionary<String, Object> p = (Dictionary<String, Object>) h[0];
                lines.add(writeAndAwaitRefusal(() -> host.update(p), (String) h[1]));
                assertEquals("state after storport.sim.host " + p, before, state());
            }
        } finally {
            host.update(good);
        }
        Object[][] adapters = {
            { props("name", "bad", "messages", 0), "adapter bad: 0 messages is outside 1..2048" },
            { props("name", "bad", "messages", "abc"), "adapter bad: messages 'abc' is not a whole number" },
            { props("name", "bad", "messages", 4, "policy", "nope"), "unknown policy 'nope'" },
            { props("name", "bad", "messages", 4, "node", 9), "adapter bad: NUMA node 9 does not exist" },
            { props("name", "bad", "messages", 4, "first", 4), "adapter bad: first redirection message 4 is outside 0..3" },
            { props("name", "bad", "messages", 4, "policy", "explicit", "table", "1,2"), "adapter bad: the explicit table has 2 entries" },
            { props("name", "bad", "messages", 4, "policy", "explicit", "table", "1,x"), "adapter bad: table entry 'x' is not a message number" },
            { props("messages", 4), "a simulated adapter configuration has no name" },
        };
        for (Object[] a : adapters) {
            @SuppressWarnings("unchecked")
            Dictionary<String, Object> p = (Dictionary<String, Object>) a[0];
            org.osgi.service.cm.Configuration c = configurationAdmin.getFactoryConfiguration("storport.sim.adapter", "bad", "?");
            lines.add(writeAndAwaitRefusal(() -> c.update(p), (String) a[1]));
            assertEquals("state after storport.sim.adapter " + p, before, state());
            c.delete();
        }
        // an adapter that was good keeps its last good version when it is changed into a bad one
        org.osgi.service.cm.Configuration nvme0 = configurationAdmin.getFactoryConfiguration("storport.sim.adapter", "nvme0", "?");
        Dictionary<String, Object> nvme0Good = nvme0.getProperties();
        Dictionary<String, Object> broken = props("name", "nvme0", "messages", 5000);
        lines.add(writeAndAwaitRefusal(() -> nvme0.update(broken), "adapter nvme0: 5000 messages is outside 1..2048"));
        assertEquals("nvme0 keeps its 33 messages", before, state());
        nvme0.update(nvme0Good);
        System.out.println("BadInputIT Config Admin refusals, as logged:\n  " + String.join("\n  ", lines));
    }

    // ------------------------------------------------------------------ native: sysfs/procfs going bad

    private void nativeRoot(Path root) throws Exception {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("root", root.toString());
        props.put("checkIntervalMillis", 200L);
        configurationAdmin.getConfiguration("storport.native", "?").update(props);
    }

    private BackendInfo nativeInfo() {
        return backends.backends().stream().filter(b -> b.name().equals("native")).findFirst()
                .orElse(new BackendInfo("native", false, "not registered", false, false));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean()) {
            assertTrue(what, System.currentTimeMillis() < deadline);
            Thread.sleep(20);
        }
    }

    private String answers() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int p = 0; p < 4; p++) {
            sb.append(gogo.run("storport:msgid nvme0 " + p).trim());
        }
        return sb.toString();
    }

    @Test
    public void aNativeRootThatGoesBadKeepsTheLastGoodSnapshotServing() throws Exception {
        Path root = FixtureRoot.create(StorportOptions.freshDir("BadInputIT-native"));
        nativeRoot(root);
        await("native available", () -> nativeInfo().available());
        assertEquals("backend: native", gogo.run("storport:backend native").trim());
        assertEquals("1122", answers());
        logged.clear();

        // the topology goes bad: the rebuild fails, the last good snapshot keeps answering
        Path online = root.resolve("sys/devices/system/cpu/online");
        Files.writeString(online, "");
        await("the change check tried and failed", () -> logged.stream().anyMatch(l -> l.contains("could not be re-read")));
        String warning = logged.stream().filter(l -> l.contains("could not be re-read")).findFirst().orElseThrow();
        System.out.println("BadInputIT native change check, as logged: " + warning);
        assertTrue(warning, warning.startsWith("WARN storport: the native host could not be re-read: ")
                && warning.contains("/sys/devices/system/cpu/online"));
        String e = gogo.fail("storport:refresh");
        assertEquals("STOR_STATUS_UNSUCCESSFUL: cannot read the host at " + root
                + ": /sys/devices/system/cpu/online: no CPU is online (the file is empty)", e);
        assertEquals("the last good snapshot answers", "1122", answers());
        assertEquals("native", backends.active());

        // binary garbage and a truncated list: the same, naming the file and quoting the bytes readably
        Files.write(online, new byte[] { (byte) 0xff, (byte) 0xfe, 0, (byte) 0xbe, (byte) 0xef });
        e = gogo.fail("storport:refresh");
        assertTrue(e, e.startsWith("STOR_STATUS_UNSUCCESSFUL: cannot read the host at " + root
                + ": /sys/devices/system/cpu/online: '\\ufffd\\ufffd\\u0000\\ufffd\\ufffd' is not a CPU list"));
        Files.writeString(root.resolve("sys/devices/system/node/node0/cpulist"), "0-\n");
        Files.writeString(online, "0-3\n");
        assertEquals("STOR_STATUS_UNSUCCESSFUL: cannot read the host at " + root
                + ": /sys/devices/system/node/node0/cpulist: '0-' is not a CPU list: a number is missing", gogo.fail("storport:refresh"));
        assertEquals("1122", answers());

        // a bad device file is local: the new snapshot serves, that adapter says why it cannot answer
        Files.writeString(root.resolve("sys/devices/system/node/node0/cpulist"), "0-3\n");
        Files.write(root.resolve("sys/kernel/irq/41/hwirq"), new byte[] { (byte) 0xff, (byte) 0xfe, 0, (byte) 0xbe, (byte) 0xef });
        assertTrue(gogo.run("storport:refresh").startsWith("native: 4 processors, 1 adapters"));
        assertEquals("STOR_STATUS_UNSUCCESSFUL: adapter " + FixtureRoot.BDF + " is unavailable: /sys/kernel/irq/41/hwirq: "
                + "'\\ufffd\\ufffd\\u0000\\ufffd\\ufffd' is not a number", gogo.fail("storport:msgid nvme0 2"));
        assertNoTrace("native", logged.toString());

        // repaired: answers again
        Files.writeString(root.resolve("sys/kernel/irq/41/hwirq"), "1\n");
        gogo.run("storport:refresh");
        assertEquals("1122", answers());
    }

    @Test
    public void aRootThatIsNoLinuxRootLeavesThePlatformOnTheSimulator() throws Exception {
        Path empty = Files.createDirectories(StorportOptions.freshDir("BadInputIT-empty"));
        nativeRoot(empty);
        await("native unavailable", () -> !nativeInfo().available());
        String before = state();
        refused("storport:backend native", P + "backend 'native' is unavailable: root " + empty + " has no sys/devices/system/cpu/online: "
                + "not a Linux root or capture (available: sim)");
        assertEquals(before, state());
        assertEquals("sim", backends.active());
    }
}
