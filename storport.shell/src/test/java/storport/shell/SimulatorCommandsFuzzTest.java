package storport.shell;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import storport.api.sim.SimulatedAdapter;
import storport.api.StorStatus;

/**
 * {@code sim-host}, {@code sim-adapter}, {@code sim-remove}, {@code sim-replay} as Gogo hands them
 * over (raw words to {@code _main}): options anywhere, missing values, unknown options, numbers
 * in every spelling. Each line succeeds or fails with STOR_STATUS_INVALID_PARAMETER and prints
 * nothing (see {@link ShellContract}).
 */
class SimulatorCommandsFuzzTest {
    private static final String[] FUNCTIONS = {"sim-host", "sim-adapter", "sim-remove", "sim-replay", "simhost", "simadapter", "SIM-ADAPTER"};
    private static final String[] WORDS = {"--messages", "--first", "--policy", "--node", "--table", "--help", "--", "-", "nvme0", "nvme1",
        "default", "explicit", "round-robin", "numa-spread", "single", "0", "1", "-1", "+7", "33", "2048", "99999999999", "1,2,3", " ",
        "", "node:2 core:8", "caps/prod.tar.gz", "null"};

    @FuzzTest(maxDuration = "20s")
    void simCommands(FuzzedDataProvider data) {
        SimulatorCommandsTest.TestSimulator sim = new SimulatorCommandsTest.TestSimulator();
        sim.adapters.add(new SimulatedAdapter("nvme0", 8, 2, "explicit", 1, List.of(2, 3, 4, 5)));
        SimulatorCommands commands = new SimulatorCommands();
        commands.simulator = sim;

        List<String> argv = new ArrayList<>();
        argv.add(data.consumeBoolean() ? FUNCTIONS[data.consumeInt(0, FUNCTIONS.length - 1)] : data.consumeString(12));
        int n = data.consumeInt(0, 10);
        for (int i = 0; i < n; i++) {
            argv.add(data.consumeBoolean() ? WORDS[data.consumeInt(0, WORDS.length - 1)] : data.consumeString(24));
        }
        String out = ShellContract.run(() -> commands._main(argv.toArray(new String[0])), Set.of(StorStatus.INVALID_PARAMETER));
        if (out != null) {
            assertTrue(out.isEmpty() || out.endsWith("\n"), "output ends with a newline: " + out);
        }
    }
}
