package storport.shell;

import static org.junit.Assert.assertEquals;
import static storport.shell.Fixtures.out;

import java.util.List;
import java.util.Map;

import org.junit.Test;

import storport.api.Host;
import storport.api.LogicalCpu;
import storport.api.Topology;

public class TopologyCommandTest {

    private static TopologyCommand command(Host host) {
        TopologyCommand c = new TopologyCommand();
        c.storport = Fixtures.storport(host);
        return c;
    }

    @Test
    public void textSummarisesThenTables() {
        String[] lines = out(() -> command(Fixtures.host()).topology(false)).split("\n", -1);
        assertEquals("80 processors, 2 groups, 2 nodes", lines[0]);
        assertEquals("", lines[1]);
        assertEquals("INDEX  GROUP  NUMBER  NODE  PACKAGE  CORE  CPU", lines[2]);
        assertEquals("0      0      0       0     0        0     0", lines[3]);
        assertEquals("79     1      39      1     1        19    79", lines[82]);
        assertEquals("", lines[83]);
        assertEquals("GROUP  SIZE  MASK", lines[84]);
        assertEquals("0      40    0xffffffffff", lines[85]);
        assertEquals("1      40    0xffffffffff", lines[86]);
        assertEquals("", lines[87]);
        assertEquals("NODE  PROCESSORS  AFFINITY", lines[88]);
        assertEquals("0     40          0:0xffffffffff", lines[89]);
        assertEquals("1     40          1:0xffffffffff", lines[90]);
        assertEquals("", lines[91]);
        assertEquals(92, lines.length);
    }

    @Test
    public void singular() {
        Topology one = Topology.of(List.of(new LogicalCpu(3, 0, 0, 0)));
        String text = out(() -> command(new Host("native", one, List.of())).topology(false));
        assertEquals("1 processor, 1 group, 1 node", text.split("\n")[0]);
    }

    @Test
    public void json() {
        Map<String, Object> doc = TestJson.object(TestJson.parse(out(() -> command(Fixtures.host()).topology(true))));
        assertEquals("sim", doc.get("backend"));
        List<Object> processors = TestJson.array(doc.get("processors"));
        assertEquals(80, processors.size());
        assertEquals(Map.of("index", 41L, "group", 1L, "number", 1L, "node", 1L, "package", 1L, "core", 0L, "cpu", 41L), processors.get(41));
        assertEquals(List.of(Map.of("group", 0L, "size", 40L, "mask", "0xffffffffff"), Map.of("group", 1L, "size", 40L, "mask", "0xffffffffff")),
                doc.get("groups"));
        assertEquals(Map.of("node", 1L, "processors", 40L, "affinities", List.of(Map.of("group", 1L, "mask", "0xffffffffff"))),
                TestJson.array(doc.get("nodes")).get(1));
    }
}
