package storport.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.CommandProxy;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.StorPortException;
import storport.api.Topology;
import storport.api.sim.HostCapture;
import storport.api.sim.SimulatedAdapter;
import storport.view.Documents;

/**
 * The commands inside Gogo's real runtime, registered the way its OSGi whiteboard does (one
 * CommandProxy per function): argument coercion, options and hyphenated names as a user meets
 * them, run through the one-shot runner's execute.
 */
public class GogoTest {
    private ThreadIOImpl threadIO;
    private CommandProcessorImpl processor;
    private final SimulatorCommandsTest.TestSimulator sim = new SimulatorCommandsTest.TestSimulator();
    private String out;
    private String err;

    @Before
    public void start() {
        threadIO = new ThreadIOImpl();
        threadIO.start();
        processor = new CommandProcessorImpl(threadIO);
        AdapterCommands adapters = new AdapterCommands();
        adapters.storport = Fixtures.storport(Fixtures.host());
        register(adapters, "adapters", "msgid", "map", "messages");
        TopologyCommand topology = new TopologyCommand();
        topology.storport = adapters.storport;
        register(topology, "topology");
        SimulatorCommands simulator = new SimulatorCommands();
        simulator.simulator = sim;
        register(simulator, "sim-host", "sim-adapter", "sim-remove", "simhost", "simadapter", "simremove");
        check.storport = Fixtures.storport(singleVectorHost());
        register(check, "check");
        DiffCommand diff = new DiffCommand();
        diff.storport = adapters.storport;
        diff.hostCapture = new Baselines();
        register(diff, "diff");
    }

    /** The one baseline there is, {@code base.tar.gz} in the working folder; any other file is missing. */
    private static final class Baselines implements HostCapture {
        @Override
        public String capture(Path file) {
            throw new UnsupportedOperationException("diff only reads baselines");
        }

        @Override
        public Host baseline(Path file) {
            if (!file.equals(Path.of("base.tar.gz").toAbsolutePath())) {
                throw StorPortException.invalidParameter("cannot read the baseline " + file + ": no such file");
            }
            return baselineHost();
        }
    }

    /** The fixture host as it was: sparse's message 1 served processors 0-19, and adapter old0 was there. */
    private static Host baselineHost() {
        Topology t = Fixtures.topology80();
        Adapter sparse = Adapter.builder("sparse").redirection(1, 1).message(Fixtures.message(t, 0, "", -1, List.of()))
                .message(Fixtures.message(t, 1, "sparse-io", -1, java.util.stream.IntStream.range(0, 20).boxed().toList())).build(t);
        Adapter old = Adapter.builder("old0").message(Fixtures.message(t, 0, "old0q0", 60, List.of(0))).build(t);
        return new Host("sim", t, List.of(Fixtures.host().adapter("nvme0"), sparse, old));
    }

    private final CheckCommand check = new CheckCommand();

    /** The fixture host plus an adapter that fell back to one vector (a single-vector warning). */
    private static storport.api.Host singleVectorHost() {
        storport.api.Host h = Fixtures.host();
        storport.api.Topology t = h.topology();
        java.util.List<Integer> all = new java.util.ArrayList<>();
        for (int p = 0; p < t.processorCount(); p++) {
            all.add(p);
        }
        storport.api.Adapter sda = storport.api.Adapter.builder("sda").message(Fixtures.message(t, 0, "sda", 50, all)).build(t);
        java.util.List<storport.api.Adapter> adapters = new java.util.ArrayList<>(h.adapters());
        adapters.add(sda);
        return new storport.api.Host(h.backend(), t, adapters);
    }

    @Test
    public void checkPrintsTheFindingsAndFailsOnlyAtTheAskedSeverity() {
        storport.view.Documents.FindingsView view = storport.view.Documents.FindingsView.of(singleVectorHost(), null);
        assertTrue("the fixture has the single-vector warning: " + view.text(), view.text().contains("warning  single-vector  sda"));
        assertEquals(err, 0, run("check"));
        assertEquals(view.text(), out);
        // the fixture's sparse adapter leaves processors without a message (an error), sda has warnings
        assertTrue(view.reaches(storport.view.Findings.Severity.ERROR));
        assertEquals(1, run("check --fail-on warning"));
        assertEquals("the findings are printed before the failure", view.text(), out);
        long atLeastWarning = view.findings().stream().filter(f -> f.severity().compareTo(storport.view.Findings.Severity.WARNING) >= 0).count();
        assertEquals("STOR_STATUS_UNSUCCESSFUL: " + atLeastWarning + " findings at or above warning (--fail-on warning)\n", err);
        assertEquals("an adapter with warnings only", 0, run("check --fail-on error sda"));
        assertEquals(1, run("check --fail-on warning sda"));
        assertEquals("STOR_STATUS_UNSUCCESSFUL: 2 findings at or above warning (--fail-on warning)\n", err);
        assertEquals(err, 0, run("check --json sda"));
        assertEquals(storport.view.Documents.FindingsView.of(singleVectorHost(), "sda").json(), out);
        fails("check --fail-on fatal", "STOR_STATUS_INVALID_PARAMETER: --fail-on takes info, warning or error, not 'fatal'");
        fails("check nope", "STOR_STATUS_INVALID_PARAMETER: unknown adapter 'nope' on backend sim (adapters: nvme0, sda, sparse)");
    }

    @Test
    public void diffAgainstABaseline() {
        assertEquals(err, 0, run("diff base.tar.gz"));
        assertEquals(Documents.DriftView.of("base.tar.gz", Fixtures.host(), baselineHost(), null).text(), out);
        assertTrue(out, out.contains("\nsparse\n  processors 10-19: message 1 -> none\n  message 1: targets 0-19 -> 0-9\n"));
        assertEquals(err, 0, run("diff --json base.tar.gz old0"));
        Map<String, Object> json = TestJson.object(TestJson.parse(out));
        assertEquals("base.tar.gz", json.get("baseline"));
        assertEquals(List.of(Map.of("adapter", "old0", "status", "gone", "moved", List.of(), "messages", List.of())), json.get("adapters"));
        fails("diff missing.tar.gz", "STOR_STATUS_INVALID_PARAMETER: cannot read the baseline " + Path.of("missing.tar.gz").toAbsolutePath()
                + ": no such file");
        fails("diff base.tar.gz nope",
                "STOR_STATUS_INVALID_PARAMETER: unknown adapter 'nope' on backend sim and in the baseline (adapters: nvme0, old0, sparse)");
    }

    private void register(Object target, String... functions) {
        for (String f : functions) {
            processor.addCommand(Shell.SCOPE, new CommandProxy(target, f), f);
        }
    }

    @After
    public void stop() {
        processor.stop();
        threadIO.stop();
    }

    private int run(String line) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = OneShotRunner.execute(processor, line, new ByteArrayInputStream(new byte[0]),
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
        return code;
    }

    private void fails(String line, String message) {
        assertEquals(line, 1, run(line));
        assertEquals(line, message + "\n", err);
    }

    @Test
    public void everyStatementsValueIsPrintedAndAVariableKeepsOne() {
        run("topology");
        String topology = out;
        assertEquals(err, 0, run("msgid nvme0 3 ; topology"));
        assertEquals("2\n" + topology, out);
        assertEquals(err, 0, run("x = msgid nvme0 3 ; $x"));
        assertEquals("Gogo shows the assigned value, then the variable's", "2\n2\n", out);
        assertEquals(1, run("msgid nvme0 3 ; msgid nvme0 99 ; msgid nvme0 4"));
        assertEquals("the statements before the failure printed; none after", "2\n", out);
    }

    @Test
    public void msgid() {
        assertEquals(err, 0, run("msgid nvme0 3"));
        assertEquals("2\n", out);
        assertEquals(0, run("storport:msgid 0000:00:02.0 79"));
        assertEquals("32\n", out);
    }

    @Test
    public void badIndexesKeepTheirSpelling() {
        String p = "STOR_STATUS_INVALID_PARAMETER: ";
        fails("msgid nvme0 -1", p + "processor index -1 is outside 0..79");
        fails("msgid nvme0 80", p + "processor index 80 is outside 0..79");
        fails("msgid nvme0 2147483647", p + "processor index 2147483647 is outside 0..79");
        fails("msgid nvme0 99999999999", p + "processor index 99999999999 is outside 0..79");
        fails("msgid nvme0 abc", p + "processor index 'abc' is not a number");
        fails("msgid nvme0 1e3", p + "processor index '1e3' is not a number");
        fails("msgid nvme0 2.0", p + "processor index '2.0' is not a number");
        fails("msgid nope 0", p + "unknown adapter 'nope' on backend sim (adapters: nvme0, sparse)");
        assertEquals("", out);
    }

    @Test
    public void aFailureStopsTheLine() {
        fails("msgid nvme0 0 ; msgid nvme0 80 ; msgid nvme0 79", "STOR_STATUS_INVALID_PARAMETER: processor index 80 is outside 0..79");
        assertEquals("1\n", out);
    }

    @Test
    public void jsonOptionAnywhere() {
        assertEquals(0, run("map --json sparse"));
        Map<String, Object> before = TestJson.object(TestJson.parse(out));
        assertEquals(0, run("map sparse --json"));
        assertEquals(before, TestJson.object(TestJson.parse(out)));
        assertEquals(80, TestJson.array(before.get("processors")).size());
        assertEquals(0, run("topology --json"));
        assertEquals(2, TestJson.array(TestJson.object(TestJson.parse(out)).get("nodes")).size());
        assertEquals(0, run("adapters"));
        assertTrue(out, out.startsWith("ID      ALIASES"));
    }

    @Test
    public void hyphenatedSimulatorCommands() {
        assertEquals(err, 0, run("sim-host node:2 core:8"));
        assertEquals("node:2 core:8\n", out);
        assertEquals(0, run("sim-host \"package:2 node:1 core:4\""));
        assertEquals("package:2 node:1 core:4", sim.spec);
        assertEquals(0, run("sim-host"));
        assertEquals("package:2 node:1 core:4\n", out);

        assertEquals(err, 0, run("sim-adapter nvme9 --messages 4 --policy single"));
        assertEquals(new SimulatedAdapter("nvme9", 4, null, "single", 0, List.of()), sim.get("nvme9"));
        assertEquals(err, 0, run("sim-adapter --first 2 nvme9"));
        assertEquals(new SimulatedAdapter("nvme9", 4, 2, "single", 0, List.of()), sim.get("nvme9"));
        assertEquals(err, 0, run("storport:simadapter --node 1 nvme9"));
        assertEquals(new SimulatedAdapter("nvme9", 4, 2, "single", 1, List.of()), sim.get("nvme9"));
        assertTrue(out, out.endsWith("nvme9  -        1     4         2-3          single\n"));

        fails("sim-adapter nvme9 --messages abc", "STOR_STATUS_INVALID_PARAMETER: --messages 'abc' is not a number");
        fails("simadapter nvme9 --messages abc", "STOR_STATUS_INVALID_PARAMETER: --messages 'abc' is not a number");
        fails("sim-adapter nvme9 --messages", "STOR_STATUS_INVALID_PARAMETER: option --messages needs a value");
        fails("simadapter nvme9 --messages", "STOR_STATUS_INVALID_PARAMETER: option --messages needs a value");

        assertEquals(0, run("sim-remove nvme9"));
        assertEquals("removed: nvme9\n", out);
        fails("sim-remove nvme9", "STOR_STATUS_INVALID_PARAMETER: no simulated adapter named 'nvme9'");
    }
}
