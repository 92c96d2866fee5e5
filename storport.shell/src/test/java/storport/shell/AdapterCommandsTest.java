package storport.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static storport.shell.Fixtures.error;
import static storport.shell.Fixtures.out;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Before;
import org.junit.Test;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.StorPort;
import storport.api.Topology;

public class AdapterCommandsTest {
    private final AdapterCommands commands = new AdapterCommands();

    @Before
    public void bind() {
        commands.storport = Fixtures.storport(Fixtures.host());
    }

    @Test
    public void msgidPrintsTheMessageAlone() {
        assertEquals("1\n", out(() -> commands.msgid("nvme0", "0")));
        assertEquals("1\n", out(() -> commands.msgid("nvme0", "2")));
        assertEquals("2\n", out(() -> commands.msgid("nvme0", "3")));
        assertEquals("32\n", out(() -> commands.msgid("nvme0", "79")));
        assertEquals("by alias", "17\n", out(() -> commands.msgid("0000:00:02.0", "40")));
    }

    @Test
    public void badIndexesAreInvalidParameters() {
        String prefix = "STOR_STATUS_INVALID_PARAMETER: ";
        assertEquals(prefix + "processor index -1 is outside 0..79", error(() -> commands.msgid("nvme0", "-1")));
        assertEquals(prefix + "processor index 80 is outside 0..79", error(() -> commands.msgid("nvme0", "80")));
        assertEquals(prefix + "processor index 2147483647 is outside 0..79", error(() -> commands.msgid("nvme0", "2147483647")));
        assertEquals(prefix + "processor index 99999999999 is outside 0..79", error(() -> commands.msgid("nvme0", "99999999999")));
        assertEquals(prefix + "processor index 99999999999999999999999 is outside 0..79",
                error(() -> commands.msgid("nvme0", "99999999999999999999999")));
        assertEquals(prefix + "processor index 'abc' is not a number", error(() -> commands.msgid("nvme0", "abc")));
        assertEquals(prefix + "processor index '1.5' is not a number", error(() -> commands.msgid("nvme0", "1.5")));
        assertEquals(prefix + "processor index '' is not a number", error(() -> commands.msgid("nvme0", "")));
        assertEquals(prefix + "processor index '\u0661' is not a number", error(() -> commands.msgid("nvme0", "\u0661")));
        assertEquals(prefix + "no processor index given", error(() -> commands.msgid("nvme0", null)));
    }

    @Test
    public void unknownAdapterAndUnservedProcessor() {
        assertEquals("STOR_STATUS_INVALID_PARAMETER: unknown adapter 'nvme7' on backend sim (adapters: nvme0, sparse)",
                error(() -> commands.msgid("nvme7", "0")));
        assertEquals("the adapter is checked before the index",
                "STOR_STATUS_INVALID_PARAMETER: unknown adapter 'nvme7' on backend sim (adapters: nvme0, sparse)",
                error(() -> commands.msgid("nvme7", "abc")));
        assertEquals("STOR_STATUS_INVALID_PARAMETER: unknown adapter 'nvme7' on backend sim (adapters: nvme0, sparse)",
                error(() -> commands.map(false, "nvme7")));
        assertTrue(error(() -> commands.msgid("sparse", "10")).startsWith("STOR_STATUS_UNSUCCESSFUL: no message of adapter sparse serves processor 10"));
        assertEquals("1\n", out(() -> commands.msgid("sparse", "9")));
    }

    @Test
    public void unexpectedFailuresBecomeUnsuccessful() {
        commands.storport = new StorPort() {
            @Override
            public String backend() {
                return "broken";
            }

            @Override
            public Host host() {
                throw new IllegalStateException("device gone");
            }
        };
        assertEquals("STOR_STATUS_UNSUCCESSFUL: java.lang.IllegalStateException: device gone", error(() -> commands.adapters(false)));
        commands.storport = null;
        assertEquals("STOR_STATUS_INVALID_DEVICE_STATE: no storport backend is registered", error(() -> commands.msgid("nvme0", "0")));
    }

    @Test
    public void adaptersTable() {
        assertEquals(""
                + "ID      ALIASES       NODE  MESSAGES  REDIRECTION  POLICY\n"
                + "nvme0   0000:00:02.0  0     33        1-32         numa-spread\n"
                + "sparse  -             -     2         1-1          -\n",
                out(() -> commands.adapters(false)));
    }

    @Test
    public void adaptersJson() {
        assertEquals("{\"backend\":\"sim\",\"adapters\":["
                + "{\"id\":\"nvme0\",\"aliases\":[\"0000:00:02.0\"],\"node\":0,\"messages\":33,\"firstRedirection\":1,\"lastRedirection\":32,\"policy\":\"numa-spread\",\"driver\":\"nvme\"},"
                + "{\"id\":\"sparse\",\"aliases\":[],\"node\":null,\"messages\":2,\"firstRedirection\":1,\"lastRedirection\":1,\"policy\":\"\",\"driver\":\"\"}"
                + "]}\n", out(() -> commands.adapters(true)));
    }

    @Test
    public void mapTable() {
        String[] lines = out(() -> commands.map(false, "sparse")).split("\n");
        assertEquals(81, lines.length);
        assertEquals("INDEX  GROUP  NUMBER  NODE  MESSAGE", lines[0]);
        assertEquals("0      0      0       0     1", lines[1]);
        assertEquals("10     0      10      0     -", lines[11]);
        assertEquals("79     1      39      1     -", lines[80]);
    }

    @Test
    public void mapJsonHasEveryProcessorAndMessagesPartitionThem() {
        Map<String, Object> doc = TestJson.object(TestJson.parse(out(() -> commands.map(true, "0000:00:02.0"))));
        assertEquals("sim", doc.get("backend"));
        assertEquals("nvme0", doc.get("adapter"));
        List<Object> processors = TestJson.array(doc.get("processors"));
        assertEquals(80, processors.size());
        Host host = Fixtures.host();
        Adapter nvme = host.adapter("nvme0");
        for (int p = 0; p < 80; p++) {
            Map<String, Object> proc = TestJson.object(processors.get(p));
            assertEquals((long) p, proc.get("index"));
            assertEquals((long) (p / 40), proc.get("group"));
            assertEquals((long) (p % 40), proc.get("number"));
            assertEquals((long) (p / 40), proc.get("node"));
            assertEquals((long) nvme.messageOf(p), proc.get("message"));
        }
        List<Object> messages = TestJson.array(doc.get("messages"));
        assertEquals("every message, also the admin one", 33, messages.size());
        Map<String, Object> admin = TestJson.object(messages.get(0));
        assertEquals(0L, admin.get("id"));
        assertEquals(List.of(), admin.get("processors"));
        assertEquals(List.of(), admin.get("targets"));
        Set<Long> seen = new HashSet<>();
        for (Object o : messages) {
            Map<String, Object> m = TestJson.object(o);
            for (Object p : TestJson.array(m.get("processors"))) {
                assertTrue("processor " + p + " in two messages", seen.add((Long) p));
                assertEquals(m.get("id"), TestJson.object(processors.get(((Long) p).intValue())).get("message"));
            }
        }
        assertEquals(80, seen.size());
        assertEquals(List.of(Map.of("group", 0L, "mask", "0x7")), TestJson.object(messages.get(1)).get("targets"));
        assertEquals(List.of(0L, 1L, 2L), TestJson.object(messages.get(1)).get("processors"));
    }

    @Test
    public void mapJsonUnservedProcessorIsNull() {
        Map<String, Object> doc = TestJson.object(TestJson.parse(out(() -> commands.map(true, "sparse"))));
        List<Object> processors = TestJson.array(doc.get("processors"));
        assertEquals(1L, TestJson.object(processors.get(9)).get("message"));
        assertTrue(TestJson.object(processors.get(10)).containsKey("message"));
        assertNull(TestJson.object(processors.get(10)).get("message"));
    }

    @Test
    public void messagesTable() {
        String[] lines = out(() -> commands.messages(false, "nvme0")).split("\n");
        assertEquals(34, lines.length);
        assertEquals("ID  TARGETS         PROCESSORS  EFFECTIVE  NAME      IRQ", lines[0]);
        assertEquals("0   -               -           -          nvme0q0   -", lines[1]);
        assertEquals("1   0:0x7           0-2         0-2        nvme0q1   101", lines[2]);
        assertEquals("16  0:0xc000000000  38-39       38-39      nvme0q16  116", lines[17]);
    }

    @Test
    public void targetsAcrossGroups() {
        Topology t = Fixtures.topology80();
        List<Integer> targets = List.of(38, 39, 40, 79);
        Adapter wide = Adapter.builder("wide").message(new storport.api.MessageInterrupt(0, 0x4000, 0xfee00000L, 0x40, 0x40,
                storport.api.InterruptMode.LATCHED, "wide", 7, t.affinities(targets), targets, List.of(38))).build(t);
        commands.storport = Fixtures.storport(new Host("sim", t, List.of(wide)));
        assertEquals(""
                + "ID  TARGETS                        PROCESSORS  EFFECTIVE  NAME  IRQ\n"
                + "0   0:0xc000000000,1:0x8000000001  38-40,79    38         wide  7\n", out(() -> commands.messages(false, "wide")));
        Map<String, Object> m0 = TestJson.object(TestJson.array(TestJson.object(TestJson.parse(out(() -> commands.messages(true, "wide"))))
                .get("messages")).get(0));
        assertEquals(List.of(Map.of("group", 0L, "mask", "0xc000000000"), Map.of("group", 1L, "mask", "0x8000000001")), m0.get("targets"));
        assertEquals(List.of(38L, 39L, 40L, 79L), m0.get("processors"));
        assertEquals(List.of(38L), m0.get("effective"));
    }

    @Test
    public void messagesJson() {
        Map<String, Object> doc = TestJson.object(TestJson.parse(out(() -> commands.messages(true, "nvme0"))));
        assertEquals("nvme0", doc.get("adapter"));
        List<Object> messages = TestJson.array(doc.get("messages"));
        assertEquals(33, messages.size());
        Map<String, Object> m0 = TestJson.object(messages.get(0));
        assertNull(m0.get("irq"));
        assertEquals("nvme0q0", m0.get("name"));
        Map<String, Object> m16 = TestJson.object(messages.get(16));
        assertEquals(List.of(Map.of("group", 0L, "mask", "0xc000000000")), m16.get("targets"));
        assertEquals(List.of(38L, 39L), m16.get("processors"));
        assertEquals(116L, m16.get("irq"));
        assertEquals((long) 0x40 + 16, m16.get("vector"));
        assertEquals("0xfee00000", m16.get("address"));
        assertEquals((long) 0x4000 + 16, m16.get("data"));
    }

    @Test
    public void jsonEscapesQuotesBackslashesAndControls() {
        Topology t = Fixtures.topology80();
        String id = "we\"ird\\one";
        String name = "q\"1\\\n\t\u0001\u2028end";
        Adapter odd = Adapter.builder(id).aliases(List.of("a\"b")).message(Fixtures.message(t, 0, name, -1, List.of(0))).build(t);
        commands.storport = Fixtures.storport(new Host("sim\"x", t, List.of(odd)));
        String json = out(() -> commands.messages(true, id));
        assertTrue(json, json.contains("\"adapter\":\"we\\\"ird\\\\one\""));
        assertTrue(json, json.contains("\"name\":\"q\\\"1\\\\\\n\\t\\u0001\\u2028end\""));
        Map<String, Object> doc = TestJson.object(TestJson.parse(json));
        assertEquals("sim\"x", doc.get("backend"));
        assertEquals(id, doc.get("adapter"));
        assertEquals(name, TestJson.object(TestJson.array(doc.get("messages")).get(0)).get("name"));
        Map<String, Object> adapters = TestJson.object(TestJson.parse(out(() -> commands.adapters(true))));
        assertEquals(List.of("a\"b"), TestJson.object(TestJson.array(adapters.get("adapters")).get(0)).get("aliases"));
    }

    @Test
    public void rangesAreCompact() {
        assertEquals("-", storport.view.Text.ranges(List.of()));
        assertEquals("5", storport.view.Text.ranges(List.of(5)));
        assertEquals("0-2,40-41", storport.view.Text.ranges(List.of(0, 1, 2, 40, 41)));
        assertEquals("1,3,5-6", storport.view.Text.ranges(new ArrayList<>(List.of(1, 3, 5, 6))));
    }
}
