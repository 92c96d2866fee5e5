package storport.linux;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** The cheap change check: same inputs, same fingerprint; any input the answers depend on changes it. */
public class FingerprintTest extends ScannerFixture {

    private String fingerprint() throws LinuxInputException {
        return scanner.fingerprint(source());
    }

    private void host() throws Exception {
        tree.cpus(4);
        virtioBlk("0-3");
        nvme("0-3", "0-1", "2-3");
    }

    @Test
    public void unchangedInputsGiveTheSameFingerprint() throws Exception {
        host();
        String first = fingerprint();
        assertTrue(first, first.matches("[0-9a-f]{64}"));
        assertEquals(first, fingerprint());
        assertEquals(first, scanner.fingerprint(new DirectorySource(tree.root)));
    }

    @Test
    public void anAffinityChangeChangesItAndChangingBackRestoresIt() throws Exception {
        host();
        String before = fingerprint();
        tree.write("/proc/irq/41/smp_affinity_list", "0-2");
        assertNotEquals(before, fingerprint());
        tree.write("/proc/irq/41/smp_affinity_list", "0-1");
        assertEquals(before, fingerprint());
        tree.write("/proc/irq/42/effective_affinity_list", "3");
        assertNotEquals("effective affinity is part of the answers", before, fingerprint());
    }

    @Test
    public void queueCpuListsOnlineCpusAndDevicesChangeIt() throws Exception {
        host();
        String before = fingerprint();
        String mq = tree.host("/sys/block/nvme0n1").toRealPath().toString().substring(tree.root.toString().length()) + "/mq/0/cpu_list";
        tree.write(mq, "0, 1, 2");
        String queues = fingerprint();
        assertNotEquals(before, queues);
        tree.online("0-2");
        String online = fingerprint();
        assertNotEquals(queues, online);
        tree.pci("0000:00:05.0", "0x020000", "0x8086", "0x10d3", -1, null);
        assertNotEquals("a new PCI device", online, fingerprint());
    }

    @Test
    public void aNewVectorChangesIt() throws Exception {
        host();
        String before = fingerprint();
        tree.msix(new FixtureTree.Pci(NVME_BDF, "/sys/devices/pci0000:00/0000:00:01.0/" + NVME_BDF), 43, 3, "nvme0q3", "3", null);
        assertNotEquals(before, fingerprint());
    }

    @Test
    public void itReadsNoPerCpuOrPerIrqKernelFiles() throws Exception {
        host();
        String before = fingerprint();
        tree.write("/sys/devices/system/cpu/cpu1/topology/core_id", "7");
        tree.write("/sys/kernel/irq/41/actions", "renamed");
        assertEquals(before, fingerprint());
        RecordingSource source = new RecordingSource(source());
        scanner.fingerprint(source);
        assertTrue(source.reads.toString(), source.reads.stream().noneMatch(p -> p.contains("/topology/") || p.startsWith("/sys/kernel/irq")
                || p.equals("/proc/interrupts")));
        assertTrue(source.reads.toString(), source.reads.contains("/proc/irq/41/smp_affinity_list"));
    }

    @Test
    public void withoutOnlineCpusItFailsNamingTheFile() throws Exception {
        try {
            fingerprint();
        } catch (LinuxInputException e) {
            assertEquals("/sys/devices/system/cpu/online: no such file: /sys does not exist", e.getMessage());
            return;
        }
        throw new AssertionError("no failure");
    }

    @Test
    public void onAHostLargerThanTheBudgetManagedVectorsAreRereadInTurns() throws Exception {
        host();
        // remembered: vda's queue listing, its queue and its 2 vectors (all CPUs, as its one queue) x 2 files, nvme0's
        // queue listing, 2 queues and 2 I/O vectors x 2 files: 13 items, 2 re-read per check, all within 7 checks
        DirectorySource source = source();
        ChangeCheck check = new ChangeCheck(2);
        String before = check.fingerprint(source);
        assertEquals(before, check.fingerprint(source));
        assertEquals("the same value as a check that remembers nothing", new ChangeCheck(2).fingerprint(source), before);
        RecordingSource recording = new RecordingSource(source);
        ChangeCheck recorded = new ChangeCheck(2);
        recorded.fingerprint(recording);
        for (int call = 0; call < 7; call++) {   // wherever the turn is: 2 remembered items a call
            recording.reads.clear();
            recorded.fingerprint(recording);
            assertEquals(recording.reads.toString(), 2,
                    recording.reads.stream().filter(p -> p.contains("/mq") || p.matches("/proc/irq/(35|36|41|42)/.*")).count());
            assertTrue("the admin vector is read at every check", recording.reads.contains("/proc/irq/40/smp_affinity_list"));
        }

        // the kernel re-spreads the queues (it would re-allocate the vectors): seen within 7 checks
        String mq = tree.host("/sys/block/nvme0n1").toRealPath().toString().substring(tree.root.toString().length()) + "/mq/";
        tree.write(mq + "0/cpu_list", "0").write(mq + "1/cpu_list", "1, 2, 3");
        tree.write("/proc/irq/41/smp_affinity_list", "0").write("/proc/irq/42/smp_affinity_list", "1-3");
        String fresh = new ChangeCheck(2).fingerprint(source);
        assertNotEquals(before, fresh);
        String seen = null;
        for (int i = 0; i < 7 && seen == null; i++) {
            String now = check.fingerprint(source);
            if (!now.equals(before)) {
                seen = now;
            }
        }
        assertEquals("noticed within 7 checks, with the value of a fresh check", fresh, seen);
        assertEquals(fresh, check.fingerprint(source));
    }

    @Test
    public void theAdminVectorIsCheckedEveryTime() throws Exception {
        host();
        DirectorySource source = source();
        ChangeCheck check = new ChangeCheck(1);
        String before = check.fingerprint(source);
        tree.write("/proc/irq/40/smp_affinity_list", "1");
        assertNotEquals(before, check.fingerprint(source));
        tree.write("/proc/irq/40/smp_affinity_list", "0-3");
        assertEquals(before, check.fingerprint(source));
        tree.write("/proc/irq/40/effective_affinity_list", "2");
        assertNotEquals(before, check.fingerprint(source));
    }
}
