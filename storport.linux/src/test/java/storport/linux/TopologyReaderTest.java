package storport.linux;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

import storport.api.Isolation;
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

    @Test
    public void isolatedCpusComeFromTheFilesAndTheCommandLine() throws Exception {
        eightCpus(true);
        // a capture made before storport read these files has none of them: nothing isolated
        assertEquals(Isolation.NONE, TopologyReader.read(source()).isolation());

        tree.write("/sys/devices/system/cpu/isolated", "1\n");
        tree.write("/sys/devices/system/cpu/nohz_full", "(null)\n");
        // managed_irq shows in no file (seen on a 6.12 kernel); nohz_full= also on the command line; an unknown flag is skipped
        tree.write("/proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/vda1 isolcpus=managed_irq,future_flag,6-7 nohz_full=3 quiet\n");
        Topology t = TopologyReader.read(source());
        assertEquals(new Isolation(List.of(1), List.of(3), List.of(6, 7)), t.isolation());
        assertEquals(List.of(1, 3, 6, 7), t.processors().stream().filter(p -> t.isIsolated(p.index())).map(p -> p.cpu()).toList());

        // isolcpus= without flags is domain isolation; a list the kernel reads and storport does not is left out
        tree.write("/sys/devices/system/cpu/isolated", "\n");
        tree.write("/sys/devices/system/cpu/nohz_full", "2\n");
        tree.write("/proc/cmdline", "isolcpus=4-5 nohz_full=0-7:2/4\n");
        assertEquals(new Isolation(List.of(4, 5), List.of(2), List.of()), TopologyReader.read(source()).isolation());
    }

    @Test
    public void aGarbledIsolatedFileIsAnInputErrorNamingTheFile() throws Exception {
        eightCpus(true);
        tree.write("/sys/devices/system/cpu/isolated", "one\n");
        LinuxInputException e = assertThrows(LinuxInputException.class, () -> TopologyReader.read(source()));
        assertTrue(e.getMessage(), e.getMessage().contains("/sys/devices/system/cpu/isolated"));
    }
}
