package storport.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.CommandProxy;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import storport.api.Host;
import storport.api.sim.SimulatedAdapter;
import storport.api.StorPort;

/**
 * Every storport command with bad arguments, through Gogo's real runtime and the one-shot runner's
 * execute (what {@code ./storport 'CMD'} runs): each is refused with exit code 1, nothing on
 * stdout, exactly one line on stderr that is the contract's {@code STOR_STATUS_<NAME>: <reason>},
 * no stack frame and no exception class name, and nothing changed (the simulator's configuration,
 * the backend choice, and the good call after it).
 */
public class BadInputTest {
    private static final String P = "STOR_STATUS_INVALID_PARAMETER: ";

    private ThreadIOImpl threadIO;
    private CommandProcessorImpl processor;
    private final SimulatorCommandsTest.TestSimulator sim = new SimulatorCommandsTest.TestSimulator();
    private final BackendCommandTest.TestBackends backends = new BackendCommandTest.TestBackends();
    private final StorPort storport = Fixtures.storport(Fixtures.host());
    private String out;
    private String err;

    @Before
    public void start() {
        threadIO = new ThreadIOImpl();
        threadIO.start();
        processor = new CommandProcessorImpl(threadIO);
        AdapterCommands adapters = new AdapterCommands();
        adapters.storport = storport;
        register(adapters, "adapters", "msgid", "map", "messages");
        TopologyCommand topology = new TopologyCommand();
        topology.storport = storport;
        register(topology, "topology");
        BackendCommand backend = new BackendCommand();
        backend.backends = backends;
        register(backend, "backend");
        HostCommands host = new HostCommands();
        host.storport = storport; // no HostCapture: the native backend is not installed
        register(host, "refresh", "capture");
        DiffCommand diff = new DiffCommand();
        diff.storport = storport; // no HostCapture either
        register(diff, "diff");
        SimulatorCommands simulator = new SimulatorCommands();
        simulator.simulator = sim;
        register(simulator, "sim-host", "sim-adapter", "sim-remove", "sim-replay", "simhost", "simadapter", "simremove", "simreplay");
        sim.putAdapter(new SimulatedAdapter("nvme0", 33, null, "numa-spread", 0, List.of()));
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

    /** What the simulator, the backend choice and the seed call say now. */
    private String state() {
        assertEquals(err, 0, run("storport:msgid nvme0 3"));
        return sim.hostSpec() + " " + sim.adapters() + " " + sim.replaying() + " " + backends.selected + " msgid " + out;
    }

    /** The line fails with exactly {@code message} as the only line on stderr, no trace, and changes nothing. */
    private void refused(String line, String message) {
        String before = state();
        assertEquals(line + " exit code; stderr: " + err, 1, run(line));
        assertEquals(line + " prints nothing on stdout", "", out);
        assertEquals(line, message + "\n", err);
        assertNoTrace(line, err);
        assertEquals("state after '" + line + "'", before, state());
    }

    /** A stack trace or an exception class name is for developers, never for a shell user. */
    static void assertNoTrace(String line, String text) {
        assertFalse(line + " leaks a stack frame: " + text, text.matches("(?s).*\\bat [\\w$.]+\\(.*"));
        assertFalse(line + " names an exception: " + text, text.contains("Exception") || text.contains("Error:"));
        assertFalse(line + " names a Java class: " + text, text.matches("(?s).*\\b(java|org|storport)\\.[a-z]+\\.[A-Za-z.]+.*"));
    }

    @Test
    public void msgidWithBadArguments() {
        refused("storport:msgid nvme0 abc", P + "processor index 'abc' is not a number");
        refused("storport:msgid nvme0 80", P + "processor index 80 is outside 0..79");
        refused("storport:msgid nvme0 -1", P + "processor index -1 is outside 0..79");
        refused("storport:msgid nvme0 99999999999999999999", P + "processor index 99999999999999999999 is outside 0..79");
        refused("storport:msgid nvme0 0x10", P + "processor index '0x10' is not a number");
        refused("storport:msgid nvme0 ''", P + "processor index '' is not a number");
        refused("storport:msgid nvme0 $nothing", P + "no processor index given");
        refused("storport:msgid nope 0", P + "unknown adapter 'nope' on backend sim (adapters: nvme0, sparse)");
        refused("storport:msgid nope abc", P + "unknown adapter 'nope' on backend sim (adapters: nvme0, sparse)");
        refused("storport:msgid sparse 50", "STOR_STATUS_UNSUCCESSFUL: no message of adapter sparse serves processor 50: "
                + "no queue maps it and no message in 1..1 targets it");
    }

    @Test
    public void wrongArgumentCountsGetTheStatusLineNotGogosParserWords() {
        refused("storport:msgid nvme0", P + "msgid does not take these arguments; see: help msgid");
        refused("storport:msgid", P + "msgid does not take these arguments; see: help msgid");
        refused("storport:msgid nvme0 0 1", P + "msgid does not take these arguments; see: help msgid");
        refused("storport:map", P + "map does not take these arguments; see: help map");
        refused("storport:map --xml nvme0", P + "map does not take these arguments; see: help map");
        refused("storport:messages nvme0 sparse", P + "messages does not take these arguments; see: help messages");
        refused("storport:adapters --bogus", P + "adapters does not take these arguments; see: help adapters");
        refused("storport:topology extra", P + "topology does not take these arguments; see: help topology");
        refused("storport:backend sim extra", P + "backend does not take these arguments; see: help backend");
        refused("storport:refresh now", P + "refresh does not take these arguments; see: help refresh");
        refused("storport:capture", P + "capture does not take these arguments; see: help capture");
        refused("storport:diff", P + "diff does not take these arguments; see: help diff");
        refused("storport:diff a.tar.gz nvme0 more", P + "diff does not take these arguments; see: help diff");
    }

    @Test
    public void adapterQuestionsAboutUnknownAdapters() {
        refused("storport:map nope", P + "unknown adapter 'nope' on backend sim (adapters: nvme0, sparse)");
        refused("storport:map --json nope", P + "unknown adapter 'nope' on backend sim (adapters: nvme0, sparse)");
        refused("storport:messages nope", P + "unknown adapter 'nope' on backend sim (adapters: nvme0, sparse)");
        refused("storport:map ''", P + "unknown adapter '' on backend sim (adapters: nvme0, sparse)");
    }

    @Test
    public void backendAndHostCommandsWithBadArguments() {
        refused("storport:backend nope", P + "no backend named 'nope' is registered");
        refused("storport:capture /tmp/x.tar.gz",
                "STOR_STATUS_INVALID_DEVICE_STATE: capturing needs the native backend, which is not installed");
        refused("storport:diff /tmp/x.tar.gz",
                "STOR_STATUS_INVALID_DEVICE_STATE: reading a baseline needs the native backend, which is not installed");
        refused("storport:nope", "Command not found: storport:nope");
    }

    @Test
    public void simulatorCommandsWithBadArguments() {
        refused("storport:sim-host bad:1", P + "malformed topology 'bad:1'");
        refused("storport:sim-adapter x --messages 0", P + "adapter x: messages must be 1..2048");
        refused("storport:sim-adapter x --messages abc", P + "--messages 'abc' is not a number");
        refused("storport:sim-adapter x --messages 99999999999", P + "--messages 99999999999 is outside -2147483648..2147483647");
        refused("storport:sim-adapter x --messages", P + "option --messages needs a value");
        refused("storport:sim-adapter x --messages 4 --first two", P + "--first 'two' is not a number");
        refused("storport:sim-adapter x --messages 4 --node one", P + "--node 'one' is not a number");
        refused("storport:sim-adapter x --messages 4 --policy explicit --table 1,,2", P + "--table entry '' is not a number");
        refused("storport:sim-adapter x --messages 4 --bogus 3", P + "unknown option '--bogus' (options: --messages, --first, --policy, --node, --table)");
        refused("storport:sim-adapter --messages 4", P + "missing argument: adapter name, e.g. nvme0");
        refused("storport:sim-adapter x --messages 4 y", P + "unexpected argument 'y'");
        refused("storport:sim-adapter '' --messages 4", P + "an adapter needs a name");
        refused("storport:sim-adapter newone", P + "--messages is required for the new adapter newone");
        refused("storport:simadapter x --messages abc", P + "--messages 'abc' is not a number");
        refused("storport:sim-remove nope", P + "no simulated adapter named 'nope'");
        refused("storport:sim-remove", P + "missing argument: adapter name");
        refused("storport:sim-remove a b", P + "unexpected argument 'b'");
        refused("storport:sim-replay x", P + "missing argument: the capture, a .tar.gz written by storport:capture");
        refused("storport:sim-replay", P + "missing argument: a name for the replayed host, e.g. prod-db-7");
    }

    /** A backend that breaks with an unexpected exception still gives the user one status line, not a trace. */
    @Test
    public void anUnexpectedFailureInsideABackendIsOneStatusLine() {
        AdapterCommands broken = new AdapterCommands();
        broken.storport = new StorPort() {
            @Override
            public String backend() {
                return "broken";
            }

            @Override
            public Host host() {
                throw new IllegalStateException("snapshot went away");
            }
        };
        processor.addCommand("broken", new CommandProxy(broken, "adapters"), "adapters");
        assertEquals(1, run("broken:adapters"));
        assertEquals("", out);
        assertTrue(err, err.startsWith("STOR_STATUS_UNSUCCESSFUL: "));
        assertTrue(err, err.contains("snapshot went away"));
        assertEquals("one line: " + err, 1, err.lines().count());
        assertFalse(err, err.contains("\tat "));
    }

    @Test
    public void aGoodLineStillAnswersAfterEveryRefusal() {
        refused("storport:msgid nvme0 80", P + "processor index 80 is outside 0..79");
        assertEquals(0, run("storport:msgid nvme0 79 ; storport:sim-host"));
        assertEquals("32\nnode:1 core:4\n", out);
        assertEquals("", err);
    }
}
