package storport.api;

import static org.junit.Assert.assertEquals;
import static storport.api.Fixtures.expectInvalid;
import static storport.api.Fixtures.nodes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.Test;

public class TopologyTest {

    private static final long ALL = 0xffffffffffffffffL;

    private static long bits(int from, int toExclusive) {
        long m = 0;
        for (int i = from; i < toExclusive; i++) {
            m |= 1L << i;
        }
        return m;
    }

    @Test
    public void nodeOver64GetsItsOwn64Chunks() {
        Topology t = Topology.of(nodes(80));
        assertEquals(80, t.processorCount());
        assertEquals(2, t.activeGroupCount());
        assertEquals(new GroupAffinity(0, ALL), t.groupAffinity(0));
        assertEquals(new GroupAffinity(1, 0xFFFFL), t.groupAffinity(1));
        assertEquals(new ProcessorNumber(0, 0), t.processorNumber(0));
        assertEquals(new ProcessorNumber(0, 63), t.processorNumber(63));
        assertEquals(new ProcessorNumber(1, 0), t.processorNumber(64));
        assertEquals(new ProcessorNumber(1, 15), t.processorNumber(79));
    }

    @Test
    public void nodeSpanningTwoGroupsHasTwoAffinities() {
        Topology t = Topology.of(nodes(80));
        assertEquals(List.of(new GroupAffinity(0, ALL), new GroupAffinity(1, 0xFFFFL)), t.nodeAffinity(0));
    }

    @Test
    public void largeNodeGroupsAreNotSharedWithLaterNodes() {
        // node 0: 80 -> groups 0 (64) and 1 (16, its own); node 1: 20 -> a new group 2
        Topology t = Topology.of(nodes(80, 20));
        assertEquals(3, t.activeGroupCount());
        assertEquals(new GroupAffinity(1, 0xFFFFL), t.groupAffinity(1));
        assertEquals(new GroupAffinity(2, bits(0, 20)), t.groupAffinity(2));
        assertEquals(new ProcessorNumber(2, 0), t.processorNumber(80));
        assertEquals(List.of(new GroupAffinity(2, bits(0, 20))), t.nodeAffinity(1));
    }

    @Test
    public void twoNodesOf40AreTwoGroups() {
        Topology t = Topology.of(nodes(40, 40));
        assertEquals(2, t.activeGroupCount());
        assertEquals(new GroupAffinity(0, bits(0, 40)), t.groupAffinity(0));
        assertEquals(0xFF_FFFF_FFFFL, t.groupAffinity(0).mask());
        assertEquals(new GroupAffinity(1, bits(0, 40)), t.groupAffinity(1));
        for (int i = 0; i < 80; i++) {
            Processor p = t.processor(i);
            assertEquals(i, p.index());
            assertEquals(i, p.cpu());
            assertEquals(i < 40 ? 0 : 1, p.node());
            assertEquals(new ProcessorNumber(i / 40, i % 40), p.number());
        }
    }

    @Test
    public void fourNodesOf32PackInPairs() {
        Topology t = Topology.of(nodes(32, 32, 32, 32));
        assertEquals(2, t.activeGroupCount());
        assertEquals(new GroupAffinity(0, ALL), t.groupAffinity(0));
        assertEquals(new GroupAffinity(1, ALL), t.groupAffinity(1));
        assertEquals(List.of(new GroupAffinity(0, bits(0, 32))), t.nodeAffinity(0));
        assertEquals(List.of(new GroupAffinity(0, 0xFFFFFFFF00000000L)), t.nodeAffinity(1));
        assertEquals(List.of(new GroupAffinity(1, 0x00000000FFFFFFFFL)), t.nodeAffinity(2));
        assertEquals(List.of(new GroupAffinity(1, 0xFFFFFFFF00000000L)), t.nodeAffinity(3));
        assertEquals(new ProcessorNumber(1, 0), t.processorNumber(64));
    }

    @Test
    public void firstFitPutsALaterNodeIntoAnEarlierGroupInCpuOrder() {
        // nodes 40 (cpus 0-39), 40 (40-79), 20 (80-99): node 2 fits group 0 (40+20 <= 64)
        Topology t = Topology.of(nodes(40, 40, 20));
        assertEquals(2, t.activeGroupCount());
        assertEquals(new GroupAffinity(0, bits(0, 60)), t.groupAffinity(0));
        assertEquals(new GroupAffinity(1, bits(0, 40)), t.groupAffinity(1));
        for (int i = 0; i < 40; i++) {          // group 0: node 0's cpus first (lower OS numbers)
            assertEquals(i, t.processor(i).cpu());
            assertEquals(new ProcessorNumber(0, i), t.processorNumber(i));
        }
        for (int i = 40; i < 60; i++) {         // then node 2's cpus 80-99
            assertEquals(80 + (i - 40), t.processor(i).cpu());
            assertEquals(2, t.processor(i).node());
            assertEquals(new ProcessorNumber(0, i), t.processorNumber(i));
        }
        for (int i = 60; i < 100; i++) {        // group 1: node 1, cpus 40-79
            assertEquals(40 + (i - 60), t.processor(i).cpu());
            assertEquals(1, t.processor(i).node());
            assertEquals(new ProcessorNumber(1, i - 60), t.processorNumber(i));
        }
        assertEquals(40, t.indexOfCpu(80));
        assertEquals(60, t.indexOfCpu(40));
        assertEquals(List.of(new GroupAffinity(0, bits(40, 60))), t.nodeAffinity(2));
        assertEquals(List.of(new GroupAffinity(1, bits(0, 40))), t.nodeAffinity(1));
    }

    @Test
    public void insideAGroupProcessorsGoInOsCpuOrderNotNodeOrder() {
        // node 0 = even cpus, node 1 = odd cpus: one group, index = cpu number
        List<LogicalCpu> cpus = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            cpus.add(new LogicalCpu(c, c % 2, 0, c));
        }
        Topology t = Topology.of(cpus);
        assertEquals(1, t.activeGroupCount());
        for (int i = 0; i < 16; i++) {
            assertEquals(i, t.processor(i).cpu());
            assertEquals(i % 2, t.processor(i).node());
        }
        long even = 0x5555L;
        assertEquals(List.of(new GroupAffinity(0, even)), t.nodeAffinity(0));
        assertEquals(List.of(new GroupAffinity(0, even << 1)), t.nodeAffinity(1));
    }

    @Test
    public void sparseCpuNumbersGetContiguousIndexes() {
        List<LogicalCpu> cpus = new ArrayList<>(List.of(new LogicalCpu(7, 0, 0, 3), new LogicalCpu(0, 0, 0, 0),
                new LogicalCpu(4, 0, 0, 2), new LogicalCpu(2, 0, 0, 1)));
        Topology t = Topology.of(cpus);
        assertEquals(4, t.processorCount());
        int[] cpuOfIndex = {0, 2, 4, 7};
        for (int i = 0; i < 4; i++) {
            assertEquals(cpuOfIndex[i], t.processor(i).cpu());
            assertEquals(i, t.indexOfCpu(cpuOfIndex[i]));
            assertEquals(i, t.processor(i).core());
        }
        for (int absent : new int[] {1, 3, 5, 6, 8, 1000, -1}) {
            assertEquals("cpu " + absent, -1, t.indexOfCpu(absent));
        }
        assertEquals(new GroupAffinity(0, 0xFL), t.groupAffinity(0));
    }

    @Test
    public void inputOrderDoesNotMatter() {
        List<LogicalCpu> cpus = new ArrayList<>(nodes(40, 40, 20));
        Collections.reverse(cpus);
        Topology t = Topology.of(cpus);
        assertEquals(40, t.indexOfCpu(80));
        assertEquals(60, t.indexOfCpu(40));
        assertEquals(0, t.processor(0).cpu());
    }

    @Test
    public void numberIndexRoundTripOnAThreeGroupHost() {
        Topology t = Topology.of(nodes(50, 50, 50));   // 50+50 > 64: one group per node
        assertEquals(3, t.activeGroupCount());
        for (int i = 0; i < 150; i++) {
            ProcessorNumber pn = t.processorNumber(i);
            assertEquals(new ProcessorNumber(i / 50, i % 50), pn);
            assertEquals(i, t.processorIndex(pn));
        }
    }

    @Test
    public void numberIndexRoundTripWithUnevenGroups() {
        Topology t = Topology.of(nodes(100, 20));   // groups: 64, 36 (node 0), 20 (node 1)
        assertEquals(3, t.activeGroupCount());
        for (int i = 0; i < 120; i++) {
            ProcessorNumber expected = i < 64 ? new ProcessorNumber(0, i)
                    : i < 100 ? new ProcessorNumber(1, i - 64) : new ProcessorNumber(2, i - 100);
            assertEquals(expected, t.processorNumber(i));
            assertEquals(i, t.processorIndex(expected));
        }
        assertEquals(List.of(new GroupAffinity(0, ALL), new GroupAffinity(1, bits(0, 36))), t.nodeAffinity(0));
    }

    @Test
    public void invalidProcessorNumberGivesInvalidProcessorIndex() {
        Topology t = Topology.of(nodes(64, 16));   // group 0: 64, group 1: 16
        assertEquals(0xFFFFFFFFL, Integer.toUnsignedLong(ProcessorNumber.INVALID_PROCESSOR_INDEX));
        assertEquals(63, t.processorIndex(new ProcessorNumber(0, 63)));
        assertEquals(79, t.processorIndex(new ProcessorNumber(1, 15)));
        assertEquals(0xFFFFFFFF, t.processorIndex(new ProcessorNumber(1, 16)));
        assertEquals(0xFFFFFFFF, t.processorIndex(new ProcessorNumber(1, 63)));
        assertEquals(0xFFFFFFFF, t.processorIndex(new ProcessorNumber(2, 0)));
        assertEquals(0xFFFFFFFF, t.processorIndex(new ProcessorNumber(65535, 0)));
        assertEquals(0xFFFFFFFF, t.processorIndex(null));
    }

    @Test
    public void processorNumberRejectsOutOfRangeFields() {
        expectInvalid(() -> new ProcessorNumber(0, 64), "64");
        expectInvalid(() -> new ProcessorNumber(0, -1), "-1");
        expectInvalid(() -> new ProcessorNumber(-1, 0), "-1");
        expectInvalid(() -> new ProcessorNumber(65536, 0), "65536");
    }

    @Test
    public void invalidIndexIsInvalidParameter() {
        Topology t = Topology.of(nodes(8));
        expectInvalid(() -> t.processorNumber(-1), "processor index -1 is outside 0..7");
        expectInvalid(() -> t.processorNumber(8), "processor index 8 is outside 0..7");
        expectInvalid(() -> t.processor(Integer.MAX_VALUE), "outside 0..7");
    }

    @Test
    public void groupAffinityMasks() {
        Topology t = Topology.of(nodes(64, 1, 63));   // 64 | 1+63
        assertEquals(2, t.activeGroupCount());
        assertEquals(0xffffffffffffffffL, t.groupAffinity(0).mask());
        assertEquals("0xffffffffffffffff", t.groupAffinity(0).maskHex());
        assertEquals(0xffffffffffffffffL, t.groupAffinity(1).mask());
        assertEquals(List.of(new GroupAffinity(1, 1L)), t.nodeAffinity(1));
        assertEquals(List.of(new GroupAffinity(1, ALL & ~1L)), t.nodeAffinity(2));
        Topology one = Topology.of(nodes(1));
        assertEquals(new GroupAffinity(0, 1L), one.groupAffinity(0));
        expectInvalid(() -> t.groupAffinity(2), "processor group 2 is outside 0..1");
        expectInvalid(() -> t.groupAffinity(-1), "processor group -1");
    }

    @Test
    public void groupAffinityNumbers() {
        assertEquals(List.of(0, 1, 63), new GroupAffinity(0, 0x8000000000000003L).numbers());
        assertEquals(List.of(), new GroupAffinity(0, 0).numbers());
        assertEquals("2:0x3", new GroupAffinity(2, 3).toString());
    }

    @Test
    public void nodesZeroAndThree() {
        List<LogicalCpu> cpus = List.of(new LogicalCpu(0, 0, 0, 0), new LogicalCpu(1, 0, 0, 1), new LogicalCpu(2, 3, 1, 0),
                new LogicalCpu(3, 3, 1, 1));
        Topology t = Topology.of(cpus);
        assertEquals(2, t.activeNodeCount());
        assertEquals(3, t.highestNodeNumber());
        assertEquals(List.of(0, 3), t.nodes());
        assertEquals(List.of(new GroupAffinity(0, 0x3L)), t.nodeAffinity(0));
        assertEquals(List.of(new GroupAffinity(0, 0xCL)), t.nodeAffinity(3));
        expectInvalid(() -> t.nodeAffinity(1), "NUMA node 1");
        expectInvalid(() -> t.nodeAffinity(4), "NUMA node 4");
    }

    @Test
    public void affinitiesOfIndexes() {
        Topology t = Topology.of(nodes(40, 40));
        assertEquals(List.of(new GroupAffinity(0, 1L << 39), new GroupAffinity(1, 0x3L)), t.affinities(List.of(41, 39, 40)));
        assertEquals(List.of(), t.affinities(List.of()));
    }

    @Test
    public void emptyHostIsInvalid() {
        expectInvalid(() -> Topology.of(List.of()), "at least one processor");
    }

    @Test
    public void moreThan8192ProcessorsIsInvalid() {
        expectInvalid(() -> Topology.of(nodes(4096, 4097)), "8193", "8192");
    }

    @Test
    public void exactly8192ProcessorsIsValid() {
        Topology t = Topology.of(nodes(4096, 4096));
        assertEquals(8192, t.processorCount());
        assertEquals(128, t.activeGroupCount());
        assertEquals(new ProcessorNumber(127, 63), t.processorNumber(8191));
        assertEquals(8191, t.processorIndex(new ProcessorNumber(127, 63)));
    }

    @Test
    public void duplicateCpuIsInvalid() {
        List<LogicalCpu> cpus = List.of(new LogicalCpu(0, 0, 0, 0), new LogicalCpu(1, 0, 0, 1), new LogicalCpu(1, 1, 0, 2));
        expectInvalid(() -> Topology.of(cpus), "CPU 1 is listed twice");
    }

    @Test
    public void negativeCpuOrNodeIsInvalid() {
        expectInvalid(() -> Topology.of(List.of(new LogicalCpu(-1, 0, 0, 0))), "negative");
        expectInvalid(() -> Topology.of(List.of(new LogicalCpu(0, -1, 0, 0))), "negative");
        expectInvalid(() -> Topology.of(List.of(new LogicalCpu(3, 0, 0, 0), new LogicalCpu(-2, 0, 0, 0))), "negative");
    }
}
