package storport.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * PCI addresses, irq chip names and hwirqs: a PCI address parses to an address that prints back as
 * itself (lower case); a hwirq decodes to an MSI-X index 0..2047 of the given device or is a
 * {@link LinuxInputException}; every index a kernel encodes (either encoding) decodes back.
 */
class HwirqFuzzTest {
    private static final String PATH = "/sys/kernel/irq/36/hwirq";

    @FuzzTest(maxDuration = "20s")
    void hwirq(FuzzedDataProvider data) {
        // Encode, decode: a valid device and index, in both kernel encodings.
        PciAddress device = new PciAddress(data.consumeLong(0, 0xFFFFFFFFL), data.consumeInt(0, 0xFF), data.consumeInt(0, 0x1F),
                data.consumeInt(0, 7));
        int index = data.consumeInt(0, Hwirq.INDEX_MASK);
        try {
            assertEquals(device, PciAddress.parse(PATH, device.toString()));
            assertEquals(index, Hwirq.messageIndex(PATH, index, "PCI-MSIX-" + device, device));
            assertEquals(index, Hwirq.messageIndex(PATH, Long.toString(index) + "\n", "IR-PCI-MSIX-" + device + "\n", device));
            long global = index | (long) device.devId() << 11 | device.domain() << 27;
            assertEquals(index, Hwirq.messageIndex(PATH, global, "IR-PCI-MSI", device));
        } catch (LinuxInputException e) {
            throw new AssertionError("a kernel's encoding was refused: " + e.getMessage(), e);
        }

        // Anything.
        long hwirq = data.consumeLong();
        String hwirqText = data.consumeString(24);
        String address = data.consumeString(20);
        String chip = data.consumeRemainingAsString();
        try {
            PciAddress parsed = PciAddress.parse(PATH, address);
            assertEquals(parsed, PciAddress.parse(PATH, parsed.toString()));
            device = parsed;
        } catch (LinuxInputException e) {
            checkError(e);
        }
        try {
            checkIndex(Hwirq.messageIndex(PATH, hwirq, chip, device));
        } catch (LinuxInputException e) {
            checkError(e);
        }
        try {
            checkIndex(Hwirq.messageIndex(PATH, hwirqText, chip, device));
        } catch (LinuxInputException e) {
            checkError(e);
        }
    }

    private static void checkIndex(int index) {
        assertTrue(index >= 0 && index <= Hwirq.INDEX_MASK, "index " + index);
    }

    private static void checkError(LinuxInputException e) {
        assertEquals(PATH, e.path());
        assertTrue(e.getMessage().startsWith(PATH + ": "), e.getMessage());
    }
}
