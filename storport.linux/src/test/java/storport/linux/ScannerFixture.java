package storport.linux;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.util.List;

import org.junit.Before;
import org.junit.Rule;
import org.junit.rules.TemporaryFolder;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.StorPortException;
import storport.api.StorStatus;

/** What the scanner tests share: a fresh tree per test, a scan, and the processor -> message map. */
abstract class ScannerFixture {
    static final String NVME_BDF = "0000:01:00.0";
    static final String VIRTIO_BDF = "0000:00:02.0";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    FixtureTree tree;
    final LinuxHostScanner scanner = new LinuxHostScanner();

    @Before
    public void newTree() throws IOException {
        tree = new FixtureTree(tmp.newFolder("root").toPath());
    }

    DirectorySource source() {
        return new DirectorySource(tree.root);
    }

    Host scan() throws LinuxInputException {
        return scanner.scan(source());
    }

    /** The seed call's answer for every processor, -1 where it is not SUCCESS. */
    static int[] map(Host host, String adapter) {
        int n = host.topology().processorCount();
        int[] out = new int[n];
        for (int p = 0; p < n; p++) {
            out[p] = host.adapter(adapter).messageOf(p);
        }
        return out;
    }

    /** The seed call fails UNSUCCESSFUL for processor p; returns the reason. */
    static String unsuccessful(Host host, String adapter, int p) {
        try {
            int m = host.messageInterruptId(adapter, p);
            fail("processor " + p + " answered " + m);
        } catch (StorPortException e) {
            assertEquals(e.getMessage(), StorStatus.UNSUCCESSFUL, e.status());
            return e.reason();
        }
        return null;
    }

    /** The reason an adapter is unavailable; fails if it is available. */
    static String unavailable(Host host, String adapter) {
        Adapter a = host.adapter(adapter);
        if (a.unavailableReason() == null) {
            fail(adapter + " is available");
        }
        assertEquals(0, a.messageCount());
        assertEquals("adapter " + a.id() + " is unavailable: " + a.unavailableReason(), unsuccessful(host, adapter, 0));
        return a.unavailableReason();
    }

    /** virtio-blk as on this machine's kind of VM: config on message 0, one request queue on message 1. */
    FixtureTree.Pci virtioBlk(String cpuList) throws IOException {
        FixtureTree.Pci vda = tree.pci(VIRTIO_BDF, "0x018000", "0x1af4", "0x1042", -1, "virtio-pci");
        tree.msix(vda, 35, 0, "virtio1-config", cpuList, "1");
        tree.msix(vda, 36, 1, "virtio1-req.0", cpuList, "1");
        tree.virtioDisk(vda, "virtio1", "vda", cpuList.replace(",", ", "));
        return vda;
    }

    /** NVMe nvme0 at 0000:01:00.0: admin vector on all CPUs, then one I/O vector per hctx CPU list. */
    FixtureTree.Pci nvme(String allCpus, String... hctxCpus) throws IOException {
        FixtureTree.Pci dev = tree.nvmePci(NVME_BDF, 0);
        tree.msix(dev, 40, 0, "nvme0q0", allCpus, null);
        String[] mq = new String[hctxCpus.length];
        for (int i = 0; i < hctxCpus.length; i++) {
            tree.msix(dev, 41 + i, i + 1, "nvme0q" + (i + 1), hctxCpus[i], null);
            mq[i] = hctxCpus[i];
        }
        tree.nvmeDisk(dev, "nvme0", "nvme0n1", mq);
        return dev;
    }

    static List<Integer> list(Integer... xs) {
        return List.of(xs);
    }
}
