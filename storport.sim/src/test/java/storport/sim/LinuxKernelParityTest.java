package storport.sim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.Test;

/**
 * numa-spread and numa-spread-legacy against the blk-mq maps real kernels made, recorded by
 * {@code storport.sim/src/test/kernel/linux-oracle.sh record > storport.sim/src/test/resources/storport/sim/linux-kernel-maps.txt}
 * (Debian's 6.1 and 6.12 kernels under QEMU). {@link LinuxKernelOracleIT} boots them again on every run.
 */
public class LinuxKernelParityTest {

    static List<LinuxOracle.Boot> recorded() throws Exception {
        try (Reader in = new InputStreamReader(LinuxKernelParityTest.class.getResourceAsStream("linux-kernel-maps.txt"),
                StandardCharsets.US_ASCII)) {
            return LinuxOracle.parse(in);
        }
    }

    /** Every map equal to the kernel's, and every symmetric topology equal to its host spec. */
    static void assertParity(List<LinuxOracle.Boot> boots) {
        List<String> differences = new ArrayList<>();
        for (LinuxOracle.Boot boot : boots) {
            differences.addAll(LinuxOracle.differences(boot));
            if (boot.nodePerSocket()) {
                differences.addAll(LinuxOracle.specDifferences(boot));
            }
        }
        assertEquals(String.join("\n", differences), List.of(), differences);
        // both kernels, 1 to 4 nodes, with and without SMT, fewer and more queues than nodes
        Set<String> kernels = new TreeSet<>();
        Set<Integer> nodes = new TreeSet<>();
        boolean smt = false;
        boolean noSmt = false;
        boolean fewerQueuesThanNodes = false;
        boolean moreQueuesThanNodes = false;
        boolean unequalNodes = false;
        for (LinuxOracle.Boot boot : boots) {
            kernels.add(boot.kernel());
            long n = boot.cpus().stream().mapToInt(c -> c.node()).distinct().count();
            nodes.add((int) n);
            smt |= boot.threads() > 1;
            noSmt |= boot.threads() == 1;
            unequalNodes |= !boot.nodePerSocket();
            for (List<List<Integer>> q : boot.queues().values()) {
                fewerQueuesThanNodes |= q.size() < n;
                moreQueuesThanNodes |= q.size() > n;
            }
        }
        assertEquals(Set.of("6.1", "6.12"), kernels);
        assertEquals(Set.of(1, 2, 3, 4, 8), nodes);
        assertTrue(smt && noSmt && fewerQueuesThanNodes && moreQueuesThanNodes && unequalNodes);
    }

    @Test
    public void theRecordedKernelsAgreeWithBothPolicies() throws Exception {
        List<LinuxOracle.Boot> boots = recorded();
        assertEquals(12, boots.size());
        assertParity(boots);
    }

    @Test
    public void twoEqualNodesFourQueuesAsTheIssueReported() throws Exception {
        // the case that showed the old rule wrong: node 1 first on both kernels (hctx 0 = 4,5)
        for (LinuxOracle.Boot boot : recorded()) {
            if (boot.args().equals("2 2 2 - 1 2 3 4 8")) {
                List<List<Integer>> q4 = boot.queues().get("q4-3");
                assertEquals(boot.toString(), List.of(List.of(4, 5), List.of(6, 7), List.of(0, 1), List.of(2, 3)), q4);
            }
        }
    }

    @Test
    public void fourEqualNodesDifferBetweenTheTwoSorts() throws Exception {
        // 4 nodes of 2 CPUs, 8 queues: 6.1 visits nodes 1, 2, 3, 0; 6.12 visits 1, 3, 2, 0
        for (LinuxOracle.Boot boot : recorded()) {
            if (boot.args().equals("4 2 1 - 3 5 8")) {
                List<Integer> firstCpus = new ArrayList<>();
                for (List<Integer> hctx : boot.queues().get("q8-2")) {
                    firstCpus.add(hctx.get(0));
                }
                assertEquals(boot.toString(), boot.kernel().equals("6.1") ? List.of(2, 3, 4, 5, 6, 7, 0, 1)
                        : List.of(2, 3, 6, 7, 4, 5, 0, 1), firstCpus);
            }
        }
    }

    @Test
    public void aWrongSortIsCaught() throws Exception {
        // the check is not vacuous: the recorded 6.12 boots disagree with the legacy order somewhere, and vice versa
        int caught = 0;
        for (LinuxOracle.Boot boot : recorded()) {
            LinuxOracle.Boot swapped = new LinuxOracle.Boot(boot.kernel(), boot.args(),
                    boot.release().startsWith("6.1.") ? "6.12.0-swapped" : "6.1.0-swapped", boot.cpus(), boot.queues(), 0);
            caught += LinuxOracle.differences(swapped).size();
        }
        assertTrue("differences found with the sorts swapped: " + caught, caught >= 2);
    }
}
