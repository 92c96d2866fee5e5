package storport.linux;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import org.junit.Test;

public class HwirqTest {
    private static final String HWIRQ = "/sys/kernel/irq/45/hwirq";
    private static final PciAddress VIRTIO = address("0000:00:02.0");
    private static final PciAddress NVME = address("0000:01:00.0");

    @Test
    public void pciDevIdIsBusDeviceFunction() {
        assertEquals(0x20, address("0000:00:04.0").devId());
        assertEquals(0x100, NVME.devId());
        assertEquals(0xe1 << 8 | 0x1f << 3 | 7, address("10000:e1:1f.7").devId());
        assertEquals("10000:e1:1f.7", address("10000:e1:1f.7").toString());
    }

    @Test
    public void onAPerDeviceDomainTheHwirqIsTheIndex() throws Exception {
        assertEquals(1, Hwirq.messageIndex(HWIRQ, "1\n", "PCI-MSIX-0000:00:02.0\n", VIRTIO));
        assertEquals(0, Hwirq.messageIndex(HWIRQ, "0", "PCI-MSI-0000:00:02.0", VIRTIO));
        assertEquals(2047, Hwirq.messageIndex(HWIRQ, "2047", "IR-PCI-MSIX-0000:01:00.0", NVME));
    }

    @Test
    public void theGlobalDomainPacksIndexDeviceAndSegment() throws Exception {
        // IR-PCI-MSI 524289-edge nvme0q1 on 0000:01:00.0: 0x100 << 11 = 524288, index 1.
        assertEquals(1, Hwirq.messageIndex(HWIRQ, "524289", "IR-PCI-MSI", NVME));
        // 0000:00:04.0 has devid 0x20: 0x20 << 11 | 3.
        assertEquals(3, Hwirq.messageIndex(HWIRQ, String.valueOf(0x20 << 11 | 3), "PCI-MSI", address("0000:00:04.0")));
        assertEquals(5, Hwirq.messageIndex(HWIRQ, (1L << 27) | (0x20 << 11) | 5, "ITS-MSI", address("0001:00:04.0")));
        assertEquals(2047, Hwirq.messageIndex(HWIRQ, 524288 + 2047, "IR-PCI-MSIX", NVME));
    }

    @Test
    public void aGlobalHwirqOfAnotherDeviceIsRefusedNotGuessed() {
        assertEquals(HWIRQ + ": hwirq 524289 of the global MSI domain 'IR-PCI-MSI' encodes device 0000:01:00.0, not 0000:00:02.0",
                failure("524289", "IR-PCI-MSI", VIRTIO).getMessage());
        assertEquals("hwirq 1 of the global MSI domain 'PCI-MSI' encodes device 0000:00:00.0, not 0000:01:00.0",
                failure("1", "PCI-MSI", NVME).reason());
        assertEquals("hwirq 524289 of the global MSI domain 'IR-PCI-MSI' encodes device 0000:01:00.0, not 0001:01:00.0",
                failure("524289", "IR-PCI-MSI", address("0001:01:00.0")).reason());
    }

    @Test
    public void aPerDeviceChipOfAnotherDeviceOrAnIndexBeyondTheTableIsRefused() {
        assertEquals("chip 'PCI-MSIX-0000:00:03.0' belongs to 0000:00:03.0, not 0000:00:02.0",
                failure("1", "PCI-MSIX-0000:00:03.0", VIRTIO).reason());
        assertEquals("hwirq 2048 of chip 'PCI-MSIX-0000:00:02.0' is not an MSI-X table index (0..2047)",
                failure("2048", "PCI-MSIX-0000:00:02.0", VIRTIO).reason());
    }

    @Test
    public void garbageInHwirqIsAClearError() {
        assertEquals("'\\ufffd\\u0000x' is not a number", failure("\ufffd\u0000x", "PCI-MSIX-0000:00:02.0", VIRTIO).reason());
        assertEquals("'' is not a number", failure("\n", "PCI-MSIX-0000:00:02.0", VIRTIO).reason());
        assertEquals("'-1' is not a number", failure("-1", "PCI-MSIX-0000:00:02.0", VIRTIO).reason());
    }

    static PciAddress address(String bdf) {
        try {
            return PciAddress.parse("test", bdf);
        } catch (LinuxInputException e) {
            throw new AssertionError(e);
        }
    }

    private static LinuxInputException failure(String hwirq, String chip, PciAddress device) {
        try {
            Hwirq.messageIndex(HWIRQ, hwirq, chip, device);
        } catch (LinuxInputException e) {
            assertEquals(HWIRQ, e.path());
            return e;
        }
        fail("accepted hwirq " + hwirq + " on " + chip);
        return null;
    }
}
