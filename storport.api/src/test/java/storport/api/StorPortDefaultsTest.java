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
    private static final int UNSUCCESSFUL = 0xC1000001;
    private static final int BUFFER_TOO_SMALL = 0xC1000004;
    private static final int INVALID_PARAMETER = 0xC1000006;
    private static final int INVALID_DEVICE_REQUEST = 0xC1000007;
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
        host = new Host("fixed", topology, List.of(b.redirection(1, 2).build(topology), Adapter.builder("legacy0").build(topology)));
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

    /** storport.h: UNSUCCESSFUL for a group number beyond the active groups; INVALID_PARAMETER for what is no group number at all. */
    @Test
    public void aGroupBeyondTheActiveOnesIsUnsuccessfulAndHolderUntouched() {
        AffinityHolder a = new AffinityHolder();
        a.group = 77;
        a.mask = 0x55;
        assertEquals(UNSUCCESSFUL, storport.getGroupAffinity(3, a));
        assertEquals(UNSUCCESSFUL, storport.getGroupAffinity(0xFFFF, a));
        assertEquals(INVALID_PARAMETER, storport.getGroupAffinity(-1, a));
        assertEquals(INVALID_PARAMETER, storport.getGroupAffinity(0x10000, a));
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

    /** storport.h: INVALID_PARAMETER for a null holder or a node above 65,535; a node without processors has an empty mask. */
    @Test
    public void aNodeWithoutProcessorsHasAnEmptyMaskAndOnlyANodeAbove65535IsInvalid() {
        AffinityHolder a = new AffinityHolder();
        for (int node : new int[] {1, 2, 4, 65535}) {
            a.group = 77;
            a.mask = 0x55;
            assertEquals("node " + node, SUCCESS, storport.getNodeAffinity(node, a));
            assertEquals(0, a.group);
            assertEquals(0L, a.mask);
        }
        a.group = 77;
        for (int node : new int[] {65536, -1, Integer.MAX_VALUE}) {
            assertEquals("node " + node, INVALID_PARAMETER, storport.getNodeAffinity(node, a));
        }
        assertEquals(77, a.group);
        assertEquals(INVALID_PARAMETER, storport.getNodeAffinity(0, null));
    }

    /** StorPortGetNodeAffinity2: every group of a node; BUFFER_TOO_SMALL with the required count; INVALID_PARAMETER for an invalid node. */
    @Test
    public void nodeAffinity2HasEveryGroupOfANode() {
        ULongHolder required = new ULongHolder();
        GroupAffinity[] one = new GroupAffinity[1];
        assertEquals(BUFFER_TOO_SMALL, storport.getNodeAffinity2(0, one, required));
        assertEquals("node 0 spans groups 0 and 1", 2, required.value);
        assertNull("nothing written into a short array", one[0]);
        GroupAffinity[] three = new GroupAffinity[3];
        assertEquals(SUCCESS, storport.getNodeAffinity2(0, three, required));
        assertEquals(2, required.value);
        assertEquals(new GroupAffinity(0, 0xffffffffffffffffL), three[0]);
        assertEquals(new GroupAffinity(1, 0xFFFFL), three[1]);
        assertNull(three[2]);
        assertEquals(SUCCESS, storport.getNodeAffinity2(3, one, required));
        assertEquals(1, required.value);
        assertEquals(new GroupAffinity(2, 0xFFFFL), one[0]);
        assertEquals("a node of the range without processors", SUCCESS, storport.getNodeAffinity2(1, new GroupAffinity[0], required));
        assertEquals(0, required.value);
        required.value = SENTINEL;
        assertEquals("beyond the highest node number", INVALID_PARAMETER, storport.getNodeAffinity2(4, three, required));
        assertEquals(INVALID_PARAMETER, storport.getNodeAffinity2(-1, three, required));
        assertEquals(SENTINEL, required.value);
        assertEquals(INVALID_PARAMETER, storport.getNodeAffinity2(0, null, required));
        assertEquals(INVALID_PARAMETER, storport.getNodeAffinity2(0, three, null));
    }

    /** StorPortInitializePerfOpts, Query TRUE: the adapter's PERF_CONFIGURATION_DATA; INVALID_PARAMETER for no extension or no structure. */
    @Test
    public void perfOptsQueryGivesTheAdaptersConfiguration() {
        Holder<PerfConfiguration> data = new Holder<>();
        assertEquals(SUCCESS, storport.queryPerfOpts("disk0", data));
        PerfConfiguration p = data.value;
        assertEquals(3, p.version());
        assertEquals(PerfConfiguration.DPC_REDIRECTION | PerfConfiguration.CONCURRENT_CHANNELS | PerfConfiguration.INTERRUPT_MESSAGE_RANGES
                | PerfConfiguration.ADV_CONFIG_LOCALITY, p.flags());
        assertEquals(0xF, p.flags());
        assertEquals(2, p.concurrentChannels());
        assertEquals(1, p.firstRedirectionMessageNumber());
        assertEquals(2, p.lastRedirectionMessageNumber());
        assertEquals("node not known", 0xFFFFFFFF, p.deviceNode());
        assertEquals("zero-based: entry 0 is message 1", List.of(new GroupAffinity(0, (1L << 48) - 1), new GroupAffinity(0, 0xFFFFL << 48)),
                p.messageTargets());
        assertEquals(SUCCESS, storport.queryPerfOpts("legacy0", data));
        assertEquals("no message interrupts: nothing to redirect", 0, data.value.flags());
        assertEquals(List.of(), data.value.messageTargets());
        data.value = null;
        assertEquals(INVALID_PARAMETER, storport.queryPerfOpts("nvme9", data));
        assertEquals(INVALID_PARAMETER, storport.queryPerfOpts(null, data));
        assertNull(data.value);
        assertEquals(INVALID_PARAMETER, storport.queryPerfOpts("nvme0", null));
    }

    /** KeGetProcessorNumberFromIndex / KeGetProcessorIndexFromNumber, both ways over three groups. */
    @Test
    public void processorIndexAndNumberConvertBothWays() {
        Holder<ProcessorNumber> number = new Holder<>();
        assertEquals(SUCCESS, storport.getProcessorNumberFromIndex(79, number));
        assertEquals(new ProcessorNumber(1, 15), number.value);
        assertEquals(SUCCESS, storport.getProcessorNumberFromIndex(80, number));
        assertEquals(new ProcessorNumber(2, 0), number.value);
        for (int index = 0; index < 96; index++) {
            assertEquals(SUCCESS, storport.getProcessorNumberFromIndex(index, number));
            assertEquals(index, storport.getProcessorIndexFromNumber(number.value));
        }
        number.value = null;
        assertEquals(INVALID_PARAMETER, storport.getProcessorNumberFromIndex(96, number));
        assertEquals(INVALID_PARAMETER, storport.getProcessorNumberFromIndex(-1, number));
        assertNull(number.value);
        assertEquals(INVALID_PARAMETER, storport.getProcessorNumberFromIndex(0, null));
        assertEquals(ProcessorNumber.INVALID_PROCESSOR_INDEX, storport.getProcessorIndexFromNumber(new ProcessorNumber(1, 16)));
        assertEquals(ProcessorNumber.INVALID_PROCESSOR_INDEX, storport.getProcessorIndexFromNumber(new ProcessorNumber(3, 0)));
        assertEquals(ProcessorNumber.INVALID_PROCESSOR_INDEX, storport.getProcessorIndexFromNumber(null));
        assertEquals(0xFFFFFFFF, ProcessorNumber.INVALID_PROCESSOR_INDEX);
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
        assertEquals("an adapter without message interrupts", INVALID_DEVICE_REQUEST, storport.getMSIInfo("legacy0", 0, info));
        assertNull(info.value);
        assertEquals("the holder is checked first", INVALID_PARAMETER, storport.getMSIInfo("legacy0", 0, null));
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
