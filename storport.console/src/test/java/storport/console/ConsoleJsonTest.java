package storport.console;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.Test;

import storport.api.Adapter;
import storport.api.BackendInfo;
import storport.api.Host;
import storport.api.StorPort;
import storport.api.StorPortException;
import storport.shell.AdapterCommands;
import storport.shell.TopologyCommand;

/**
 * The console's JSON is byte for byte the shell's {@code --json} output for the same host: both run
 * here, the shell's real commands against the same snapshot.
 */
public class ConsoleJsonTest {

    @Test
    public void adaptersMapMessagesAndTopologyAreTheShellsBytes() throws Exception {
        for (Host host : List.of(Hosts.default80(), Hosts.awkward())) {
            AdapterCommands adapters = bind(new AdapterCommands(), host);
            TopologyCommand topology = bind(new TopologyCommand(), host);
            assertEquals(shell(() -> adapters.adapters(true)), ConsoleJson.adapters(host));
            assertEquals(shell(() -> topology.topology(true)), ConsoleJson.topology(host));
            for (Adapter a : host.adapters()) {
                assertEquals(a.id(), shell(() -> adapters.map(true, a.id())), ConsoleJson.map(host, a));
                assertEquals(a.id(), shell(() -> adapters.messages(true, a.id())), ConsoleJson.messages(host, a));
                for (String alias : a.aliases()) {
                    assertEquals("by alias " + alias, shell(() -> adapters.map(true, alias)), ConsoleJson.map(host, host.find(alias)));
                }
            }
        }
    }

    @Test
    public void theAwkwardHostReallyIsAwkward() {
        String json = ConsoleJson.adapters(Hosts.awkward());
        assertTrue(json, json.contains("\"id\":\"na\\\"me\\\\ \\u0001 \\u2028 \u00e9 \\t/\""));
        assertTrue(json, json.contains("\"node\":null"));
        String map = ConsoleJson.map(Hosts.awkward(), Hosts.awkward().adapter("lost"));
        assertTrue("an unavailable adapter serves nobody: " + map, map.contains("\"message\":null") && !map.contains("\"message\":0"));
        String topology = ConsoleJson.topology(Hosts.awkward());
        assertTrue(topology, topology.contains("\"mask\":\"0xffffffffffffffff\""));
    }

    /** The seed call's answers and errors read as the shell's msgid prints them. */
    @Test
    public void seedCallMatchesTheShellsMsgid() throws Exception {
        Host host = Hosts.default80();
        AdapterCommands shell = bind(new AdapterCommands(), host);
        for (String adapter : List.of("nvme0", "0000:00:02.0", "sparse", "nvme7")) {
            for (String index : List.of("0", "5", "40", "79", "80", "-1", "+7", "abc", "1.5", "", "\u0661", "99999999999",
                    "99999999999999999999999")) {
                String expected;
                try {
                    expected = shell(() -> shell.msgid(adapter, index)).trim();
                } catch (StorPortException e) {
                    expected = e.getMessage();
                }
                String console;
                try {
                    Adapter a = host.adapter(adapter);
                    long i = ConsolePlugin.processorIndex(host, index);
                    int m = host.messageInterruptId(adapter, i);
                    assertEquals(ConsoleJson.seed(host, a, i, m), "{\"backend\":\"sim\",\"adapter\":\"" + a.id() + "\",\"index\":" + i
                            + ",\"status\":\"STOR_STATUS_SUCCESS\",\"code\":\"0x00000000\",\"message\":" + m + "}\n");
                    console = String.valueOf(m);
                } catch (StorPortException e) {
                    console = e.getMessage();
                    String json = ConsoleJson.error(e);
                    assertTrue(json, json.contains("\"status\":\"" + e.status().symbol() + "\""));
                }
                assertEquals(adapter + " " + index, expected, console);
            }
        }
    }

    @Test
    public void backendsAndVersionDocuments() {
        assertEquals("{\"active\":\"sim\",\"preferred\":\"sim\",\"backends\":[{\"name\":\"native\",\"available\":false,"
                + "\"reason\":\"no /sys\",\"active\":false,\"preferred\":false},{\"name\":\"sim\",\"available\":true,\"reason\":\"\","
                + "\"active\":true,\"preferred\":true}]}\n",
                ConsoleJson.backends("sim", "sim", List.of(new BackendInfo("native", false, "no /sys", false, false),
                        new BackendInfo("sim", true, "", true, true))));
        assertEquals("{\"version\":42}\n", ConsoleJson.version(42));
        assertEquals("0xC1000006", ConsoleJson.code(storport.api.StorStatus.INVALID_PARAMETER));
    }

    static <T> T bind(T command, Host host) throws ReflectiveOperationException {
        Field f = command.getClass().getDeclaredField("storport");
        f.setAccessible(true);
        f.set(command, (StorPort) Hosts.storport(host));
        return command;
    }

    /** What a shell command prints on System.out. */
    static String shell(Runnable command) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            command.run();
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
