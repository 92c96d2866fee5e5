package storport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.api.Topology;

/**
 * The simulated host spec (hwloc synthetic syntax): any text is a spec of 1..8,192 processors that
 * prints back as itself and builds a valid {@link Topology}, or STOR_STATUS_INVALID_PARAMETER
 * naming the spec. A spec written level by level parses to its counts.
 */
class TopologySpecFuzzTest {
    private static final String[][] SPELLINGS = {{"package", "socket"}, {"node", "numa", "numanode", "NUMANode"}, {"core", "Core"}, {"pu", "PU"}};

    @FuzzTest(maxDuration = "20s")
    void topologySpec(FuzzedDataProvider data) {
        // Written: any subset of the levels in order, any spelling, any spacing.
        int[] counts = {1, 1, 1, 1};
        StringBuilder written = new StringBuilder(data.consumeBoolean() ? " " : "");
        for (int level = 0; level < 4; level++) {
            if (data.consumeBoolean()) {
                counts[level] = data.consumeInt(1, 8);   // at most 8^4 = 4,096 processors: within the limit
                String[] names = SPELLINGS[level];
                written.append(names[data.consumeInt(0, names.length - 1)]).append(':').append(counts[level])
                        .append(data.consumeBoolean() ? "\t" : " ");
            }
        }
        if (written.toString().isBlank()) {
            written.append("pu:1");
        }
        TopologySpec expected = new TopologySpec(counts[0], counts[1], counts[2], counts[3]);
        assertEquals(expected, TopologySpec.parse(written.toString()), written.toString());

        // Anything.
        String spec = data.consumeRemainingAsString();
        TopologySpec parsed;
        try {
            parsed = TopologySpec.parse(spec);
        } catch (StorPortException e) {
            assertEquals(StorStatus.INVALID_PARAMETER, e.status(), e.getMessage());
            assertTrue(e.reason().startsWith("host spec '") || e.reason().startsWith("empty host spec"), e.reason());
            return;
        }
        // hwloc's syntax is ASCII; other scripts' digits or letters that lower-case to ASCII are typos, not counts
        assertTrue(spec.strip().chars().allMatch(c -> c < 0x80 || Character.isWhitespace(c)), "accepted non-ASCII: " + parsed);
        assertTrue(parsed.packages() >= 1 && parsed.nodesPerPackage() >= 1 && parsed.coresPerNode() >= 1 && parsed.pusPerCore() >= 1);
        assertTrue(parsed.processors() >= 1 && parsed.processors() <= Topology.MAX_PROCESSORS, parsed.toString());
        assertEquals(parsed, TopologySpec.parse(parsed.toString()));
        assertFalse(parsed.toString().isBlank());
        Topology t = Topology.of(parsed.cpus());
        assertEquals(parsed.processors(), t.processorCount());
        assertEquals(parsed.nodes(), t.nodes().size());
    }
}
