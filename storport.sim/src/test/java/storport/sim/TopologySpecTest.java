package storport.sim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static storport.sim.Expect.invalid;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.Test;

import storport.api.GroupAffinity;
import storport.api.Isolation;
import storport.api.LogicalCpu;
import storport.api.ProcessorNumber;
import storport.api.Topology;

public class TopologySpecTest {

    @Test
    public void twoNodesDepthFirst() {
        TopologySpec s = TopologySpec.parse("node:2 core:8 pu:2");
        assertEquals(32, s.processors());
        assertEquals(2, s.nodes());
        List<LogicalCpu> cpus = s.cpus();
        assertEquals(32, cpus.size());
        for (int i = 0; i < 32; i++) {
            LogicalCpu c = cpus.get(i);
            assertEquals(i, c.cpu());
            assertEquals(i / 16, c.node());
            assertEquals(0, c.packageId());
            assertEquals("cpu " + i, i / 2, c.core());   // node 1's cores are 8..15 inside package 0
        }
        // cpu 0 and 1 are SMT siblings: same package and core; cpu 2 is another core
        assertEquals(cpus.get(0).core(), cpus.get(1).core());
        assertNotEquals(cpus.get(1).core(), cpus.get(2).core());
        assertEquals(1, cpus.get(16).node());
        assertEquals(0, cpus.get(15).node());
    }

    @Test
    public void packagesNodesCoreIdsInsidePackage() {
        TopologySpec s = TopologySpec.parse("package:2 node:2 core:10 pu:2");
        assertEquals(80, s.processors());
        assertEquals(4, s.nodes());
        List<LogicalCpu> cpus = s.cpus();
        assertEquals(new LogicalCpu(0, 0, 0, 0), cpus.get(0));
        assertEquals(new LogicalCpu(1, 0, 0, 0), cpus.get(1));
        assertEquals(new LogicalCpu(19, 0, 0, 9), cpus.get(19));
        assertEquals(new LogicalCpu(20, 1, 0, 10), cpus.get(20));
        assertEquals(new LogicalCpu(39, 1, 0, 19), cpus.get(39));
        assertEquals(new LogicalCpu(40, 2, 1, 0), cpus.get(40));
        assertEquals(new LogicalCpu(60, 3, 1, 10), cpus.get(60));
        assertEquals(new LogicalCpu(79, 3, 1, 19), cpus.get(79));
        Set<String> cores = new HashSet<>();
        for (LogicalCpu c : cpus) {
            cores.add(c.packageId() + "/" + c.core());
        }
        assertEquals(40, cores.size());   // 2 packages x 20 cores, each with 2 PUs
    }

    @Test
    public void missingLevelsCountOne() {
        TopologySpec s = TopologySpec.parse("core:4");
        assertEquals(new TopologySpec(1, 1, 4, 1), s);
        assertEquals(4, s.processors());
        assertEquals(1, s.nodes());
        assertEquals(List.of(new LogicalCpu(0, 0, 0, 0), new LogicalCpu(1, 0, 0, 1), new LogicalCpu(2, 0, 0, 2),
                new LogicalCpu(3, 0, 0, 3)), s.cpus());
        assertEquals(new TopologySpec(1, 1, 1, 2), TopologySpec.parse("pu:2"));
        assertEquals(new TopologySpec(3, 1, 1, 1), TopologySpec.parse("package:3"));
    }

    @Test
    public void aliasesAndCase() {
        assertEquals(new TopologySpec(2, 3, 4, 2), TopologySpec.parse("socket:2 numa:3 core:4 pu:2"));
        assertEquals(new TopologySpec(2, 3, 4, 2), TopologySpec.parse("PACKAGE:2 NUMAnode:3 Core:4 PU:2"));
        assertEquals(new TopologySpec(1, 2, 1, 1), TopologySpec.parse("  node:2  "));
        assertEquals(new TopologySpec(1, 2, 3, 1), TopologySpec.parse("node:2\tcore:3"));
    }

    @Test
    public void canonicalForm() {
        assertEquals("package:1 node:2 core:8 pu:1", TopologySpec.parse("numa:2 core:8").toString());
    }

    @Test
    public void defaultHostIsTwoGroupsOf40() {
        Topology t = Topology.of(TopologySpec.parse(SimModel.DEFAULT_HOST).cpus());
        assertEquals("package:2 node:1 core:20 pu:2", SimModel.DEFAULT_HOST);
        assertEquals(80, t.processorCount());
        assertEquals(2, t.activeGroupCount());
        assertEquals(List.of(0, 1), t.nodes());
        assertEquals(new GroupAffinity(0, 0xFF_FFFF_FFFFL), t.groupAffinity(0));
        assertEquals(new GroupAffinity(1, 0xFF_FFFF_FFFFL), t.groupAffinity(1));
        assertEquals(new ProcessorNumber(0, 39), t.processorNumber(39));
        assertEquals(new ProcessorNumber(1, 0), t.processorNumber(40));
        assertEquals(1, t.processor(40).node());
        assertEquals(1, t.processor(40).packageId());
    }

    @Test
    public void largestHost() {
        TopologySpec s = TopologySpec.parse("node:8 core:512 pu:2");
        assertEquals(8192, s.processors());
        Topology t = Topology.of(s.cpus());
        assertEquals(8192, t.processorCount());
        assertEquals(128, t.activeGroupCount());   // each node of 1024 gets 16 groups of its own
    }

    @Test
    public void badSpecs() {
        invalid(() -> TopologySpec.parse("node:0"), "host spec 'node:0'", "count of node must be at least 1, not 0");
        invalid(() -> TopologySpec.parse("core:-3"), "count of core must be at least 1, not -3");
        invalid(() -> TopologySpec.parse("core:abc"), "count of core must be a whole number, not 'abc'");
        invalid(() -> TopologySpec.parse("core:"), "whole number");
        invalid(() -> TopologySpec.parse("core:99999999999"), "whole number");
        invalid(() -> TopologySpec.parse(""), "empty host spec");
        invalid(() -> TopologySpec.parse("   "), "empty host spec");
        invalid(() -> TopologySpec.parse(null), "empty host spec");
        invalid(() -> TopologySpec.parse("l3:2"), "unknown level 'l3'", "package, node, core, pu");
        invalid(() -> TopologySpec.parse("core:2 node:2"), "level node is repeated or out of order");
        invalid(() -> TopologySpec.parse("node:2 numa:2"), "level node is repeated or out of order");
        invalid(() -> TopologySpec.parse("core:8193"), "count of core is more than 8192");
        invalid(() -> TopologySpec.parse("node:128 core:64 pu:2"), "16384 processors is more than the 8192");
        invalid(() -> TopologySpec.parse("node:3 core:2731"), "8193 processors is more than the 8192");
        invalid(() -> TopologySpec.parse("package:8192 node:8192 core:8192 pu:8192"), "more than the 8192");
        invalid(() -> TopologySpec.parse("core"), "'core' is not LEVEL:COUNT");
        invalid(() -> TopologySpec.parse("node:2 core"), "'core' is not LEVEL:COUNT");
        invalid(() -> TopologySpec.parse(":2"), "unknown level ''");
    }

    @Test
    public void isolatedCpusFollowTheLevelsInTheKernelsWords() {
        TopologySpec s = TopologySpec.parse("node:2 core:4 isolated:2-3 nohz_full:3 managed_irq:6,7");
        assertEquals(new Isolation(List.of(2, 3), List.of(3), List.of(6, 7)), s.isolation());
        assertEquals("package:1 node:2 core:4 pu:1 isolated:2-3 nohz_full:3 managed_irq:6-7", s.toString());
        assertEquals(s, TopologySpec.parse(s.toString()));
        Topology t = s.topology();
        assertEquals(List.of(2, 3, 6, 7), t.processors().stream().filter(p -> t.isIsolated(p.index())).map(p -> p.cpu()).toList());
        invalid(() -> TopologySpec.parse("core:4 isolated:4"), "isolated CPU 4 is not on this host (CPUs 0-3)");
        invalid(() -> TopologySpec.parse("core:4 isolated:x"), "isolated takes a CPU list such as 2-3,6, not 'x'");
        invalid(() -> TopologySpec.parse("core:4 isolated:1 isolated:2"), "isolated is given twice");
        invalid(() -> TopologySpec.parse("isolated:1 core:4"), "level 'core' after the CPU lists");
    }

    /** Found by TopologySpecFuzzTest: Integer.parseInt reads every script's digits, and lower-casing turns the Kelvin sign into 'k'. */
    @Test
    public void onlyAsciiCountsAndLevels() {
        invalid(() -> TopologySpec.parse("node:\u0662"), "count of node must be a whole number, not '\u0662'");
        invalid(() -> TopologySpec.parse("soc\u212Aet:2"), "unknown level 'soc\u212Aet'");
    }
}
