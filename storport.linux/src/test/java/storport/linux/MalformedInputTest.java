package storport.linux;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.util.List;

import org.junit.Test;

import storport.api.Host;

/**
 * Bad inputs: topology problems fail the scan naming the file; a bad device becomes an unavailable
 * adapter naming the file, and every other adapter keeps answering.
 */
public class MalformedInputTest extends ScannerFixture {
    private static final byte[] GARBAGE = {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0xbe, (byte) 0xef};

    /** A healthy virtio-blk next to the NVMe each test breaks, to show the damage stays local. */
    private void hostWithTwoAdapters() throws Exception {
        tree.cpus(4);
        virtioBlk("0-3");
        nvme("0-3", "0-1", "2-3");
    }

    private void assertTheOtherAdapterStillAnswers(Host host) {
        assertArrayEquals(new int[] {1, 1, 1, 1}, map(host, "vda"));
    }

    // --- fatal: the topology ---------------------------------------------------------------------

    @Test
    public void anEmptyOnlineListFailsTheScan() throws Exception {
        hostWithTwoAdapters();
        tree.write("/sys/devices/system/cpu/online", "");
        assertEquals("/sys/devices/system/cpu/online: no CPU is online (the file is empty)", fatal());
    }

    @Test
    public void aMissingOnlineListFailsTheScan() throws Exception {
        assertEquals("/sys/devices/system/cpu/online: no such file: /sys does not exist", fatal());
    }

    @Test
    public void aTruncatedNodeListFailsTheScan() throws Exception {
        hostWithTwoAdapters();
        tree.nodes("0-1").node(0, "0-1").node(1, "2-");
        assertEquals("/sys/devices/system/node/node1/cpulist: '2-' is not a CPU list: a number is missing", fatal());
    }

    @Test
    public void aMissingNodeListFailsTheScan() throws Exception {
        hostWithTwoAdapters();
        tree.nodes("0-1").node(0, "0-3");
        assertEquals("/sys/devices/system/node/node1/cpulist: no such file: /sys/devices/system/node/node1 does not exist", fatal());
    }

    @Test
    public void aMissingOrGarbledCoreIdFailsTheScan() throws Exception {
        hostWithTwoAdapters();
        tree.delete("/sys/devices/system/cpu/cpu3/topology/core_id");
        assertEquals("/sys/devices/system/cpu/cpu3/topology/core_id: no such file", fatal());
        tree.writeBytes("/sys/devices/system/cpu/cpu3/topology/core_id", GARBAGE);
        assertEquals("/sys/devices/system/cpu/cpu3/topology/core_id: '\\ufffd\\ufffd\\u0000\\ufffd\\ufffd' is not a number", fatal());
    }

    @Test
    public void binaryGarbageInTheOnlineListFailsTheScan() throws Exception {
        tree.writeBytes("/sys/devices/system/cpu/online", GARBAGE);
        String m = fatal();
        assertTrue(m, m.startsWith("/sys/devices/system/cpu/online: '\\ufffd\\ufffd\\u0000\\ufffd\\ufffd' is not a CPU list"));
    }

    // --- local: one adapter ---------------------------------------------------------------------

    @Test
    public void aTruncatedQueueCpuListMakesOnlyThatAdapterUnavailable() throws Exception {
        hostWithTwoAdapters();
        tree.write(tree.host("/sys/block/nvme0n1").toRealPath().toString().substring(tree.root.toString().length())
                + "/mq/1/cpu_list", "0-");
        Host host = scan();
        assertEquals("/sys/block/nvme0n1/mq/1/cpu_list: '0-' is not a CPU list: a number is missing", unavailable(host, "nvme0n1"));
        assertEquals("the aliases still find it", NVME_BDF, host.adapter("nvme0").id());
        assertTheOtherAdapterStillAnswers(host);
    }

    @Test
    public void binaryGarbageInHwirqMakesOnlyThatAdapterUnavailable() throws Exception {
        hostWithTwoAdapters();
        tree.writeBytes("/sys/kernel/irq/41/hwirq", GARBAGE);
        Host host = scan();
        assertEquals("/sys/kernel/irq/41/hwirq: '\\ufffd\\ufffd\\u0000\\ufffd\\ufffd' is not a number", unavailable(host, NVME_BDF));
        assertTheOtherAdapterStillAnswers(host);
    }

    @Test
    public void binaryGarbageInAnAffinityListMakesOnlyThatAdapterUnavailable() throws Exception {
        hostWithTwoAdapters();
        tree.writeBytes("/proc/irq/42/effective_affinity_list", GARBAGE);
        Host host = scan();
        String reason = unavailable(host, NVME_BDF);
        assertTrue(reason, reason.startsWith("/proc/irq/42/effective_affinity_list: '\\ufffd\\ufffd\\u0000\\ufffd\\ufffd' is not a CPU list"));
        assertTheOtherAdapterStillAnswers(host);
    }

    @Test
    public void aMissingSmpAffinityListMakesOnlyThatAdapterUnavailable() throws Exception {
        hostWithTwoAdapters();
        tree.delete("/proc/irq/41/smp_affinity_list");
        Host host = scan();
        assertEquals("/proc/irq/41/smp_affinity_list: no such file", unavailable(host, "nvme0"));
        assertTheOtherAdapterStillAnswers(host);
    }

    @Test
    public void aHwirqOfAnotherDeviceMakesTheAdapterUnavailable() throws Exception {
        hostWithTwoAdapters();
        // The chip is read once per device, from its first vector: a device's vectors share one MSI domain.
        tree.write("/sys/kernel/irq/40/chip_name", "IR-PCI-MSI").write("/sys/kernel/irq/40/hwirq", "32768");
        Host host = scan();
        assertEquals("/sys/kernel/irq/40/hwirq: hwirq 32768 of the global MSI domain 'IR-PCI-MSI' encodes device 0000:00:02.0, not "
                + NVME_BDF, unavailable(host, NVME_BDF));
        assertTheOtherAdapterStillAnswers(host);
    }

    @Test
    public void twoVectorsClaimingOneMessageMakeTheAdapterUnavailable() throws Exception {
        hostWithTwoAdapters();
        tree.write("/sys/kernel/irq/42/hwirq", "1");
        assertEquals("/sys/bus/pci/devices/0000:01:00.0/msi_irqs: IRQs 41 and 42 both claim message 1", unavailable(scan(), NVME_BDF));
    }

    @Test
    public void aGarbledClassMakesTheFunctionAnUnavailableAdapter() throws Exception {
        hostWithTwoAdapters();
        tree.writeBytes(tree.host("/sys/bus/pci/devices/" + NVME_BDF).toRealPath().resolve("class").toString()
                .substring(tree.root.toString().length()), GARBAGE);
        Host host = scan();
        assertEquals("/sys/bus/pci/devices/0000:01:00.0/class: '\\ufffd\\ufffd\\u0000\\ufffd\\ufffd' is not a hex number such as 0x010802",
                unavailable(host, NVME_BDF));
        assertTheOtherAdapterStillAnswers(host);
    }

    @Test
    public void aDanglingPciDeviceLinkIsAnUnavailableAdapterNamingWhatIsMissing() throws Exception {
        hostWithTwoAdapters();
        tree.link("/sys/bus/pci/devices/0000:00:07.0", "/sys/devices/pci0000:00/0000:00:07.0");
        Host host = scan();
        assertEquals("/sys/bus/pci/devices/0000:00:07.0/class: no such file: /sys/devices/pci0000:00/0000:00:07.0 does not exist",
                unavailable(host, "0000:00:07.0"));
        assertTheOtherAdapterStillAnswers(host);
        assertArrayEquals(new int[] {1, 1, 2, 2}, map(host, "nvme0"));
    }

    @Test
    public void aDanglingBlockDeviceLinkIsNoAlias() throws Exception {
        hostWithTwoAdapters();
        tree.link("/sys/block/vdb", "/sys/devices/pci0000:00/" + VIRTIO_BDF + "/virtio1/block/vdb");
        Host host = scan();
        assertNull(host.find("vdb"));
        assertEquals(List.of("vda"), host.adapter(VIRTIO_BDF).aliases());
        assertTheOtherAdapterStillAnswers(host);
    }

    @Test
    public void linksOutOfTheRootAreNeverFollowed() throws Exception {
        hostWithTwoAdapters();
        // A complete, valid NVMe function outside the root: following the links would make it an adapter.
        FixtureTree outside = new FixtureTree(tmp.newFolder("outside").toPath());
        FixtureTree.Pci evil = outside.nvmePci("0000:00:09.0", 0);
        outside.msix(evil, 90, 0, "nvme9q0", "0-3", null);
        outside.nvmeDisk(evil, "nvme9", "nvme9n1", "0-3");
        String up = "../../../../../outside";
        tree.rawLink("/sys/bus/pci/devices/0000:00:09.0", up + evil.path());
        tree.rawLink("/sys/block/nvme9n1", "../../../outside" + evil.path() + "/nvme/nvme9/nvme9n1");
        assertTrue("the OS would follow them", Files.exists(tree.host("/sys/bus/pci/devices/0000:00:09.0/class")));

        RecordingSource source = new RecordingSource(source());
        Host host = scanner.scan(source);
        String reason = unavailable(host, "0000:00:09.0");
        assertTrue(reason, reason.startsWith("/sys/bus/pci/devices/0000:00:09.0/class: leads outside the root "));
        assertNull(host.find("nvme9n1"));
        assertTrue(source.reads.stream().noneMatch(p -> p.contains("nvme9") && !p.equals("/sys/block/nvme9n1")));
        assertTheOtherAdapterStillAnswers(host);
    }

    @Test
    public void aNameTwoAdaptersWouldAnswerToStaysWithTheFirst() throws Exception {
        hostWithTwoAdapters();
        // A capture whose NVMe controller is called like the virtio disk: one name must select one adapter.
        tree.link("/sys/class/nvme/vda", "/sys/devices/pci0000:00/0000:00:01.0/" + NVME_BDF + "/nvme/nvme0");
        Host host = scan();
        assertEquals(VIRTIO_BDF, host.adapter("vda").id());
        assertEquals(List.of("nvme0n1", "nvme0"), host.adapter(NVME_BDF).aliases());
        assertArrayEquals(new int[] {1, 1, 2, 2}, map(host, "nvme0"));
    }

    @Test
    public void withoutProcInterruptsOnAnOldKernelTheAdaptersAreUnavailable() throws Exception {
        tree.cpus(2);
        FixtureTree.Pci dev = tree.nvmePci(NVME_BDF, 0);
        tree.oldVector(dev, 45, "0-1");
        assertEquals("/proc/interrupts: no such file", unavailable(scan(), NVME_BDF));
    }

    private String fatal() {
        try {
            scan();
        } catch (LinuxInputException e) {
            return e.getMessage();
        }
        fail("the scan succeeded");
        return null;
    }
}
