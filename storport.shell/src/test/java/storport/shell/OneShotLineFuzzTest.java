package storport.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The one-shot runner's look at a Gogo line ({@code ./storport 'CMD ; CMD'}), which decides what
 * to wait for before running it: any line gives a list of distinct command words, each one that
 * could name a command, and never a failure. A line of plain commands gives exactly their names.
 */
class OneShotLineFuzzTest {
    private static final String[] NAMES = {"msgid", "storport:map", "adapters", "sim-host", "backend", "help"};
    private static final String[] SEPARATORS = {" ; ", ";", " | ", "\n", " & "};

    @FuzzTest(maxDuration = "20s")
    void commandNames(FuzzedDataProvider data) {
        StringBuilder line = new StringBuilder();
        java.util.LinkedHashSet<String> expected = new java.util.LinkedHashSet<>();
        int n = data.consumeInt(1, 4);
        for (int i = 0; i < n; i++) {
            String name = NAMES[data.consumeInt(0, NAMES.length - 1)];
            expected.add(name);
            line.append(i == 0 ? "" : SEPARATORS[data.consumeInt(0, SEPARATORS.length - 1)]).append(name).append(" nvme0 3");
        }
        assertEquals(List.copyOf(expected), OneShotRunner.commandNames(line.toString()), line.toString());

        String any = data.consumeRemainingAsString();
        List<String> names = OneShotRunner.commandNames(any);
        assertEquals(names.size(), new HashSet<>(names).size(), "distinct: " + names);
        for (String name : names) {
            assertTrue(name.matches("[A-Za-z_][\\w.-]*(:[A-Za-z_][\\w.-]*)?"), name);
        }
    }
}
