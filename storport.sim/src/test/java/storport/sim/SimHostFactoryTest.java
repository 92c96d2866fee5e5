package storport.sim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static storport.sim.Expect.invalid;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

import org.junit.Test;

import storport.api.Adapter;
import storport.api.GroupAffinity;
import storport.api.Host;
import storport.api.InterruptMode;
import storport.api.MessageInterrupt;
import storport.api.sim.SimulatedAdapter;

public class SimHostFactoryTest {

    private static SimulatedAdapter adapter(String name, int messages, Integer first, String policy, int node, List<Integer> table) {
        return new SimulatedAdapter(name, messages, first, policy, node, table);
    }

    private static Host build(String spec, SimulatedAdapter a) {
        return SimHostFactory.build(spec, List.of(a));
    }

    @Test
    public void zeroMessagesIsInvalid() {
        invalid(() -> build("core:4", adapter("a", 0, null, "numa-spread", 0, List.of())), "adapter a", "0 messages is outside 1..2048");
    }

    @Test
    public void moreThan2048MessagesIsInvalid() {
        invalid(() -> build("core:4", adapter("a", 2049, null, "numa-spread", 0, List.of())), "2049 messages is outside 1..2048");
        assertEquals(2048, build("core:4", adapter("a", 2048, null, "numa-spread", 0, List.of())).adapter("a").messageCount());
    }

    @Test
    public void firstOutsideTheMessagesIsInvalid() {
        invalid(() -> build("core:4", adapter("a", 4, 4, "round-robin", 0, List.of())), "first redirection message 4 is outside 0..3");
        invalid(() -> build("core:4", adapter("a", 4, 9, "round-robin", 0, List.of())), "first redirection message 9");
        invalid(() -> build("core:4", adapter("a", 4, -2, "round-robin", 0, List.of())), "first redirection message -2");
    }

    @Test
    public void unknownPolicyIsInvalid() {
        invalid(() -> build("core:4", adapter("a", 4, null, "spread", 0, List.of())), "unknown policy 'spread'");
        invalid(() -> build("core:4", adapter("a", 4, null, null, 0, List.of())), "unknown policy");
    }

    @Test
    public void nodeThatDoesNotExistIsInvalid() {
        invalid(() -> build("node:2 core:4", adapter("a", 4, null, "numa-spread", 2, List.of())), "NUMA node 2 does not exist",
                "[0, 1]");
        invalid(() -> build("core:4", adapter("a", 4, null, "numa-spread", -1, List.of())), "NUMA node -1 does not exist");
        assertEquals(1, build("node:2 core:4", adapter("a", 4, null, "numa-spread", 1, List.of())).adapter("a").node());
    }

    @Test
    public void explicitTableOfWrongLengthIsInvalid() {
        invalid(() -> build("core:4", adapter("a", 3, null, "explicit", 0, List.of(1, 2, 1))),
                "the explicit table has 3 entries; the host has 4 processors");
        invalid(() -> build("core:4", adapter("a", 3, null, "explicit", 0, List.of())), "has 0 entries");
        invalid(() -> build("core:4", adapter("a", 3, null, "explicit", 0, List.of(1, 2, 1, 2, 1))), "has 5 entries");
    }

    @Test
    public void explicitTableOutsideTheRedirectionRangeIsInvalid() {
        invalid(() -> build("core:4", adapter("a", 3, null, "explicit", 0, List.of(1, 2, 0, 1))),
                "maps processor 2 to message 0, outside the redirection range 1..2");
        invalid(() -> build("core:4", adapter("a", 3, null, "explicit", 0, List.of(1, 3, 1, 1))),
                "maps processor 1 to message 3");
    }

    @Test
    public void tableForANonExplicitPolicyIsInvalid() {
        invalid(() -> build("core:4", adapter("a", 3, null, "round-robin", 0, List.of(1, 1, 1, 1))),
                "a table is only for policy explicit, not round-robin");
    }

    @Test
    public void badNamesAreInvalid() {
        for (String name : new String[] {"", " ", "my disk", "a/b", "-a", ".a", "x".repeat(65), "nvme0\n"}) {
            invalid(() -> build("core:4", adapter(name, 2, null, "single", 0, List.of())), "adapter name '" + name + "'");
        }
        invalid(() -> build("core:4", adapter(null, 2, null, "single", 0, List.of())), "adapter name 'null'");
        for (String name : new String[] {"nvme0", "0000:01:00.0", "virtio_blk-1", "x".repeat(64)}) {
            assertEquals(name, build("core:4", adapter(name, 2, null, "single", 0, List.of())).adapter(name).id());
        }
    }

    @Test
    public void badTopologyIsInvalid() {
        invalid(() -> SimHostFactory.build("core:0", List.of()), "at least 1");
    }

    @Test
    public void explicitTableIsServed() {
        Host h = build("core:4", adapter("a", 3, null, "explicit", 0, List.of(2, 1, 1, 2)));
        Adapter a = h.adapter("a");
        assertEquals(2, a.messageInterruptId(0));
        assertEquals(1, a.messageInterruptId(1));
        assertEquals(1, a.messageInterruptId(2));
        assertEquals(2, a.messageInterruptId(3));
        assertEquals(List.of(1, 2), a.message(1).processors());
        assertEquals(List.of(0, 3), a.message(2).processors());
        assertEquals(List.of(new GroupAffinity(0, 0x9L)), a.message(2).targets());
        assertEquals("explicit", a.policy());
    }

    @Test
    public void defaultFirstIsOneWithSeveralMessagesElseZero() {
        Adapter one = build("core:4", adapter("one", 1, null, "single", 0, List.of())).adapter("one");
        assertEquals(0, one.firstRedirectionMessage());
        for (int p = 0; p < 4; p++) {
            assertEquals(0, one.messageInterruptId(p));
        }
        Adapter two = build("core:4", adapter("two", 2, null, "single", 0, List.of())).adapter("two");
        assertEquals(1, two.firstRedirectionMessage());
        assertEquals(1, two.lastRedirectionMessage());
        assertEquals(1, two.messageInterruptId(3));
        assertEquals(List.of(), two.message(0).processors());
    }

    @Test
    public void targetsAreTheMappedProcessorsAsGroupAffinities() {
        // default host: processors 0-39 = group 0, 40-79 = group 1
        Host host = SimHostFactory.build(SimModel.DEFAULT_HOST, SimModel.DEFAULT_ADAPTERS);
        Adapter nvme = host.adapter("nvme0");
        // numa-spread serves node 1 (group 1) first, as Linux does on two equal nodes
        assertEquals(List.of(new GroupAffinity(1, 0x7L)), nvme.message(1).targets());
        assertEquals(List.of(new GroupAffinity(1, 0x7L << 3)), nvme.message(2).targets());
        assertEquals(List.of(new GroupAffinity(1, 0x3L << 38)), nvme.message(16).targets());
        assertEquals(List.of(new GroupAffinity(0, 0x7L)), nvme.message(17).targets());
        assertEquals(List.of(), nvme.message(0).targets());
        // round-robin over 16 messages: message 0 serves 0, 16, 32 (group 0) and 48, 64 (group 1 numbers 8, 24)
        Adapter sas = host.adapter("sas0");
        assertEquals(List.of(new GroupAffinity(0, 1L | 1L << 16 | 1L << 32), new GroupAffinity(1, 1L << 8 | 1L << 24)),
                sas.message(0).targets());
        assertEquals(List.of(0, 16, 32, 48, 64), sas.message(0).processors());
        // every message of both adapters: masks computed from the lookup by hand (group p / 40, number p % 40)
        for (Adapter a : host.adapters()) {
            long[] masks = new long[a.messageCount() * 2];
            for (int p = 0; p < 80; p++) {
                masks[a.messageOf(p) * 2 + p / 40] |= 1L << (p % 40);
            }
            for (int m = 0; m < a.messageCount(); m++) {
                List<GroupAffinity> expected = new ArrayList<>();
                for (int g = 0; g < 2; g++) {
                    if (masks[m * 2 + g] != 0) {
                        expected.add(new GroupAffinity(g, masks[m * 2 + g]));
                    }
                }
                assertEquals(a.id() + " message " + m, expected, a.message(m).targets());
            }
        }
    }

    @Test
    public void everyPolicyMapsEachProcessorToOneRedirectionMessage() {
        String[] specs = {"core:1", "core:4 pu:2", "node:3 core:5", "package:2 node:2 core:3 pu:2", "node:2 core:40 pu:2"};
        int[][] shapes = {{1, 0}, {2, 1}, {3, 1}, {8, 1}, {33, 1}, {16, 0}, {200, 5}};
        for (String spec : specs) {
            int n = TopologySpec.parse(spec).processors();
            for (int[] shape : shapes) {
                int count = shape[0];
                int first = shape[1];
                for (String policy : List.of("numa-spread", "numa-spread-legacy", "round-robin", "single", "explicit")) {
                    List<Integer> table = new ArrayList<>();
                    if (policy.equals("explicit")) {
                        for (int p = 0; p < n; p++) {
                            table.add(count - 1 - p % (count - first));
                        }
                    }
                    String what = spec + " " + policy + " " + count + "/" + first;
                    Adapter a = build(spec, adapter("a", count, first, policy, 0, table)).adapter("a");
                    TreeMap<Integer, List<Integer>> byMessage = new TreeMap<>();
                    for (int p = 0; p < n; p++) {
                        int m = a.messageInterruptId(p);
                        assertTrue(what + ": processor " + p + " -> " + m, m >= first && m < count);
                        byMessage.computeIfAbsent(m, k -> new ArrayList<>()).add(p);
                    }
                    for (MessageInterrupt mi : a.messages()) {
                        assertEquals(what + " message " + mi.messageId(), byMessage.getOrDefault(mi.messageId(), List.of()),
                                mi.processors());
                    }
                    if (policy.startsWith("numa-spread")) {
                        // Linux: as many groups as min(M, n), none empty
                        assertEquals(what, Math.min(count - first, n), byMessage.size());
                        assertEquals(what, first, (int) byMessage.firstKey());
                        assertEquals(what, first + byMessage.size() - 1, (int) byMessage.lastKey());
                    }
                }
            }
        }
    }

    @Test
    public void messageInformation() {
        Host host = SimHostFactory.build(SimModel.DEFAULT_HOST, SimModel.DEFAULT_ADAPTERS);
        assertEquals("sim", host.backend());
        assertEquals(List.of("nvme0", "sas0"), host.adapters().stream().map(Adapter::id).toList());
        Adapter nvme = host.adapter("nvme0");
        assertEquals("numa-spread", nvme.policy());
        assertEquals(0, nvme.node());
        assertEquals(1, host.adapter("sas0").node());
        for (int m = 0; m < nvme.messageCount(); m++) {
            MessageInterrupt mi = nvme.message(m);
            assertEquals(m, mi.messageId());
            assertEquals(InterruptMode.LATCHED, mi.interruptMode());
            assertEquals(-1, mi.irq());
            assertEquals("nvme0-msg" + m, mi.name());
        }
        List<Integer> vectors = new ArrayList<>();
        nvme.messages().forEach(mi -> vectors.add(mi.interruptVector()));
        assertEquals(33, vectors.stream().distinct().count());
        assertEquals(vectors, new ArrayList<>(vectors) {
            {
                Collections.sort(this);
            }
        });
    }
}
