package storport.linux;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

import storport.api.Adapter;
import storport.api.GroupAffinity;
import storport.api.Host;
import storport.api.InterruptMode;
import storport.api.MessageInterrupt;
import storport.api.Processor;
import storport.api.ProcessorNumber;
import storport.api.Topology;

/** Whole hosts read through DirectorySource; every expectation worked out by hand from the tree. */
public class LinuxHostScannerTest extends ScannerFixture {

    /**
     * 8 CPUs on 2 packages/nodes with SMT: node 0 = CPUs 0,1,4,5 (siblings 0/4, 1/5), node 1 = 2,3,6,7.
     * One group of 8, so index = CPU number.
     */
    private void twoNodesWithSmt() throws Exception {
        tree.online("0-7").nodes("0-1").node(0, "0-1,4-5").node(1, "2-3,6-7");
        for (int cpu = 0; cpu < 8; cpu++) {
            tree.cpu(cpu, (cpu % 4) / 2, cpu % 2);
        }
    }

    @Test
    public void nvmeWithFewerQueuesThanCpusOnTwoNodes() throws Exception {
        twoNodesWithSmt();
        FixtureTree.Pci dev = tree.pci(NVME_BDF, "0x010802", "0x144d", "0xa808", 1, "nvme");
        tree.msix(dev, 40, 0, "nvme0q0", "0-7", "3");
        tree.msix(dev, 41, 1, "nvme0q1", "0-1,4-5", "4");
        tree.msix(dev, 42, 2, "nvme0q2", "2-3,6-7", "6");
        tree.nvmeDisk(dev, "nvme0", "nvme0n1", "0, 1, 4, 5", "2, 3, 6, 7");

        Host host = scan();
        assertEquals("native", host.backend());
        Topology t = host.topology();
        assertEquals(8, t.processorCount());
        assertEquals(1, t.activeGroupCount());
        assertEquals(List.of(0, 1), t.nodes());
        assertEquals(new Processor(2, new ProcessorNumber(0, 2), 1, 1, 0, 2), t.processor(2));
        assertEquals(new Processor(4, new ProcessorNumber(0, 4), 0, 0, 0, 4), t.processor(4));   // SMT sibling of 0
        assertEquals(List.of(new GroupAffinity(0, 0xCC)), t.nodeAffinity(1));

        Adapter a = host.adapter("nvme0n1");
        assertSame(a, host.adapter("nvme0"));
        assertSame(a, host.adapter(NVME_BDF));
        assertEquals(NVME_BDF, a.id());
        assertEquals(List.of("nvme0n1", "nvme0"), a.aliases());
        assertEquals(1, a.node());
        assertEquals("nvme", a.driver());
        assertEquals("blk-mq (pci 144d:a808)", a.policy());
        assertEquals(3, a.messageCount());
        assertEquals(1, a.firstRedirectionMessage());
        assertEquals(2, a.lastRedirectionMessage());
        assertArrayEquals(new int[] {1, 1, 2, 2, 1, 1, 2, 2}, map(host, "nvme0"));

        assertEquals(new MessageInterrupt(0, 0, 0, 0, 0, InterruptMode.LATCHED, "nvme0q0", 40, List.of(new GroupAffinity(0, 0xFF)),
                List.of(0, 1, 2, 3, 4, 5, 6, 7), List.of(3)), a.message(0));
        assertEquals(new MessageInterrupt(1, 0, 0, 0, 0, InterruptMode.LATCHED, "nvme0q1", 41, List.of(new GroupAffinity(0, 0x33)),
                List.of(0, 1, 4, 5), List.of(4)), a.message(1));
        assertEquals(new MessageInterrupt(2, 0, 0, 0, 0, InterruptMode.LATCHED, "nvme0q2", 42, List.of(new GroupAffinity(0, 0xCC)),
                List.of(2, 3, 6, 7), List.of(6)), a.message(2));
    }

    @Test
    public void theQueueMapWinsOverAffinityAndMatchesHandlersExactly() throws Exception {
        twoNodesWithSmt();
        FixtureTree.Pci dev = tree.nvmePci(NVME_BDF, 0);
        // Unmanaged vectors moved by irqbalance: affinity alone (step 2) would send everything to message 1.
        tree.msix(dev, 40, 0, "nvme0q0", "0-7", null);
        tree.msix(dev, 41, 1, "nvme0q11", "0-7", null);   // "nvme0q1" is a prefix of it, not its name
        tree.msix(dev, 42, 2, "nvme0q1", "0-7", null);
        tree.msix(dev, 43, 3, "nvme0q2", "0-7", null);
        tree.nvmeDisk(dev, "nvme0", "nvme0n1", "0, 1, 4, 5", "2, 3, 6, 7");
        assertArrayEquals(new int[] {2, 2, 3, 3, 2, 2, 3, 3}, map(scan(), "nvme0n1"));
    }

    @Test
    public void asManyQueuesAsCpusWithIndexesFromHwirqNotIrqOrder() throws Exception {
        tree.cpus(4);
        FixtureTree.Pci dev = tree.nvmePci(NVME_BDF, 0);
        tree.msix(dev, 60, 0, "nvme0q0", "0-3", null);
        tree.msix(dev, 61, 3, "nvme0q3", "2", null);
        tree.msix(dev, 62, 1, "nvme0q1", "0", null);
        tree.msix(dev, 63, 4, "nvme0q4", "3", null);
        tree.msix(dev, 64, 2, "nvme0q2", "1", null);
        tree.nvmeDisk(dev, "nvme0", "nvme0n1", "0", "1", "2", "3");

        Host host = scan();
        Adapter a = host.adapter("nvme0");
        assertArrayEquals(new int[] {1, 2, 3, 4}, map(host, "nvme0"));
        assertEquals(5, a.messageCount());
        assertEquals(61, a.message(3).irq());
        assertEquals("nvme0q3", a.message(3).name());
        assertEquals(List.of(2), a.message(3).processors());
        assertEquals("no effective_affinity_list: delivered where requested", List.of(2), a.message(3).effective());
        assertEquals(62, a.message(1).irq());
        assertEquals(1, a.firstRedirectionMessage());
    }

    @Test
    public void theOldGlobalMsiDomainEncodingDecodesToTableIndexes() throws Exception {
        tree.cpus(4);
        FixtureTree.Pci dev = tree.nvmePci(NVME_BDF, 0);
        // IR-PCI-MSI 524288 + i: 0000:01:00.0 has pci_dev_id 0x100, 0x100 << 11 = 524288.
        tree.vector(dev, 45, 524288, "IR-PCI-MSI", "nvme0q0", "0-3", "0");
        tree.vector(dev, 46, 524289, "IR-PCI-MSI", "nvme0q1", "0-1", "1");
        tree.vector(dev, 47, 524290, "IR-PCI-MSI", "nvme0q2", "2-3", "2");
        tree.nvmeDisk(dev, "nvme0", "nvme0n1", "0, 1", "2, 3");

        Host host = scan();
        Adapter a = host.adapter(NVME_BDF);
        assertEquals(3, a.messageCount());
        assertEquals(46, a.message(1).irq());
        assertEquals("nvme0q1", a.message(1).name());
        assertEquals(List.of(1), a.message(1).effective());
        assertArrayEquals(new int[] {1, 1, 2, 2}, map(host, NVME_BDF));
    }

    @Test
    public void singleVectorNvmeSharesMessageZeroForEveryQueue() throws Exception {
        tree.cpus(4);
        FixtureTree.Pci dev = tree.nvmePci(NVME_BDF, 0);
        // MSI fallback: one vector, the admin and the only I/O queue both on it (sysfs joins handlers with ",").
        tree.vector(dev, 50, 0, "PCI-MSI-" + NVME_BDF, "nvme0q0,nvme0q1", "0-3", "2");
        tree.nvmeDisk(dev, "nvme0", "nvme0n1", "0, 1, 2, 3");

        Host host = scan();
        Adapter a = host.adapter("nvme0n1");
        assertEquals(1, a.messageCount());
        assertEquals(0, a.firstRedirectionMessage());
        assertEquals(0, a.lastRedirectionMessage());
        assertEquals("nvme0q0, nvme0q1", a.message(0).name());
        assertEquals("blk-mq (pci 144d:a808)", a.policy());
        assertArrayEquals(new int[] {0, 0, 0, 0}, map(host, "nvme0n1"));
    }

    @Test
    public void virtioBlkLikeThisMachine() throws Exception {
        tree.cpus(2);
        virtioBlk("0-1");

        Host host = scan();
        Adapter a = host.adapter("vda");
        assertEquals(VIRTIO_BDF, a.id());
        assertEquals(List.of("vda"), a.aliases());
        assertEquals(-1, a.node());
        assertEquals("virtio-pci", a.driver());
        assertEquals("blk-mq (pci 1af4:1042)", a.policy());
        assertEquals(2, a.messageCount());
        assertEquals(1, a.firstRedirectionMessage());
        assertEquals(1, a.lastRedirectionMessage());
        assertEquals("virtio1-config", a.message(0).name());
        assertEquals(35, a.message(0).irq());
        assertEquals("virtio1-req.0", a.message(1).name());
        assertEquals(List.of(1), a.message(1).effective());
        assertArrayEquals(new int[] {1, 1}, map(host, "vda"));
    }

    @Test
    public void virtioBlkWithSeveralRequestQueues() throws Exception {
        tree.cpus(4);
        FixtureTree.Pci dev = tree.pci(VIRTIO_BDF, "0x010000", "0x1af4", "0x1001", 0, "virtio-pci");
        tree.msix(dev, 35, 0, "virtio3-config", "0-3", null);
        tree.msix(dev, 36, 1, "virtio3-req.0", "0-3", null);
        tree.msix(dev, 37, 2, "virtio3-req.1", "0-3", null);
        tree.virtioDisk(dev, "virtio3", "vdb", "0, 1", "2, 3");
        assertArrayEquals(new int[] {1, 1, 2, 2}, map(scan(), "vdb"));
    }

    @Test
    public void withoutBlkMqTheLowestRedirectionMessageTargetingTheProcessorServesIt() throws Exception {
        tree.cpus(4);
        FixtureTree.Pci hba = tree.pci("0000:02:00.0", "0x010700", "0x1000", "0x0097", 0, "mpt3sas");
        tree.msix(hba, 70, 0, "mpt3sas0-msix0", "0-1", null);
        tree.msix(hba, 71, 1, "mpt3sas0-msix1", "1-2", null);
        // A SCSI disk with blk-mq queues whose vectors the scanner cannot name: rule step 2 answers.
        tree.disk(hba.path() + "/host0/target0:0:0/0:0:0:0/block/sda", "sda", "0, 1, 2, 3");

        Host host = scan();
        Adapter a = host.adapter("sda");
        assertEquals("0000:02:00.0", a.id());
        assertEquals("affinity (pci 1000:0097)", a.policy());
        assertEquals("mpt3sas", a.driver());
        assertEquals(0, a.firstRedirectionMessage());
        assertEquals(1, a.lastRedirectionMessage());
        assertArrayEquals(new int[] {0, 0, 1, -1}, map(host, "sda"));
        assertEquals("no message of adapter 0000:02:00.0 serves processor 3: no queue maps it and no message in 0..1 targets it",
                unsuccessful(host, "sda", 3));
    }

    @Test
    public void sparseOnlineCpusGetContiguousIndexes() throws Exception {
        tree.online("0-1,4-5");
        for (int cpu = 0; cpu < 6; cpu++) {
            tree.cpu(cpu, 0, cpu);   // 2 and 3 are offline: their files exist but do not count
        }
        FixtureTree.Pci dev = tree.nvmePci(NVME_BDF, 0);
        tree.msix(dev, 40, 0, "nvme0q0", "0-5", "2");
        tree.msix(dev, 41, 1, "nvme0q1", "0-2", "1");
        tree.msix(dev, 42, 2, "nvme0q2", "3-5", "5");
        tree.nvmeDisk(dev, "nvme0", "nvme0n1", "0, 1, 2", "3, 4, 5");

        Host host = scan();
        Topology t = host.topology();
        assertEquals(4, t.processorCount());
        assertEquals(List.of(0), t.nodes());   // no node directory: node 0
        assertEquals(4, t.processor(2).cpu());
        assertEquals(5, t.processor(3).cpu());
        assertEquals(-1, t.indexOfCpu(2));
        assertEquals(2, t.indexOfCpu(4));
        Adapter a = host.adapter("nvme0");
        assertEquals(List.of(0, 1, 2, 3), a.message(0).processors());
        assertEquals("CPU 2 is offline: no processor", List.of(), a.message(0).effective());
        assertEquals(List.of(0, 1), a.message(1).processors());
        assertEquals(List.of(2, 3), a.message(2).processors());
        assertEquals(List.of(3), a.message(2).effective());
        assertEquals(List.of(new GroupAffinity(0, 0xC)), a.message(2).targets());
        assertArrayEquals(new int[] {1, 1, 2, 2}, map(host, "nvme0"));
    }

    @Test
    public void aGapInTheTableIsAPlaceholderMessage() throws Exception {
        tree.cpus(2);
        FixtureTree.Pci dev = tree.nvmePci(NVME_BDF, 0);
        tree.msix(dev, 40, 0, "nvme0q0", "0-1", null);
        tree.msix(dev, 41, 1, "nvme0q1", "0", null);
        tree.msix(dev, 43, 3, "nvme0q3", "1", null);
        Host host = scan();
        Adapter a = host.adapter(NVME_BDF);
        assertEquals(4, a.messageCount());
        assertEquals(new MessageInterrupt(2, 0, 0, 0, 0, InterruptMode.LATCHED, "", -1, List.of(), List.of(), List.of()), a.message(2));
        assertEquals("no block device: affinity (pci 144d:a808)", "affinity (pci 144d:a808)", a.policy());
        assertArrayEquals(new int[] {1, 3}, map(host, NVME_BDF));
    }

    @Test
    public void onlyStorageFunctionsWithMessagesAreAdaptersAndOnlyTheirDisksAreAliases() throws Exception {
        tree.cpus(2);
        virtioBlk("0-1");
        FixtureTree.Pci nvme = tree.nvmePci(NVME_BDF, 0);
        tree.msix(nvme, 40, 0, "nvme0q0", "0-1", null);
        tree.msix(nvme, 41, 1, "nvme0q1", "0-1", null);
        tree.nvmeDisk(nvme, "nvme0", "nvme0n1", "0, 1");
        tree.nvmeDisk(nvme, "nvme0", "nvme0n2", "0, 1");
        FixtureTree.Pci net = tree.pci("0000:00:03.0", "0x020000", "0x1af4", "0x1041", -1, "virtio-pci");
        tree.msix(net, 37, 0, "virtio2-config", "0-1", null);
        tree.msix(net, 38, 1, "virtio2-input.0", "0-1", null);
        tree.pci("0000:00:01.0", "0x060400", "0x8086", "0x7191", -1, "pcieport");
        tree.pci("0000:00:1f.2", "0x010601", "0x8086", "0x2922", -1, "ahci");   // storage, but INTx only: no messages
        tree.virtualDisk("loop0").virtualDisk("zram0");
        // NVMe multipath head: lives under nvme-subsystem, in no PCI function.
        tree.disk("/sys/devices/virtual/nvme-subsystem/nvme-subsys1/nvme1n1", "nvme1n1");

        Host host = scan();
        assertEquals(List.of(VIRTIO_BDF, NVME_BDF), host.adapters().stream().map(Adapter::id).toList());
        assertEquals(List.of("vda"), host.adapter(VIRTIO_BDF).aliases());
        assertEquals(List.of("nvme0n1", "nvme0n2", "nvme0"), host.adapter(NVME_BDF).aliases());
        for (String ignored : new String[] {"loop0", "zram0", "nvme1n1", "0000:00:03.0", "0000:00:01.0", "0000:00:1f.2"}) {
            assertNull(ignored, host.find(ignored));
        }
        assertArrayEquals(new int[] {1, 1}, map(host, "vda"));
        assertArrayEquals(new int[] {1, 1}, map(host, "nvme0n2"));
    }

    @Test
    public void whenBlockDevicesDisagreeTheFirstWins() throws Exception {
        tree.cpus(4);
        FixtureTree.Pci dev = tree.nvmePci(NVME_BDF, 0);
        tree.msix(dev, 40, 0, "nvme0q0", "0-3", null);
        tree.msix(dev, 41, 1, "nvme0q1", "0-3", null);
        tree.msix(dev, 42, 2, "nvme0q2", "0-3", null);
        tree.nvmeDisk(dev, "nvme0", "nvme0n1", "0, 1", "2, 3");
        tree.nvmeDisk(dev, "nvme0", "nvme0n2", "2, 3", "0, 1");
        assertArrayEquals(new int[] {1, 1, 2, 2}, map(scan(), "nvme0n2"));
    }

    @Test
    public void aHostWithoutPciHasNoAdapters() throws Exception {
        tree.cpus(3);
        Host host = scan();
        assertEquals(3, host.topology().processorCount());
        assertTrue(host.adapters().isEmpty());
    }
}
