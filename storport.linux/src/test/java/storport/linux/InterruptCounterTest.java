package storport.linux;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.Test;

import storport.api.Host;
import storport.api.InterruptCounts;

/** Interrupt counts of one adapter: per_cpu_count by possible CPU, /proc/interrupts only without it. */
public class InterruptCounterTest extends ScannerFixture {

    /** CPUs 0-3 possible, 2 offline; an NVMe (IRQs 45-47) and a virtio disk (35-36) beside it. */
    private void host() throws Exception {
        tree.online("0-1,3").write("/sys/devices/system/cpu/possible", "0-3");
        for (int c : new int[] { 0, 1, 3 }) {
            tree.cpu(c, 0, c);
        }
        FixtureTree.Pci nvme = tree.nvmePci(NVME_BDF, 0);
        tree.msix(nvme, 45, 0, "nvme0q0", "0-3", "0").msix(nvme, 46, 1, "nvme0q1", "0-1", "1").msix(nvme, 47, 2, "nvme0q2", "3", "3");
        tree.nvmeDisk(nvme, "nvme0", "nvme0n1", "0, 1", "3");
        FixtureTree.Pci vda = tree.pci(VIRTIO_BDF, "0x010000", "0x1af4", "0x1042", -1, "virtio-pci");
        tree.msix(vda, 35, 0, "virtio1-config", "0-3", "0").msix(vda, 36, 1, "virtio1-req.0", "0-3", "1");
        tree.virtioDisk(vda, "virtio1", "vda", "0, 1, 3");
    }

    @Test
    public void perCpuCountGivesOneCountPerPossibleCpuAndOnlyThatAdaptersFilesAreRead() throws Exception {
        host();
        tree.write("/sys/kernel/irq/45/per_cpu_count", "7,0,0,0");
        tree.write("/sys/kernel/irq/46/per_cpu_count", "0,5120,99,0");   // 99 on offline CPU 2: left out
        tree.write("/sys/kernel/irq/47/per_cpu_count", "0,0,0,18446744073709551");
        tree.write("/sys/kernel/irq/36/per_cpu_count", "1,2,3,4");
        Host host = scan();
        RecordingSource recording = new RecordingSource(source());
        InterruptCounts c = InterruptCounter.read(recording, host, "nvme0n1");
        assertEquals(NVME_BDF, c.adapter());
        assertEquals("per_cpu_count", c.source());
        assertEquals(7, c.count(0, 0));
        assertEquals(5120, c.count(1, 1));
        assertEquals("CPU 3 is processor index 2", 18446744073709551L, c.count(2, 2));
        assertEquals(0, c.count(1, 2));
        assertEquals(List.of("/sys/kernel/irq/45/per_cpu_count", "/sys/devices/system/cpu/possible", "/sys/kernel/irq/46/per_cpu_count",
                "/sys/kernel/irq/47/per_cpu_count"), recording.reads);
    }

    @Test
    public void withoutPerCpuCountTheCountsComeFromProcInterrupts() throws Exception {
        host();
        tree.procInterrupts("           CPU0       CPU1       CPU3\n"
                + "  35:          0          0          0   PCI-MSIX-0000:00:02.0   0-edge      virtio1-config\n"
                + "  36:         11       5334          2   PCI-MSIX-0000:00:02.0   1-edge      virtio1-req.0\n"
                + " NMI:          0          0          0   Non-maskable interrupts\n");
        Host host = scan();
        InterruptCounts c = InterruptCounter.read(source(), host, "vda");
        assertEquals("/proc/interrupts", c.source());
        assertEquals(List.of(11L, 5334L, 2L), List.of(c.count(1, 0), c.count(1, 1), c.count(1, 2)));
    }

    /** sysfs_emit_at stops a per_cpu_count at one page: no newline at the end, the last number maybe cut. */
    @Test
    public void aPerCpuCountThatFilledItsPageIsReadFromProcInterrupts() throws Exception {
        host();
        tree.write("/sys/kernel/irq/45/per_cpu_count", "7,0,0,0");
        tree.writeBytes("/sys/kernel/irq/46/per_cpu_count", "0,5120,99,12".getBytes(StandardCharsets.US_ASCII));
        tree.write("/sys/kernel/irq/47/per_cpu_count", "0,0,0,3");
        tree.procInterrupts("           CPU0       CPU1       CPU3\n"
                + "  46:          0     512345          5   PCI-MSIX-0000:01:00.0   1-edge      nvme0q1\n");
        Host host = scan();
        InterruptCounts c = InterruptCounter.read(source(), host, NVME_BDF);
        assertEquals("the whole count, not the cut 12", 5L, c.count(1, 2));
        assertEquals(512345L, c.count(1, 1));
        assertEquals("the others from their own files", 3L, c.count(2, 2));
        assertTrue(c.source(), c.source().contains("filled its page"));
    }

    /** On thousands of CPUs /proc/interrupts outgrows what a file may be (1 MiB): it is streamed, only the adapter's lines kept. */
    @Test
    public void aProcInterruptsOverTheFileLimitIsStreamed() throws Exception {
        host();
        tree.write("/sys/kernel/irq/45/per_cpu_count", "7,0,0,0");
        tree.writeBytes("/sys/kernel/irq/46/per_cpu_count", "0,5120,99,1".getBytes(StandardCharsets.US_ASCII));
        tree.write("/sys/kernel/irq/47/per_cpu_count", "0,0,0,3");
        StringBuilder big = new StringBuilder("           CPU0       CPU1       CPU3\n");
        for (int irq = 1000; big.length() <= DirectorySource.MAX_FILE_BYTES; irq++) {
            big.append(String.format("%5d:          1          2          3   PCI-MSIX-0000:09:00.0   %d-edge      other%d%n", irq, irq, irq));
        }
        big.append("  46:          0     512345          5   PCI-MSIX-0000:01:00.0   1-edge      nvme0q1\n");
        tree.procInterrupts(big.toString());
        Host host = scan();
        InterruptCounts c = InterruptCounter.read(source(), host, NVME_BDF);
        assertEquals(List.of(0L, 512345L, 5L), List.of(c.count(1, 0), c.count(1, 1), c.count(1, 2)));
        tree.procInterrupts("           CPU0       CPU1       CPU3\n");
        LinuxInputException e = assertThrows(LinuxInputException.class, () -> InterruptCounter.read(source(), host, NVME_BDF));
        assertEquals("/proc/interrupts: no line for IRQ 46", e.getMessage());
    }

    @Test
    public void aMalformedCounterNamesItsFile() throws Exception {
        host();
        tree.write("/sys/kernel/irq/45/per_cpu_count", "7,x,0,0");
        Host host = scan();
        LinuxInputException e = assertThrows(LinuxInputException.class, () -> InterruptCounter.read(source(), host, NVME_BDF));
        assertTrue(e.getMessage(), e.getMessage().startsWith("/sys/kernel/irq/45/per_cpu_count: not a comma-separated list of counts"));
        tree.write("/sys/kernel/irq/45/per_cpu_count", "1,2,3,4,5");
        e = assertThrows(LinuxInputException.class, () -> InterruptCounter.read(source(), host, NVME_BDF));
        assertTrue(e.getMessage(), e.getMessage().contains("more counts than the 4 possible CPUs"));
    }
}
