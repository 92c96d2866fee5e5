package storport.linux;

import static org.junit.Assert.assertEquals;

import java.util.List;

import org.junit.Test;

import storport.api.Topology;

/** The CPU topology costs one read per core and per package where the kernel's sibling lists are there. */
public class TopologyReaderTest extends ScannerFixture {

    /** 8 CPUs, 2 packages, SMT numbered like x86: CPU c and c + 4 share a core; package 0 = 0,1,4,5. */
    private void eightCpus(boolean lists) throws Exception {
        tree.online("0-7").nodes("0-1").node(0, "0-1,4-5").node(1, "2-3,6-7");
        for (int cpu = 0; cpu < 8; cpu++) {
            int core = cpu % 4;
            tree.cpu(cpu, core / 2, 10 + core % 2);
            if (lists) {
                String t = "/sys/devices/system/cpu/cpu" + cpu + "/topology/";
                tree.write(t + "thread_siblings_list", core + "," + (core + 4));
                tree.write(t + "core_siblings_list", core / 2 == 0 ? "0-1,4-5" : "2-3,6-7");
            }
        }
    }

    private static String describe(Topology t) {
        return t.processors().toString();
    }

    @Test
    public void siblingListsSaveReadsAndGiveTheSameTopology() throws Exception {
        eightCpus(false);
        String perCpu = describe(scan().topology());
        tree = new FixtureTree(tmp.newFolder("with-lists").toPath());
        eightCpus(true);
        RecordingSource recording = new RecordingSource(source());
        Topology t = TopologyReader.read(recording);
        assertEquals(perCpu, describe(t));
        assertEquals(List.of(0, 1), t.nodes());
        // one core_id per core (4), one physical_package_id per package (2)
        assertEquals(4, recording.reads.stream().filter(p -> p.endsWith("/core_id")).count());
        assertEquals(2, recording.reads.stream().filter(p -> p.endsWith("/physical_package_id")).count());
        assertEquals(List.of("/sys/devices/system/cpu/cpu0/topology/physical_package_id",
                "/sys/devices/system/cpu/cpu2/topology/physical_package_id"),
                recording.reads.stream().filter(p -> p.endsWith("/physical_package_id")).toList());
    }

    @Test
    public void withoutListsEveryCpuIsReadAndTheListsAreAskedForOnce() throws Exception {
        eightCpus(false);
        RecordingSource recording = new RecordingSource(source());
        TopologyReader.read(recording);
        assertEquals(8, recording.reads.stream().filter(p -> p.endsWith("/core_id")).count());
        assertEquals(8, recording.reads.stream().filter(p -> p.endsWith("/physical_package_id")).count());
        assertEquals(1, recording.reads.stream().filter(p -> p.endsWith("_siblings_list") && p.contains("/core_")).count());
        assertEquals(1, recording.reads.stream().filter(p -> p.endsWith("/thread_siblings_list")).count());
    }

    @Test
    public void aListThatDoesNotNameItsCpuIsNotTrusted() throws Exception {
        eightCpus(true);
        tree.write("/sys/devices/system/cpu/cpu0/topology/thread_siblings_list", "1-3");
        tree.write("/sys/devices/system/cpu/cpu0/topology/core_siblings_list", "garbage");
        String answer = describe(scan().topology());
        tree = new FixtureTree(tmp.newFolder("without-lists").toPath());
        eightCpus(false);
        assertEquals(describe(scan().topology()), answer);
    }
}
