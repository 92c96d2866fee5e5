package storport.linux;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.util.List;

import org.junit.Test;

import storport.api.Adapter;
import storport.api.Host;

/** Kernels before 4.17 have no /sys/kernel/irq: hwirq, chip and handlers come from /proc/interrupts, read once. */
public class ProcInterruptsFallbackTest extends ScannerFixture {
    private static final String INTERRUPTS = ""
            + "            CPU0       CPU1       CPU2       CPU3       \n"
            + "   0:         45          0          0          0   IO-APIC   2-edge      timer\n"
            + "  35:          0          0          0          0   PCI-MSI 32768-edge      virtio1-config\n"
            + "  36:          0       5334          0          0   PCI-MSI 32769-edge      virtio1-req.0\n"
            + "  45:          0          0          0          0   IR-PCI-MSI 524288-edge      nvme0q0\n"
            + "  46:         12          0          0          0   IR-PCI-MSI 524289-edge      nvme0q1\n"
            + "  47:          0         13          0          0   IR-PCI-MSI 524290-edge      nvme0q2\n"
            + " NMI:          0          0          0          0   Non-maskable interrupts\n"
            + " ERR:          0\n";

    private void oldKernelHost() throws Exception {
        tree.cpus(4);
        FixtureTree.Pci vda = tree.pci(VIRTIO_BDF, "0x010000", "0x1af4", "0x1001", -1, "virtio-pci");
        tree.oldVector(vda, 35, "0-3").oldVector(vda, 36, "0-3");
        tree.virtioDisk(vda, "virtio1", "vda", "0, 1, 2, 3");
        FixtureTree.Pci nvme = tree.nvmePci(NVME_BDF, 0);
        tree.oldVector(nvme, 47, "2-3").oldVector(nvme, 45, "0-3").oldVector(nvme, 46, "0-1");
        tree.nvmeDisk(nvme, "nvme0", "nvme0n1", "0, 1", "2, 3");
        tree.procInterrupts(INTERRUPTS);
    }

    @Test
    public void theHandlersAndIndexesComeFromProcInterrupts() throws Exception {
        oldKernelHost();
        Host host = scan();
        Adapter vda = host.adapter("vda");
        assertEquals("virtio1-config", vda.message(0).name());
        assertEquals(36, vda.message(1).irq());
        assertEquals(1, vda.firstRedirectionMessage());
        assertArrayEquals(new int[] {1, 1, 1, 1}, map(host, "vda"));
        Adapter nvme = host.adapter("nvme0");
        assertEquals(List.of("nvme0q0", "nvme0q1", "nvme0q2"), nvme.messages().stream().map(m -> m.name()).toList());
        assertEquals(List.of(45, 46, 47), nvme.messages().stream().map(m -> m.irq()).toList());
        assertEquals(List.of(2, 3), nvme.message(2).processors());
        assertArrayEquals(new int[] {1, 1, 2, 2}, map(host, "nvme0"));
    }

    @Test
    public void procInterruptsIsReadOncePerScan() throws Exception {
        oldKernelHost();
        RecordingSource source = new RecordingSource(source());
        scanner.scan(source);
        assertEquals(1, source.count("/proc/interrupts"));
        scanner.scan(source);
        assertEquals(2, source.count("/proc/interrupts"));
    }

    @Test
    public void withPerIrqFilesProcInterruptsIsNeverRead() throws Exception {
        tree.cpus(4);
        virtioBlk("0-3");
        tree.procInterrupts(INTERRUPTS);
        RecordingSource source = new RecordingSource(source());
        assertArrayEquals(new int[] {1, 1, 1, 1}, map(scanner.scan(source), "vda"));
        assertEquals(0, source.count("/proc/interrupts"));
    }

    @Test
    public void aMissingIrqLineMakesOnlyThatAdapterUnavailable() throws Exception {
        oldKernelHost();
        tree.procInterrupts(INTERRUPTS.replace("  46:", "  56:"));
        Host host = scan();
        assertEquals("/proc/interrupts: no line for IRQ 46", unavailable(host, NVME_BDF));
        assertArrayEquals(new int[] {1, 1, 1, 1}, map(host, "vda"));
    }
}
