package storport.linux;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.StorPortException;
import storport.api.StorStatus;

/** A question about one adapter re-reads that adapter only, and answers as a full scan would. */
public class RescanAdapterTest extends ScannerFixture {
    static final String NVME1_BDF = "0000:02:00.0";

    /** 4 CPUs, virtio-blk vda, nvme0 (2 queues) and nvme1 (2 queues) on another root port. */
    private void host() throws Exception {
        tree.cpus(4);
        virtioBlk("0-3");
        nvme("0-3", "0-1", "2-3");
        FixtureTree.Pci dev = tree.nvmePci(NVME1_BDF, 0);
        tree.msix(dev, 50, 0, "nvme1q0", "0-3", null);
        tree.msix(dev, 51, 1, "nvme1q1", "0-1", null);
        tree.msix(dev, 52, 2, "nvme1q2", "2-3", null);
        tree.nvmeDisk(dev, "nvme1", "nvme1n1", "0, 1", "2, 3");
    }

    /** Everything a scan says about an adapter, for comparing two scans. */
    static String describe(Host host, Adapter a) {
        StringBuilder b = new StringBuilder();
        b.append(a).append(" aliases ").append(a.aliases()).append(" node ").append(a.node()).append(" driver ").append(a.driver())
                .append(" policy ").append(a.policy()).append(" unavailable ").append(a.unavailableReason()).append(" redirection ")
                .append(a.firstRedirectionMessage()).append("..").append(a.lastRedirectionMessage()).append('\n');
        a.messages().forEach(m -> b.append(m).append('\n'));
        for (int p = 0; p < host.topology().processorCount(); p++) {
            b.append(p).append("->").append(a.messageOf(p)).append(' ');
        }
        return b.toString();
    }

    static String describe(Host host) {
        List<String> out = new ArrayList<>();
        host.adapters().forEach(a -> out.add(describe(host, a)));
        return host.backend() + " " + host.topology().processors() + "\n" + String.join("\n", out);
    }

    @Test
    public void readsOnlyThatAdaptersFilesAndAnswersAsAFullScan() throws Exception {
        host();
        Host full = scan();
        // The adapter changes: its vectors move and its queues follow.
        tree.write("/proc/irq/41/smp_affinity_list", "0").write("/proc/irq/42/smp_affinity_list", "1-3");
        String mq = "/sys/devices/pci0000:00/0000:00:01.0/" + NVME_BDF + "/nvme/nvme0/nvme0n1/mq/";
        tree.write(mq + "0/cpu_list", "0").write(mq + "1/cpu_list", "1, 2, 3");

        RecordingSource recording = new RecordingSource(source());
        Host rescanned = scanner.rescanAdapter(recording, full, "nvme0n1");

        assertEquals(describe(scan()), describe(rescanned));
        assertEquals(List.of(1, 2, 2, 2), List.of(map(rescanned, "nvme0")[0], map(rescanned, "nvme0")[1], map(rescanned, "nvme0")[2],
                map(rescanned, "nvme0")[3]));
        assertSame("the topology is reused", full.topology(), rescanned.topology());
        assertSame("the other adapters are kept", full.adapter("vda"), rescanned.adapter("vda"));
        assertSame(full.adapter("nvme1"), rescanned.adapter("nvme1"));
        for (String path : recording.reads) {
            assertTrue(path, !path.startsWith("/sys/devices/system/") && !path.equals("/proc/interrupts"));
            for (String other : List.of(VIRTIO_BDF, NVME1_BDF, "/vda", "nvme1", "/35/", "/36/", "/50/", "/51/", "/52/")) {
                assertTrue(path + " belongs to another adapter", !path.contains(other));
            }
        }
        assertTrue(recording.reads.toString(), recording.reads.contains("/proc/irq/42/smp_affinity_list"));
        assertTrue(recording.reads.toString(), recording.reads.contains(mq.replace("/sys/devices/pci0000:00/0000:00:01.0/" + NVME_BDF
                + "/nvme/nvme0", "/sys/block") + "1/cpu_list"));
    }

    @Test
    public void anyNameOfTheAdapterWorksAndUnknownNamesAreRefused() throws Exception {
        host();
        Host full = scan();
        String expected = describe(full);
        for (String name : List.of(NVME_BDF, "nvme0", "nvme0n1", VIRTIO_BDF, "vda", "nvme1")) {
            assertEquals(name, expected, describe(scanner.rescanAdapter(source(), full, name)));
        }
        try {
            scanner.rescanAdapter(source(), full, "sda");
            fail("sda answered");
        } catch (StorPortException e) {
            assertEquals(StorStatus.INVALID_PARAMETER, e.status());
            assertTrue(e.getMessage(), e.getMessage().contains("unknown adapter 'sda'"));
        }
    }

    @Test
    public void aFunctionThatWentAwayLeavesTheHostAndANewOneByAddressJoins() throws Exception {
        host();
        Host full = scan();
        tree.delete("/sys/bus/pci/devices/" + NVME1_BDF);
        Host without = scanner.rescanAdapter(source(), full, "nvme1");
        assertNull(without.find("nvme1"));
        assertNull(without.find(NVME1_BDF));
        assertEquals(describe(scan()), describe(without));

        tree.link("/sys/bus/pci/devices/" + NVME1_BDF, "/sys/devices/pci0000:00/0000:00:01.0/" + NVME1_BDF);
        Host back = scanner.rescanAdapter(source(), without, NVME1_BDF);
        assertEquals(describe(full), describe(back));
    }

    @Test
    public void aBrokenAdapterIsUnavailableAsInAFullScan() throws Exception {
        host();
        Host full = scan();
        tree.delete("/proc/irq/51/smp_affinity_list");
        Host rescanned = scanner.rescanAdapter(source(), full, "nvme1");
        assertEquals("/proc/irq/51/smp_affinity_list: no such file", unavailable(rescanned, "nvme1"));
        assertEquals(describe(scan()), describe(rescanned));
        assertNotEquals(describe(full), describe(rescanned));
    }
}
