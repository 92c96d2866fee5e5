package storport.view;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import com.google.gson.Gson;

import storport.api.Adapter;
import storport.api.InterruptMode;
import storport.api.Isolation;
import storport.api.LogicalCpu;
import storport.api.MessageInterrupt;
import storport.api.Topology;

/** Scores of what-if maps, and Linux's rule for CPUs taken offline. */
public class CompareTest {
    /** 8 processors: node 0 = 0-3, node 1 = 4-7. */
    private static Topology topology() {
        List<LogicalCpu> cpus = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            cpus.add(new LogicalCpu(c, c / 4, c / 4, c));
        }
        return Topology.of(cpus);
    }

    /** Admin message 0, then one I/O message per group of processors, each targeting exactly its group. */
    private static Adapter adapter(Topology t, List<List<Integer>> groups) {
        Adapter.Builder b = Adapter.builder("nvme0").message(message(t, 0, List.of())).redirection(1, groups.size());
        for (int g = 0; g < groups.size(); g++) {
            b.message(message(t, g + 1, groups.get(g)));
        }
        return b.build(t);
    }

    private static MessageInterrupt message(Topology t, int id, List<Integer> targets) {
        return new MessageInterrupt(id, 0, 0xFEE00000L, 0x40 + id, 0x40 + id, InterruptMode.LATCHED, "q" + id, -1, t.affinities(targets), targets);
    }

    private static final List<List<Integer>> BY_NODE = List.of(List.of(0, 1), List.of(2, 3), List.of(4, 5), List.of(6, 7));
    private static final List<List<Integer>> ROUND_ROBIN = List.of(List.of(0, 4), List.of(1, 5), List.of(2, 6), List.of(3, 7));

    @Test
    public void eachPolicyIsScoredOnItsOwnMap() {
        Topology t = topology().withIsolation(new Isolation(List.of(5), List.of(), List.of()));
        Compare c = Compare.of("sim", "nvme0", t, List.of(new Compare.Remapped("by-node", adapter(t, BY_NODE)),
                new Compare.Remapped("round-robin", adapter(t, ROUND_ROBIN)), new Compare.Remapped("half", adapter(t, List.of(List.of(0, 1, 2, 3))))),
                List.of());
        Compare.Candidate byNode = c.policies().get(0);
        assertEquals(List.of(4, 2, 2, 0, 1, 0), List.of(byNode.messagesUsed(), byNode.minPerMessage(), byNode.maxPerMessage(), byNode.crossNode(),
                byNode.isolated(), byNode.noMessage()));
        assertEquals(Arrays.asList(1, 1, 2, 2, 3, 3, 4, 4), byNode.map());
        Compare.Candidate rr = c.policies().get(1);
        assertEquals("every processor served across nodes", 8, rr.crossNode());
        Compare.Candidate half = c.policies().get(2);
        assertEquals(List.of(1, 4, 4, 0, 0, 4), List.of(half.messagesUsed(), half.minPerMessage(), half.maxPerMessage(), half.crossNode(),
                half.isolated(), half.noMessage()));
        assertEquals(Arrays.asList(1, 1, 1, 1, null, null, null, null), half.map());
        assertEquals(List.of(5), c.isolated());

        @SuppressWarnings("unchecked")
        Map<String, Object> json = new Gson().fromJson(c.json(), Map.class);
        Map<?, ?> first = (Map<?, ?>) ((List<?>) json.get("policies")).get(0);
        assertEquals("by-node", first.get("policy"));
        assertEquals(Map.of("min", 2.0, "max", 2.0), first.get("processorsPerMessage"));
        assertTrue(c.json(), c.json().contains("\"map\":[1,1,1,1,null,null,null,null]"));
        assertTrue(c.text(), c.text().startsWith("adapter nvme0 on sim, 8 processors, isolated 5\n"
                + "POLICY       MESSAGES-USED  PER-MESSAGE  CROSS-NODE  ISOLATED  NO-MESSAGE  SHUT-DOWN\n"
                + "by-node      4              2            0           1         0           -\n"));
    }

    @Test
    public void aQueueWhoseCpusAreAllOfflineIsShutDownAndOnlyOfflineProcessorsLoseTheirMessage() {
        Topology t = topology();
        Compare c = Compare.of("sim", "nvme0", t, List.of(new Compare.Remapped("by-node", adapter(t, BY_NODE))), List.of(5, 6, 7));
        Compare.Candidate r = c.policies().get(0);
        assertEquals("message 4 (6-7) shut down; message 3 keeps CPU 4", List.of(4), r.shutDown());
        assertEquals(Arrays.asList(1, 1, 2, 2, 3, null, null, null), r.map());
        assertEquals(3, r.noMessage());
        assertEquals(List.of(5, 6, 7), c.offline());
        assertTrue(c.text(), c.text().contains("offline 5-7") && c.text().contains("  4\n"));
    }
}
