package storport.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import storport.api.Host;
import storport.linux.DirectorySource;
import storport.linux.FixtureTree;
import storport.linux.LinuxHostScanner;

/**
 * Done-when of the findings (issue 14): a native tree built for each finding code, read by the
 * native scanner, gives exactly that finding through {@code storport:check --json}, and the clean
 * tree of the same shape gives none.
 *
 * <p>Shape: 8 CPUs, node 0 = 0-3, node 1 = 4-7; an NVMe controller with the admin vector q0 and
 * I/O vectors q1-q4; hctx n runs on two CPUs and completes on vector n+1, delivered to its first CPU.
 */
public class FindingFixturesTest {
    private static final String BDF = "0000:01:00.0";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** What each vector and hctx look like; a test changes one thing. */
    private static final class Shape {
        String isolated = "";
        String[] affinity = {"0-7", "0-1", "2-3", "4-5", "6-7"};
        String[] effective = {"0", "0", "2", "4", "6"};
        String[] hctx = {"0, 1", "2, 3", "4, 5", "6, 7"};
    }

    private List<String> check(Shape s) throws IOException {
        FixtureTree tree = new FixtureTree(tmp.newFolder().toPath());
        tree.online("0-7").nodes("0-1").node(0, "0-3").node(1, "4-7");
        for (int cpu = 0; cpu < 8; cpu++) {
            tree.cpu(cpu, cpu / 4, cpu % 4);
        }
        tree.write("/sys/devices/system/cpu/isolated", s.isolated);
        FixtureTree.Pci nvme = tree.nvmePci(BDF, 0);
        for (int v = 0; v < s.affinity.length; v++) {
            tree.msix(nvme, 40 + v, v, "nvme0q" + v, s.affinity[v], s.effective[v]);
        }
        tree.nvmeDisk(nvme, "nvme0", "nvme0n1", s.hctx);
        Host host = new LinuxHostScanner(1).scan(new DirectorySource(tree.host("/")));
        CheckCommand check = new CheckCommand();
        check.storport = Fixtures.storport(host);
        Map<String, Object> doc = TestJson.object(TestJson.parse(check.check(true, "")));
        assertEquals("native", doc.get("backend"));
        return ((List<?>) doc.get("findings")).stream().map(TestJson::object).map(f -> {
            assertEquals(BDF, f.get("adapter"));
            assertTrue(f.toString(), f.get("text").toString().length() > 40);
            return f.get("code") + " " + f.get("severity") + " " + f.get("messages") + " " + f.get("processors");
        }).toList();
    }

    @Test
    public void theCleanShapeHasNoFinding() throws IOException {
        assertEquals(List.of(), check(new Shape()));
    }

    @Test
    public void aRemoteNodeVectorIsCrossNode() throws IOException {
        Shape s = new Shape();
        s.affinity[1] = "0-1,4";   // irqbalance or a script put q1 on CPU 4, node 1; it serves CPUs 0-1 on node 0
        s.effective[1] = "4";
        assertEquals(List.of("cross-node warning [1] [0, 1]"), check(s));
    }

    @Test
    public void anIsolatedCpuTakingIoInterruptsIsIsolated() throws IOException {
        Shape s = new Shape();
        s.isolated = "1";
        s.effective[1] = "1";
        assertEquals(List.of("isolated warning [1] [1]"), check(s));
    }

    @Test
    public void anEffectiveCpuOutsideTheTargetsIsEffectiveOutside() throws IOException {
        Shape s = new Shape();
        s.effective[1] = "2";      // same node, outside targets 0-1
        assertEquals(List.of("effective-outside warning [1] [2]"), check(s));
    }

    @Test
    public void anAdapterWithOneVectorIsSingleVector() throws IOException {
        Shape s = new Shape();
        s.affinity = new String[] {"0-7"};
        s.effective = new String[] {"0"};
        s.hctx = new String[] {"0, 1, 2, 3, 4, 5, 6, 7"};
        // one vector on CPU 0 also completes node 1's I/O remotely
        assertEquals(List.of("single-vector warning [0] [0, 1, 2, 3, 4, 5, 6, 7]", "cross-node warning [0] [4, 5, 6, 7]"), check(s));
    }

    @Test
    public void cpusNoQueueCoversHaveNoMessage() throws IOException {
        Shape s = new Shape();
        s.hctx[3] = "6";
        s.affinity[4] = "6";
        assertEquals(List.of("no-message error [] [7]"), check(s));
    }

    @Test
    public void unevenQueuesAreUneven() throws IOException {
        Shape s = new Shape();
        s.hctx[0] = "0, 1, 2";
        s.affinity[1] = "0-2";
        s.hctx[1] = "3";
        s.affinity[2] = "3";
        s.effective[2] = "3";
        assertEquals(List.of("uneven info [1, 2] []"), check(s));
    }

    @Test
    public void aVectorNoQueueUsesIsIdle() throws IOException {
        Shape s = new Shape();
        s.affinity = new String[] {"0-7", "0-1", "2-3", "4-5", "6-7", "0-7"};
        s.effective = new String[] {"0", "0", "2", "4", "6", "1"};
        assertEquals(List.of("idle-message info [5] []"), check(s));
    }
}
