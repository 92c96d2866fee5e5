package storport.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Set;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import storport.api.Host;
import storport.api.StorStatus;

/**
 * The per-adapter commands' arguments: adapter ids and aliases, processor indexes in any spelling
 * (signs, leading zeros, beyond a long, other scripts' digits, garbage). {@code msgid} prints
 * exactly the API's answer for a valid index; everything else fails as the contract says
 * (INVALID_PARAMETER, or UNSUCCESSFUL for a processor no message serves) and prints nothing.
 */
class AdapterCommandsFuzzTest {
    private static final String[] ADAPTERS = {"nvme0", "0000:00:02.0", "sparse", "NVME0", "nvme", ""};
    private static final Set<StorStatus> ALLOWED = Set.of(StorStatus.INVALID_PARAMETER, StorStatus.UNSUCCESSFUL);

    private final Host host = Fixtures.host();

    @FuzzTest(maxDuration = "20s")
    void adapterCommands(FuzzedDataProvider data) {
        AdapterCommands commands = new AdapterCommands();
        commands.storport = Fixtures.storport(host);
        String adapter = data.consumeBoolean() ? ADAPTERS[data.consumeInt(0, ADAPTERS.length - 1)] : data.consumeString(20);
        String index = switch (data.consumeInt(0, 3)) {
            case 0 -> Integer.toString(data.consumeInt(-2, 81));
            case 1 -> (data.consumeBoolean() ? "+" : "") + "0".repeat(data.consumeInt(0, 30)) + data.consumeInt(0, 100);
            case 2 -> null;
            default -> data.consumeString(40);
        };
        boolean json = data.consumeBoolean();
        switch (data.consumeInt(0, 3)) {
            case 0 -> {
                String out = ShellContract.run(() -> commands.msgid(adapter, index), ALLOWED);
                if (out != null) {
                    // the API's own answer, for the index as the user wrote it
                    int p = new BigInteger(index).intValueExact();
                    assertEquals(host.messageInterruptId(adapter, p) + "\n", out);
                }
            }
            case 1 -> check(ShellContract.run(() -> commands.map(json, adapter), ALLOWED), json);
            case 2 -> check(ShellContract.run(() -> commands.messages(json, adapter), ALLOWED), json);
            default -> check(ShellContract.run(() -> commands.adapters(json), ALLOWED), json);
        }
        if (index != null) {
            parseLong(index);
        }
    }

    /** Shell.parseLong: ASCII integers only; null exactly for integers beyond a long. */
    private static void parseLong(String text) {
        Long v;
        try {
            v = Shell.parseLong("x", text);
        } catch (storport.api.StorPortException notANumber) {
            assertTrue(!text.matches("[+-]?[0-9]+"), text);
            return;
        }
        BigInteger exact = new BigInteger(text);
        if (exact.bitLength() < 64) {
            assertEquals(exact.longValueExact(), v);
        } else {
            assertNull(v);
        }
        assertEquals(exact.toString(), Shell.normalized(text));
    }

    private static void check(String out, boolean json) {
        if (out != null) {
            assertTrue(out.endsWith("\n"));
            if (json) {
                TestJson.parse(out.trim());
            }
        }
    }
}
