package storport.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static storport.api.Fixtures.message;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

/** The StorPort default methods over a fixed host: node 0 with 80 cpus (groups 0, 1), node 3 with 16 (group 2). */
public class StorPortDefaultsTest {
    private static final int SUCCESS = 0;
    private static final int INVALID_PARAMETER = 0xC1000006;
    private static final int SENTINEL = 0x5EED;

    private final Topology topology;
    private final Host host;
    private final StorPort storport;

    public StorPortDefaultsTest() {
        List<LogicalCpu> cpus = new ArrayList<>();
        for (int c = 0; c < 96; c++) {
            cpus.add(new LogicalCpu(c, c < 80 ? 0 : 3, c < 80 ? 0 : 1, c));
        }
        topology = Topology.of(cpus);
        Adapter.Builder b = Adapter.builder("nvme0").aliases(List.of("disk0"));
        b.message(message(topology, 0));
        b.message(message(topology, 1, Fixtures.range(0, 48)));
        b.message(message(topology, 2, Fixtures.range(48, 96)));
        host = new Host("fixed", topology, List.of(b.redirection(1, 2).build(topology)));
        storport = new StorPort() {
            @Override
            public String backend() {
                return "fixed";
            }

            @Override
            public Host host() {
                return host;
            }
        };
    }

    @Test
    public void processorCount() {
        ULongHolder h = new ULongHolder();
        assertEquals(SUCCESS, storport.getProcessorCount(h));
        assertEquals(96, h.value);
        assertEquals(INVALID_PARAMETER, storport.getProcessorCount(null));
    }

    @Test
    public void activeGroupCount() {
        ULongHolder h = new ULongHolder();
        assertEquals(SUCCESS, storport.getActiveGroupCount(h));
        assertEquals(3, h.value);
        assertEquals(INVALID_PARAMETER, storport.getActiveGroupCount(null));
    }

    @Test
    public void groupAffinity() {
        AffinityHolder a = new AffinityHolder();
        assertEquals(SUCCESS, storport.getGroupAffinity(0, a));
        assertEquals(0, a.group);
        assertEquals(0xffffffffffffffffL, a.mask);
        assertEquals(SUCCESS, storport.getGroupAffinity(1, a));
        assertEquals(1, a.group);
        assertEquals(0xFFFFL, a.mask);
        assertEquals(SUCCESS, storport.getGroupAffinity(2, a));
        assertEquals(2, a.group);
        assertEquals(0xFFFFL, a.mask);
        assertEquals("2:0xffff", a.toString());
    }

    @Test
    public void badGroupIsInvalidAndHolderUntouched() {
        AffinityHolder a = new AffinityHolder();
        a.group = 77;
        a.mask = 0x55;
        assertEquals(INVALID_PARAMETER, storport.getGroupAffinity(3, a));
        assertEquals(INVALID_PARAMETER, storport.getGroupAffinity(-1, a));
        assertEquals(INVALID_PARAMETER, storport.getGroupAffinity(Integer.MAX_VALUE, a));
        assertEquals(77, a.group);
        assertEquals(0x55, a.mask);
        assertEquals(INVALID_PARAMETER, storport.getGroupAffinity(0, null));
    }

    @Test
    public void activeNodeCountAndHighestNode() {
        ULongHolder h = new ULongHolder();
        assertEquals(SUCCESS, storport.getActiveNodeCount(h));
        assertEquals(2, h.value);
        assertEquals(SUCCESS, storport.getHighestNodeNumber(h));
        assertEquals(3, h.value);
        assertEquals(INVALID_PARAMETER, storport.getActiveNodeCount(null));
        assertEquals(INVALID_PARAMETER, storport.getHighestNodeNumber(null));
    }

    @Test
    public void nodeAffinityIsTheFirstGroupAffinity() {
        AffinityHolder a = new AffinityHolder();
        assertEquals(SUCCESS, storport.getNodeAffinity(0, a));   // node 0 spans groups 0 and 1
        assertEquals(0, a.group);
        assertEquals(0xffffffffffffffffL, a.mask);
        assertEquals(SUCCESS, storport.getNodeAffinity(3, a));
        assertEquals(2, a.group);
        assertEquals(0xFFFFL, a.mask);
    }

    @Test
    public void nodeWithoutProcessorsIsInvalid() {
        AffinityHolder a = new AffinityHolder();
        a.group = 77;
        for (int node : new int[] {1, 2, 4, -1}) {
            assertEquals("node " + node, INVALID_PARAMETER, storport.getNodeAffinity(node, a));
        }
        assertEquals(77, a.group);
        assertEquals(INVALID_PARAMETER, storport.getNodeAffinity(0, null));
    }

    @Test
    public void msiInfo() {
        Holder<MessageInterrupt> info = new Holder<>();
        assertEquals(SUCCESS, storport.getMSIInfo("nvme0", 2, info));
        assertEquals(2, info.value.messageId());
        assertEquals(List.of(new GroupAffinity(0, 0xFFFFL << 48), new GroupAffinity(1, 0xFFFFL), new GroupAffinity(2, 0xFFFFL)),
                info.value.targets());
        assertEquals(SUCCESS, storport.getMSIInfo("disk0", 0, info));
        assertEquals(0, info.value.messageId());
        assertEquals(List.of(), info.value.targets());
    }

    @Test
    public void badMsiInfoIsInvalid() {
        Holder<MessageInterrupt> info = new Holder<>();
        assertEquals(INVALID_PARAMETER, storport.getMSIInfo("nvme0", 3, info));
        assertEquals(INVALID_PARAMETER, storport.getMSIInfo("nvme0", -1, info));
        assertEquals(INVALID_PARAMETER, storport.getMSIInfo("nvme9", 0, info));
        assertEquals(INVALID_PARAMETER, storport.getMSIInfo(null, 0, info));
        assertNull(info.value);
        assertEquals(INVALID_PARAMETER, storport.getMSIInfo("nvme0", 0, null));
    }

    @Test
    public void seedCallDelegatesToTheHost() {
        ULongHolder h = new ULongHolder();
        assertEquals(SUCCESS, storport.getMessageInterruptIdFromProcessorIndex("nvme0", 47, h));
        assertEquals(1, h.value);
        assertEquals(SUCCESS, storport.getMessageInterruptIdFromProcessorIndex("disk0", 48, h));
        assertEquals(2, h.value);
        h.value = SENTINEL;
        assertEquals(INVALID_PARAMETER, storport.getMessageInterruptIdFromProcessorIndex("nvme0", 96, h));
        assertEquals(SENTINEL, h.value);
        assertEquals(2, storport.messageInterruptId("nvme0", 95));
        Fixtures.expectInvalid(() -> storport.messageInterruptId("nvme0", 96), "processor index 96 is outside 0..95");
        assertSame(host, storport.host());
    }
}
