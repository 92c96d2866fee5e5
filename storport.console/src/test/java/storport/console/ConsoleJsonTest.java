package storport.console;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Field;
import java.util.List;
import java.util.function.Supplier;

import org.junit.Test;

import storport.api.Adapter;
import storport.api.backend.BackendInfo;
import storport.api.Host;
import storport.api.StorPort;
import storport.api.StorPortException;
import storport.shell.AdapterCommands;
import storport.shell.TopologyCommand;
import storport.view.Documents;

/**
 * The console's JSON is byte for byte the shell's {@code --json} output for the same host: both run
 * here, the shell's real commands against the same snapshot (one producer, storport.view's
 * Documents, serves both; this checks that each side asks it for the same document).
 */
public class ConsoleJsonTest {

    @Test
    public void adaptersMapMessagesAndTopologyAreTheShellsBytes() throws Exception {
        for (Host host : List.of(Hosts.default80(), Hosts.awkward())) {
            AdapterCommands adapters = bind(new AdapterCommands(), host);
            TopologyCommand topology = bind(new TopologyCommand(), host);
            assertEquals(shell(() -> adapters.adapters(true)), new Documents.Adapters(host).json());
            assertEquals(shell(() -> topology.topology(true)), new Documents.TopologyView(host).json());
            for (Adapter a : host.adapters()) {
                assertEquals(a.id(), shell(() -> adapters.map(true, a.id())), new Documents.AdapterMap(host, a).json());
                assertEquals(a.id(), shell(() -> adapters.messages(true, a.id())), new Documents.Messages(host, a).json());
                for (String alias : a.aliases()) {
                    assertEquals("by alias " + alias, shell(() -> adapters.map(true, alias)), new Documents.AdapterMap(host, host.find(alias)).json());
                }
            }
        }
    }

    @Test
    public void theAwkwardHostReallyIsAwkward() {
        String json = new Documents.Adapters(Hosts.awkward()).json();
        assertTrue(json, json.contains("\"id\":\"na\\\"me\\\\ \\u0001 \\u2028 \u00e9 \\t/\""));
        assertTrue(json, json.contains("\"node\":null"));
        String map = new Documents.AdapterMap(Hosts.awkward(), Hosts.awkward().adapter("lost")).json();
        assertTrue("an unavailable adapter serves nobody: " + map, map.contains("\"message\":null") && !map.contains("\"message\":0"));
        String topology = new Documents.TopologyView(Hosts.awkward()).json();
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
                    assertEquals(new Documents.Seed(host, a, i, m).json(), "{\"backend\":\"sim\",\"adapter\":\"" + a.id() + "\",\"index\":" + i
                            + ",\"status\":\"STOR_STATUS_SUCCESS\",\"code\":\"0x00000000\",\"message\":" + m + "}\n");
                    console = String.valueOf(m);
                } catch (StorPortException e) {
                    console = e.getMessage();
                    String json = Documents.failureJson(e);
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
                new Documents.Backends("sim", "sim", List.of(new BackendInfo("native", false, "no /sys", false, false),
                        new BackendInfo("sim", true, "", true, true))).json());
        assertEquals("{\"version\":42}\n", new Documents.Version(42).json());
        assertEquals("0xC1000006", Documents.code(storport.api.StorStatus.INVALID_PARAMETER));
    }

    static <T> T bind(T command, Host host) throws ReflectiveOperationException {
        Field f = command.getClass().getDeclaredField("storport");
        f.setAccessible(true);
        f.set(command, (StorPort) Hosts.storport(host));
        return command;
    }

    /** What the shell shows for a command: its value and a line break, as Gogo prints it. */
    static String shell(Supplier<?> command) {
        Object value = command.get();
        return value == null ? "" : value + "\n";
    }
}
