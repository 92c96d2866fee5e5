package storport.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static storport.shell.Fixtures.error;
import static storport.shell.Fixtures.out;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import storport.api.sim.SimulatedAdapter;
import storport.api.sim.SimulatorControl;
import storport.api.StorPortException;

public class SimulatorCommandsTest {
    private static final String ABSENT = SimulatorCommands.ABSENT;

    /** An in-memory simulator that validates a little, like the real one. */
    static final class TestSimulator implements SimulatorControl {
        String spec = "node:1 core:4";
        final List<SimulatedAdapter> adapters = new ArrayList<>();

        String replaying;
        java.nio.file.Path replayed;

        @Override
        public String replay(String name, java.nio.file.Path capture) {
            replaying = name;
            replayed = capture;
            return "replaying " + name;
        }

        @Override
        public String replaying() {
            return replaying;
        }

        @Override
        public List<String> policies() {
            return List.of("numa-spread", "round-robin", "single", "explicit");
        }

        @Override
        public String hostSpec() {
            return spec;
        }

        @Override
        public void setHost(String spec) {
            if (spec.contains("bad")) {
                throw StorPortException.invalidParameter("malformed topology '" + spec + "'");
            }
            this.spec = spec;
        }

        @Override
        public List<SimulatedAdapter> adapters() {
            return List.copyOf(adapters);
        }

        @Override
        public void putAdapter(SimulatedAdapter adapter) {
            if (adapter.messages() < 1 || adapter.messages() > 2048) {
                throw StorPortException.invalidParameter("adapter " + adapter.name() + ": messages must be 1..2048");
            }
            adapters.removeIf(a -> a.name().equals(adapter.name()));
            adapters.add(adapter);
        }

        @Override
        public void removeAdapter(String name) {
            if (!adapters.removeIf(a -> a.name().equals(name))) {
                throw StorPortException.invalidParameter("no simulated adapter named '" + name + "'");
            }
        }

        SimulatedAdapter get(String name) {
            return adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
        }
    }

    private final TestSimulator sim = new TestSimulator();
    private final SimulatorCommands commands = new SimulatorCommands();

    {
        commands.simulator = sim;
    }

    @Test
    public void simReplayHandsAnAbsolutePathAndSimHostShowsTheReplay() {
        assertEquals("replaying prod\n", out(() -> commands.simreplay("prod", "caps/prod.tar.gz")));
        assertEquals(java.nio.file.Path.of("caps/prod.tar.gz").toAbsolutePath(), sim.replayed);
        String shown = out(() -> commands.simhost());
        assertTrue(shown, shown.startsWith("replaying prod (sim-host SPEC returns to the synthetic host); synthetic host: "));
    }

    @Test
    public void newAdapterGetsDefaults() {
        String out = out(() -> commands.simadapter("33", ABSENT, ABSENT, ABSENT, ABSENT, "nvme0"));
        assertEquals(new SimulatedAdapter("nvme0", 33, null, "numa-spread", 0, List.of()), sim.get("nvme0"));
        assertEquals(""
                + "ID     ALIASES  NODE  MESSAGES  REDIRECTION  POLICY\n"
                + "nvme0  -        0     33        1-32         numa-spread\n", out);
    }

    @Test
    public void omittedOptionsKeepExistingValues() {
        sim.adapters.add(new SimulatedAdapter("nvme0", 8, 2, "explicit", 1, List.of(2, 3, 4, 5)));
        out(() -> commands.simadapter("16", ABSENT, ABSENT, ABSENT, ABSENT, "nvme0"));
        assertEquals(new SimulatedAdapter("nvme0", 16, 2, "explicit", 1, List.of(2, 3, 4, 5)), sim.get("nvme0"));
        out(() -> commands.simadapter(ABSENT, ABSENT, ABSENT, "0", ABSENT, "nvme0"));
        assertEquals(new SimulatedAdapter("nvme0", 16, 2, "explicit", 0, List.of(2, 3, 4, 5)), sim.get("nvme0"));
        out(() -> commands.simadapter(ABSENT, ABSENT, ABSENT, ABSENT, "1, 1,2,2", "nvme0"));
        assertEquals(new SimulatedAdapter("nvme0", 16, 2, "explicit", 0, List.of(1, 1, 2, 2)), sim.get("nvme0"));
        out(() -> commands.simadapter(ABSENT, "default", ABSENT, ABSENT, ABSENT, "nvme0"));
        assertEquals(new SimulatedAdapter("nvme0", 16, null, "explicit", 0, List.of(1, 1, 2, 2)), sim.get("nvme0"));
        // a table only goes with the explicit policy
        out(() -> commands.simadapter(ABSENT, ABSENT, "round-robin", ABSENT, ABSENT, "nvme0"));
        assertEquals(new SimulatedAdapter("nvme0", 16, null, "round-robin", 0, List.of()), sim.get("nvme0"));
    }

    @Test
    public void firstStaysNullWhenItWasNull() {
        sim.adapters.add(new SimulatedAdapter("vda", 4, null, "single", 0, List.of()));
        String out = out(() -> commands.simadapter("1", ABSENT, ABSENT, ABSENT, ABSENT, "vda"));
        assertEquals(new SimulatedAdapter("vda", 1, null, "single", 0, List.of()), sim.get("vda"));
        assertTrue(out, out.endsWith("vda  -        0     1         0-0          single\n"));
    }

    @Test
    public void badOptions() {
        String p = "STOR_STATUS_INVALID_PARAMETER: ";
        assertEquals(p + "--messages 'abc' is not a number", error(() -> commands.simadapter("abc", ABSENT, ABSENT, ABSENT, ABSENT, "x")));
        assertEquals(p + "--first 'one' is not a number", error(() -> commands.simadapter("4", "one", ABSENT, ABSENT, ABSENT, "x")));
        assertEquals(p + "--node '' is not a number", error(() -> commands.simadapter("4", ABSENT, ABSENT, "", ABSENT, "x")));
        assertEquals(p + "--table entry 'x' is not a number", error(() -> commands.simadapter("4", ABSENT, "explicit", ABSENT, "1,x", "x")));
        assertEquals(p + "--messages 99999999999 is outside -2147483648..2147483647",
                error(() -> commands.simadapter("99999999999", ABSENT, ABSENT, ABSENT, ABSENT, "x")));
        assertEquals(p + "--messages is required for the new adapter x", error(() -> commands.simadapter(ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, "x")));
        assertEquals("the simulator's refusal passes through", p + "adapter x: messages must be 1..2048",
                error(() -> commands.simadapter("0", ABSENT, ABSENT, ABSENT, ABSENT, "x")));
        assertTrue(sim.adapters.isEmpty());
    }

    @Test
    public void hostSpec() {
        assertEquals("node:1 core:4\n", out(() -> commands.simhost()));
        assertEquals("node:2 core:8\n", out(() -> commands.simhost("node:2", "core:8")));
        assertEquals("node:2 core:8", sim.spec);
        assertEquals("package:2 node:1 core:10 pu:2\n", out(() -> commands.simhost("package:2 node:1 core:10 pu:2")));
        assertEquals("STOR_STATUS_INVALID_PARAMETER: malformed topology 'bad spec'", error(() -> commands.simhost("bad", "spec")));
    }

    @Test
    public void remove() {
        sim.adapters.add(new SimulatedAdapter("vda", 4, null, "single", 0, List.of()));
        assertEquals("removed: vda\n", out(() -> commands.simremove("vda")));
        assertEquals("STOR_STATUS_INVALID_PARAMETER: no simulated adapter named 'vda'", error(() -> commands.simremove("vda")));
    }

    @Test
    public void simulatorNotRunning() {
        commands.simulator = null;
        String expected = "STOR_STATUS_INVALID_DEVICE_STATE: the simulator is not running";
        assertEquals(expected, error(() -> commands.simhost()));
        assertEquals(expected, error(() -> commands.simremove("x")));
        assertEquals(expected, error(() -> commands.simadapter("4", ABSENT, ABSENT, ABSENT, ABSENT, "x")));
        assertEquals(expected, error(() -> commands._main(new String[] { "sim-host", "node:2" })));
    }

    @Test
    public void hyphenatedNamesBindLikeGogo() {
        assertEquals("node:2 core:8\n", out(() -> commands._main(new String[] { "sim-host", "node:2", "core:8" })));
        assertEquals("node:2 core:8\n", out(() -> commands._main(new String[] { "sim-host" })));
        out(() -> commands._main(new String[] { "sim-adapter", "--policy", "round-robin", "nvme1", "--messages", "9", "--node", "1" }));
        assertEquals(new SimulatedAdapter("nvme1", 9, null, "round-robin", 1, List.of()), sim.get("nvme1"));
        out(() -> commands._main(new String[] { "sim-adapter", "nvme1", "--first", "3" }));
        assertEquals(new SimulatedAdapter("nvme1", 9, 3, "round-robin", 1, List.of()), sim.get("nvme1"));
        assertEquals("removed: nvme1\n", out(() -> commands._main(new String[] { "sim-remove", "nvme1" })));

        String p = "STOR_STATUS_INVALID_PARAMETER: ";
        assertEquals(p + "--messages 'abc' is not a number", error(() -> commands._main(new String[] { "sim-adapter", "x", "--messages", "abc" })));
        assertEquals(p + "option --messages needs a value", error(() -> commands._main(new String[] { "sim-adapter", "x", "--messages" })));
        assertEquals(p + "unknown option '--mesages' (options: --messages, --first, --policy, --node, --table)",
                error(() -> commands._main(new String[] { "sim-adapter", "x", "--mesages", "4" })));
        assertEquals(p + "missing argument: adapter name, e.g. nvme0", error(() -> commands._main(new String[] { "sim-adapter", "--messages", "4" })));
        assertEquals(p + "unexpected argument 'y'", error(() -> commands._main(new String[] { "sim-remove", "x", "y" })));
    }

    @Test
    public void helpForHyphenatedNames() {
        String help = out(() -> commands._main(new String[] { "sim-adapter", "--help" }));
        assertTrue(help, help.startsWith("sim-adapter - create or change a simulated adapter"));
        assertTrue(help, help.contains("      --messages VALUE   granted messages, 1..2048 (required for a new adapter)\n"));
        assertTrue(help, help.contains("   parameters:\n      String   adapter name, e.g. nvme0\n"));
    }

    /** Found by SimulatorCommandsFuzzTest: Path.of's own message ("Nul character not allowed: ...") was the reason. */
    @Test
    public void aCapturePathNoFileSystemAllowsIsAnInvalidParameter() {
        assertEquals("STOR_STATUS_INVALID_PARAMETER: capture file 'caps/a?.tar.gz' is not a valid path: Nul character not allowed",
                error(() -> commands.simreplay("r", "caps/a\0.tar.gz")));
        assertEquals("STOR_STATUS_INVALID_PARAMETER: no capture file given", error(() -> commands.simreplay("r", null)));
    }
}
