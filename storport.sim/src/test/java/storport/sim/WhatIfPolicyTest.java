package storport.sim;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static storport.sim.Expect.invalid;

import java.util.Arrays;
import java.util.List;

import org.junit.Test;

import storport.api.Adapter;
import storport.api.Topology;
import storport.api.sim.SimulatedAdapter;

/**
 * The what-if policies on the hosts of ProductIT (80 processors on 2 nodes, 320 on 4), against maps
 * worked out by hand from the rules cited in {@link Policy}: Windows' modes decide each message's
 * targets and a processor takes the lowest redirection message that targets it, or none.
 */
public class WhatIfPolicyTest {
    /** 80 processors: node 0 = 0-39, node 1 = 40-79 (index = CPU number). */
    private static final Topology HOST_80 = TopologySpec.parse("package:2 node:1 core:20 pu:2").topology();
    /** 320 processors: node k = 80k .. 80k+79 (index = CPU number). */
    private static final Topology HOST_320 = TopologySpec.parse("node:4 core:40 pu:2").topology();
    /** nvme0 as ProductIT has it: 33 messages, message 0 for admin, node 0. */
    private static final Adapter NVME0 = SimHostFactory.adapter(HOST_80,
            new SimulatedAdapter("nvme0", 33, 1, "numa-spread", 0, List.of()));

    private static int[] map(Topology t, String policy, int node, int messages) {
        Adapter a = SimHostFactory.adapter(t, new SimulatedAdapter("what", messages, 1, policy, node, List.of()));
        int[] out = new int[t.processorCount()];
        for (int p = 0; p < out.length; p++) {
            out[p] = a.messageOf(p);
        }
        return out;
    }

    /** message for the processors in [from, to], -1 elsewhere. */
    private static int[] only(int n, int from, int to, int message) {
        int[] m = new int[n];
        Arrays.fill(m, -1);
        Arrays.fill(m, from, to + 1, message);
        return m;
    }

    @Test
    public void allProcessorsPoliciesServeEveryProcessorFromTheFirstRedirectionMessage() {
        int[] all = new int[80];
        Arrays.fill(all, 1);
        assertArrayEquals(all, map(HOST_80, "win-all", 0, 33));
        assertArrayEquals("reserved for the system; modelled as win-all", all, map(HOST_80, "win-all-when-steered", 0, 33));
        int[] all320 = new int[320];
        Arrays.fill(all320, 1);
        assertArrayEquals(all320, map(HOST_320, "win-all", 2, 33));
    }

    @Test
    public void closeProcessorsAreTheDevicesNode() {
        assertArrayEquals(only(80, 0, 39, 1), map(HOST_80, "win-all-close", 0, 33));
        assertArrayEquals(only(80, 40, 79, 1), map(HOST_80, "win-all-close", 1, 33));
        assertArrayEquals(only(320, 160, 239, 1), map(HOST_320, "win-all-close", 2, 33));
        // one node: identical to all processors
        int[] all = new int[16];
        Arrays.fill(all, 1);
        assertArrayEquals(all, map(TopologySpec.parse("core:8 pu:2").topology(), "win-all-close", 0, 9));
        assertArrayEquals(only(80, 40, 40, 1), map(HOST_80, "win-one-close", 1, 33));
        assertArrayEquals(only(320, 240, 240, 1), map(HOST_320, "win-one-close", 3, 33));
    }

    @Test
    public void specifiedProcessorsAreTheListsAndAMalformedListIsRefused() {
        assertArrayEquals(only(80, 8, 15, 1), map(HOST_80, "win-specified:8-15", 0, 33));
        invalid(() -> map(HOST_80, "win-specified", 0, 33), "win-specified takes the processors after a colon");
        invalid(() -> map(HOST_80, "win-specified:70-90", 0, 33), "processor index 80 is outside 0..79");
    }

    @Test
    public void spreadGivesEachMessageItsOwnProcessorEvenlyOverTheIndexes() {
        // 32 I/O messages on 80 processors: message 1+k targets processor floor(k * 80 / 32) = floor(2.5 k)
        int[] expected = new int[80];
        Arrays.fill(expected, -1);
        for (int k = 0; k < 32; k++) {
            expected[k * 80 / 32] = 1 + k;
        }
        // by hand: messages 1-8 on processors 0, 2, 5, 7, 10, 12, 15, 17; message 32 on 77
        int[] firstEight = {0, 2, 5, 7, 10, 12, 15, 17};
        for (int k = 0; k < 8; k++) {
            assertEquals(1 + k, expected[firstEight[k]]);
        }
        assertEquals(32, expected[77]);
        assertArrayEquals(expected, map(HOST_80, "win-spread", 0, 33));
        assertArrayEquals("the machine default is storport's choice: the same", expected, map(HOST_80, "win-machine-default", 0, 33));
        // more messages than processors: k mod n, each processor its lowest
        int[] wrap = new int[80];
        for (int p = 0; p < 80; p++) {
            wrap[p] = 1 + p;
        }
        assertArrayEquals(wrap, map(HOST_80, "win-spread", 0, 200));
        // 320 processors on 4 nodes, 8 messages: one every 40 processors, two per node
        int[] eight = new int[320];
        Arrays.fill(eight, -1);
        for (int k = 0; k < 8; k++) {
            eight[k * 40] = 1 + k;
        }
        assertArrayEquals(eight, map(HOST_320, "win-spread", 0, 9));
    }

    @Test
    public void managedIrqIsNumaSpreadDeliveredOffTheIsolatedCpusWhileATargetRemains() {
        Topology isolated = TopologySpec.parse("package:2 node:1 core:20 pu:2 isolated:3,40-41").topology();
        Adapter managed = SimHostFactory.adapter(isolated, new SimulatedAdapter("nvme0", 33, 1, "managed_irq", 0, List.of()));
        Adapter spread = SimHostFactory.adapter(isolated, new SimulatedAdapter("nvme0", 33, 1, "numa-spread", 0, List.of()));
        for (int p = 0; p < 80; p++) {
            assertEquals("the map is numa-spread's", spread.messageOf(p), managed.messageOf(p));
        }
        // message 18 serves 3-5 (node 0's second group); 3 is isolated: delivered to 4-5
        assertEquals(List.of(3, 4, 5), managed.message(18).processors());
        assertEquals(List.of(4, 5), managed.message(18).effective());
        assertEquals(List.of(3, 4, 5), spread.message(18).effective());
        // message 1 serves 40-42 (node 1 first): 40-41 isolated, 42 remains
        assertEquals(List.of(42), managed.message(1).effective());
    }

    @Test
    public void whatIfRemapsAnyAdapterKeepingItsMessagesAndNode() {
        SimWhatIf whatIf = new SimWhatIf();
        Adapter remapped = whatIf.remap(HOST_80, NVME0, "round-robin");
        assertEquals("nvme0", remapped.id());
        assertEquals(33, remapped.messageCount());
        assertEquals(1, remapped.firstRedirectionMessage());
        for (int p = 0; p < 80; p++) {
            assertEquals(1 + p % 32, remapped.messageOf(p));
        }
        assertEquals(only(80, 0, 39, 1)[5], whatIf.remap(HOST_80, NVME0, "win-all-close").messageOf(5));
        invalid(() -> whatIf.remap(HOST_80, NVME0, "explicit"), "explicit needs a table");
        invalid(() -> whatIf.remap(HOST_80, NVME0, "fastest"), "unknown policy 'fastest'");
        assertEquals(false, whatIf.policies().contains("explicit"));
    }
}
