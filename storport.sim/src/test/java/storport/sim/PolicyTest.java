package storport.sim;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static storport.sim.Expect.invalid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.Test;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.LogicalCpu;
import storport.api.MessageInterrupt;
import storport.api.sim.SimulatedAdapter;
import storport.api.Topology;

public class PolicyTest {

    private static Topology topology(String spec) {
        return Topology.of(TopologySpec.parse(spec).cpus());
    }

    private static int[] numaSpread(Topology t, int first, int count) {
        return Policy.NUMA_SPREAD.assign(t, first, count, List.of());
    }

    /**
     * The expected processor -> message map: message {@code first + i} serves the processors in
     * {@code groups[i]}. Every processor must be listed exactly once.
     */
    private static int[] expected(int n, int first, int[]... groups) {
        int[] map = new int[n];
        Arrays.fill(map, -1);
        for (int g = 0; g < groups.length; g++) {
            for (int p : groups[g]) {
                assertEquals("processor " + p + " listed twice in the expectation", -1, map[p]);
                map[p] = first + g;
            }
        }
        for (int p = 0; p < n; p++) {
            assertTrue("processor " + p + " missing from the expectation", map[p] >= 0);
        }
        return map;
    }

    private static int[] span(int from, int toInclusive) {
        int[] out = new int[toInclusive - from + 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    // ---- numa-spread: Linux group_cpus_evenly() parity ----

    @Test
    public void oneNodeSixteenCpusSixMessages() {
        // 16 cpus / 6 groups = 2, 16 % 6 = 4 -> the first four groups get 3
        int[] map = numaSpread(topology("core:16"), 1, 7);
        assertArrayEquals(expected(16, 1, span(0, 2), span(3, 5), span(6, 8), span(9, 11), span(12, 13), span(14, 15)), map);
    }

    @Test
    public void smtSiblingPairs() {
        int[] map = numaSpread(topology("core:4 pu:2"), 1, 5);
        assertArrayEquals(expected(8, 1, new int[] {0, 1}, new int[] {2, 3}, new int[] {4, 5}, new int[] {6, 7}), map);
    }

    @Test
    public void siblingsFirstWithBreadthFirstCpuNumbering() {
        // Linux on many x86 servers: cpu c and c+4 are the SMT siblings of core c
        List<LogicalCpu> cpus = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            cpus.add(new LogicalCpu(c, 0, 0, c % 4));
        }
        Topology t = Topology.of(cpus);
        assertArrayEquals(expected(8, 1, new int[] {0, 4}, new int[] {1, 5}, new int[] {2, 6}, new int[] {3, 7}),
                numaSpread(t, 1, 5));
        // sizes 3,3,2: {0, sibling 4, next lowest 1}, {2, sibling 6, next lowest 3}, {5, 7}
        assertArrayEquals(expected(8, 1, new int[] {0, 1, 4}, new int[] {2, 3, 6}, new int[] {5, 7}), numaSpread(t, 1, 4));
    }

    @Test
    public void twoNodesThreeMessages() {
        // equal nodes: the kernel's heapsort leaves node 1 first (linux-kernel-maps.txt, "2 2 2 - ... 3 ...":
        // hctx 0 = 4-7, 1 = 0-1, 2 = 2-3 on 6.1 and 6.12). Node 1: max(1, 3*8/16) = 1 group; node 0: 2*8/8 = 2
        int[] map = numaSpread(topology("node:2 core:8"), 1, 4);
        assertArrayEquals(expected(16, 1, span(8, 15), span(0, 3), span(4, 7)), map);
        assertArrayEquals(map, Policy.NUMA_SPREAD_LEGACY.assign(topology("node:2 core:8"), 1, 4, List.of()));
    }

    @Test
    public void fourEqualNodesInEachKernelsOrder() {
        // linux-kernel-maps.txt, "4 2 1 - 3 5 8", 8 queues: 6.12 visits nodes 1, 3, 2, 0; 6.1 visits 1, 2, 3, 0
        Topology t = topology("node:4 core:2");
        assertArrayEquals(expected(8, 1, new int[] {2}, new int[] {3}, new int[] {6}, new int[] {7}, new int[] {4},
                new int[] {5}, new int[] {0}, new int[] {1}), numaSpread(t, 1, 9));
        assertArrayEquals(expected(8, 1, new int[] {2}, new int[] {3}, new int[] {4}, new int[] {5}, new int[] {6},
                new int[] {7}, new int[] {0}, new int[] {1}), Policy.NUMA_SPREAD_LEGACY.assign(t, 1, 9, List.of()));
    }

    @Test
    public void fewerMessagesThanNodesGoRoundRobinOverWholeNodes() {
        int[] map = numaSpread(topology("node:4 core:2"), 1, 3);
        assertArrayEquals(expected(8, 1, new int[] {0, 1, 4, 5}, new int[] {2, 3, 6, 7}), map);
        // as many messages as nodes: one node each
        assertArrayEquals(expected(8, 1, span(0, 1), span(2, 3), span(4, 5), span(6, 7)), numaSpread(topology("node:4 core:2"), 1, 5));
        // one message: everything
        assertArrayEquals(expected(8, 0, span(0, 7)), numaSpread(topology("node:4 core:2"), 0, 1));
    }

    @Test
    public void nodesTakenInAscendingCpuCount() {
        // node 0: cpus 0-11, node 1: cpus 12-15; node 1 is smaller so it is filled first
        List<LogicalCpu> cpus = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            cpus.add(new LogicalCpu(c, c < 12 ? 0 : 1, 0, c));
        }
        int[] map = numaSpread(Topology.of(cpus), 1, 5);
        assertArrayEquals(expected(16, 1, span(12, 15), span(0, 3), span(4, 7), span(8, 11)), map);
    }

    @Test
    public void asManyMessagesAsNodesGoInNodeIdOrderEvenWhenNodesDiffer() {
        // Linux takes the numgrps <= nodes branch: whole nodes round-robin in node id order, no sorting by size
        List<LogicalCpu> cpus = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            cpus.add(new LogicalCpu(c, c < 12 ? 0 : 1, 0, c));
        }
        assertArrayEquals(expected(16, 1, span(0, 11), span(12, 15)), numaSpread(Topology.of(cpus), 1, 3));
    }

    @Test
    public void aSmallNodeStillGetsOneMessage() {
        // node 0: cpus 0-14, node 1: cpu 15; node 1 first with max(1, 4*1/16) = 1, node 0 gets 3 of 5
        List<LogicalCpu> cpus = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            cpus.add(new LogicalCpu(c, c < 15 ? 0 : 1, 0, c));
        }
        int[] map = numaSpread(Topology.of(cpus), 1, 5);
        assertArrayEquals(expected(16, 1, new int[] {15}, span(0, 4), span(5, 9), span(10, 14)), map);
    }

    @Test
    public void moreMessagesThanProcessors() {
        Topology t = topology("core:4");
        assertArrayEquals(new int[] {1, 2, 3, 4}, numaSpread(t, 1, 9));
        Adapter a = SimHostFactory.adapter(t, new SimulatedAdapter("big", 9, 1, "numa-spread", 0, List.of()));
        for (int m = 1; m <= 4; m++) {
            assertEquals(List.of(m - 1), a.message(m).processors());
        }
        for (int m = 5; m <= 8; m++) {
            assertEquals("message " + m, List.of(), a.message(m).processors());
            assertEquals("message " + m, List.of(), a.message(m).targets());
        }
        assertEquals(List.of(), a.message(0).processors());
    }

    @Test
    public void defaultNvmeOnDefaultHost() {
        Host host = SimHostFactory.build(SimModel.DEFAULT_HOST, SimModel.DEFAULT_ADAPTERS);
        Adapter nvme = host.adapter("nvme0");
        assertEquals(33, nvme.messageCount());
        assertEquals(1, nvme.firstRedirectionMessage());
        assertEquals(32, nvme.lastRedirectionMessage());
        // two equal nodes: Linux serves node 1 first (linux-kernel-maps.txt), so messages 1..16 serve node 1
        // (processors 40-79) and 17..32 node 0; each node: 32*40/80 = 16 messages, 40/16 = 2 rem 8 -> eight of
        // 3 cpus, then eight of 2
        int[] expected = new int[80];
        for (int node : new int[] {1, 0}) {
            int cpu = node * 40;
            int firstMessage = node == 1 ? 1 : 17;
            for (int g = 0; g < 16; g++) {
                int size = g < 8 ? 3 : 2;
                for (int i = 0; i < size; i++) {
                    expected[cpu++] = firstMessage + g;
                }
            }
            assertEquals(node * 40 + 40, cpu);
        }
        assertEquals(17, nvme.messageInterruptId(0));
        for (int p = 0; p < 80; p++) {
            int m = nvme.messageInterruptId(p);
            assertEquals("processor " + p, expected[p], m);
            assertTrue(m >= 1 && m <= 32);
        }
        Set<Integer> node0 = new TreeSet<>();
        Set<Integer> node1 = new TreeSet<>();
        for (int p = 0; p < 80; p++) {
            (p < 40 ? node0 : node1).add(nvme.messageOf(p));
        }
        assertEquals(range(17, 32), node0);
        assertEquals(range(1, 16), node1);
        assertEquals(List.of(), nvme.message(0).processors());   // admin queue
        assertEquals(List.of(40, 41, 42), nvme.message(1).processors());
        assertEquals(List.of(78, 79), nvme.message(16).processors());
        assertEquals(List.of(0, 1, 2), nvme.message(17).processors());
        assertEquals(List.of(38, 39), nvme.message(32).processors());
    }

    private static Set<Integer> range(int from, int toInclusive) {
        Set<Integer> s = new TreeSet<>();
        for (int i = from; i <= toInclusive; i++) {
            s.add(i);
        }
        return s;
    }

    @Test
    public void largestHostWith2048Messages() {
        Topology t = topology("node:8 core:512 pu:2");
        assertEquals(8192, t.processorCount());
        Adapter a = SimHostFactory.adapter(t, new SimulatedAdapter("huge", 2048, null, "numa-spread", 0, List.of()));
        assertEquals(2048, a.messageCount());
        // every processor exactly one message of 1..2047
        for (int p = 0; p < 8192; p++) {
            int m = a.messageOf(p);
            assertTrue("processor " + p + " -> " + m, m >= 1 && m <= 2047);
        }
        // message processor lists partition the processors and agree with the lookup
        boolean[] seen = new boolean[8192];
        int total = 0;
        for (MessageInterrupt mi : a.messages()) {
            for (int p : mi.processors()) {
                assertTrue("processor " + p + " in two messages", !seen[p]);
                seen[p] = true;
                assertEquals(mi.messageId(), a.messageOf(p));
                total++;
            }
        }
        assertEquals(8192, total);
        // M = 2047 over 8 equal nodes, visited in the order Linux 6.12 visits 8 equal nodes (linux-kernel-maps.txt,
        // "8 2 1 - 9 16": 1, 3, 4, 5, 6, 7, 2, 0): node 1 first gets 2047*1024/8192 = 255 messages (1..255), each
        // later node 256
        int[] order = {1, 3, 4, 5, 6, 7, 2, 0};
        int next = 1;
        for (int node : order) {
            int count = node == 1 ? 255 : 256;
            Set<Integer> used = new HashSet<>();
            for (int p = node * 1024; p < node * 1024 + 1024; p++) {
                used.add(a.messageOf(p));
            }
            assertEquals("node " + node, range(next, next + count - 1), used);
            next += count;
        }
        assertEquals(2048, next);
        // node 1: 1024/255 = 4 rem 4 -> messages 1..4 get 5 cpus
        assertEquals(List.of(1024, 1025, 1026, 1027, 1028), a.message(1).processors());
        assertEquals(List.of(1044, 1045, 1046, 1047), a.message(5).processors());
        assertEquals(List.of(3072, 3073, 3074, 3075), a.message(256).processors());
        assertEquals(List.of(), a.message(0).processors());
    }

    // ---- the other policies ----

    @Test
    public void roundRobin() {
        Host host = SimHostFactory.build(SimModel.DEFAULT_HOST, SimModel.DEFAULT_ADAPTERS);
        Adapter sas = host.adapter("sas0");
        assertEquals(0, sas.firstRedirectionMessage());
        assertEquals(1, sas.messageInterruptId(17));
        for (int p = 0; p < 80; p++) {
            assertEquals(p % 16, sas.messageInterruptId(p));
        }
        assertArrayEquals(new int[] {3, 4, 5, 3, 4, 5, 3}, Policy.ROUND_ROBIN.assign(topology("core:7"), 3, 6, List.of()));
    }

    @Test
    public void single() {
        int[] map = Policy.SINGLE.assign(topology("node:2 core:4"), 2, 8, List.of());
        assertArrayEquals(new int[] {2, 2, 2, 2, 2, 2, 2, 2}, map);
        assertArrayEquals(new int[] {0, 0, 0}, Policy.SINGLE.assign(topology("core:3"), 0, 1, List.of()));
    }

    @Test
    public void explicit() {
        int[] map = Policy.EXPLICIT.assign(topology("core:4"), 1, 4, List.of(3, 1, 1, 2));
        assertArrayEquals(new int[] {3, 1, 1, 2}, map);
    }

    @Test
    public void policyIds() {
        assertEquals(List.of("numa-spread", "numa-spread-legacy", "round-robin", "single", "explicit", "managed_irq", "win-machine-default",
                "win-all-close", "win-one-close", "win-all", "win-specified:LIST", "win-spread", "win-all-when-steered"), Policy.ids());
        assertEquals(Policy.WIN_SPECIFIED, Policy.of("win-specified:0-3"));
        assertEquals(Policy.NUMA_SPREAD_LEGACY, Policy.of("numa-spread-legacy"));
        assertEquals(Policy.NUMA_SPREAD, Policy.of("numa-spread"));
        assertEquals(Policy.EXPLICIT, Policy.of("explicit"));
        invalid(() -> Policy.of("random"), "unknown policy 'random'", "numa-spread, numa-spread-legacy, round-robin, single, explicit, managed_irq");
        invalid(() -> Policy.of(null), "unknown policy");
    }
}
