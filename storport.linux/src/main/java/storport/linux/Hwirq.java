package storport.linux;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an interrupt's {@code hwirq} into the device's MSI-X table index (the StorPort message ID).
 *
 * <p>Current kernels give every PCI function its own MSI domain, named after the device
 * ({@code PCI-MSIX-0000:00:02.0}, {@code PCI-MSI-0000:00:02.0}, {@code IR-PCI-MSIX-...}): there the
 * hwirq is the index. Older kernels (and some platforms) have one global PCI/MSI domain
 * ({@code PCI-MSI}, {@code IR-PCI-MSI}, {@code ITS-MSI}, ...) whose hwirq packs
 * {@code index | pci_dev_id << 11 | domain << 27} ({@code pci_msi_domain_calc_hwirq}); the device
 * part is checked against the device the vector belongs to, so a wrong guess is an error, not an
 * answer.
 */
public final class Hwirq {
    /** The index field of the global encoding: MSI-X tables hold at most 2048 entries. */
    static final int INDEX_MASK = 0x7FF;
    private static final Pattern DEVICE_CHIP = Pattern.compile("(?:^|-)(" + PciAddress.FORMAT.pattern() + ")$");

    private Hwirq() {
    }

    /**
     * The MSI-X table index of a vector of {@code device}.
     *
     * @param path   the file the hwirq came from, for messages
     * @param hwirq  the hwirq number
     * @param chip   the irq chip name ({@code chip_name}, or the chip column of /proc/interrupts)
     * @param device the PCI function that owns the vector
     * @throws LinuxInputException when the hwirq does not decode to an index of that device
     */
    public static int messageIndex(String path, long hwirq, String chip, PciAddress device) throws LinuxInputException {
        return messageIndex(path, hwirq, chip, owner(path, chip), device);
    }

    /**
     * The device a per-device MSI domain's chip is named after ({@code PCI-MSIX-0000:00:02.0}), or
     * null for a global domain ({@code IR-PCI-MSI}): the same for all vectors of a device, so a
     * scan works it out once per chip name.
     */
    static PciAddress owner(String path, String chip) throws LinuxInputException {
        Matcher m = DEVICE_CHIP.matcher(chip.strip());
        return m.find() ? PciAddress.parse(path, m.group(1)) : null;
    }

    /** {@link #messageIndex(String, long, String, PciAddress)} with the chip's {@link #owner} worked out. */
    static int messageIndex(String path, long hwirq, String chip, PciAddress owner, PciAddress device) throws LinuxInputException {
        String name = chip.strip();
        if (owner != null) {
            if (!owner.equals(device)) {
                throw new LinuxInputException(path, "chip " + SysfsText.quote(name) + " belongs to " + owner + ", not " + device);
            }
            if (hwirq < 0 || hwirq > INDEX_MASK) {
                throw new LinuxInputException(path, "hwirq " + hwirq + " of chip " + SysfsText.quote(name)
                        + " is not an MSI-X table index (0.." + INDEX_MASK + ")");
            }
            return (int) hwirq;
        }
        long devId = (hwirq >>> 11) & 0xFFFF;
        long domain = hwirq >>> 27;
        if (devId != device.devId() || domain != device.domain()) {
            throw new LinuxInputException(path, "hwirq " + hwirq + " of the global MSI domain " + SysfsText.quote(name)
                    + " encodes device " + String.format("%04x:%02x:%02x.%x", domain, devId >> 8, (devId >> 3) & 0x1F, devId & 7)
                    + ", not " + device);
        }
        return (int) (hwirq & INDEX_MASK);
    }

    /** The same from the text of a {@code hwirq} file. */
    public static int messageIndex(String path, String hwirqText, String chip, PciAddress device) throws LinuxInputException {
        return messageIndex(path, SysfsText.parseUnsigned(path, hwirqText), chip, device);
    }
}
