package storport.linux;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PCI function address as sysfs names it, {@code DDDD:BB:dd.f} (VMD domains have 5 hex digits).
 *
 * @param domain   the PCI segment
 * @param bus      0..255
 * @param device   0..31
 * @param function 0..7
 */
public record PciAddress(long domain, int bus, int device, int function) {
    static final Pattern FORMAT = Pattern.compile("([0-9a-fA-F]{4,8}):([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-7])");

    public PciAddress {
        if (domain < 0 || domain > 0xFFFFFFFFL || bus < 0 || bus > 0xFF || device < 0 || device > 0x1F || function < 0
                || function > 7) {
            throw new IllegalArgumentException("not a PCI address: " + domain + ":" + bus + ":" + device + "." + function);
        }
    }

    /**
     * Parses {@code 0000:00:02.0}.
     *
     * @throws LinuxInputException naming {@code path} when the text is not a PCI address
     */
    public static PciAddress parse(String path, String text) throws LinuxInputException {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches() || Integer.parseInt(m.group(3), 16) > 0x1F) {
            throw new LinuxInputException(path, SysfsText.quote(text) + " is not a PCI address such as 0000:00:02.0");
        }
        return new PciAddress(Long.parseLong(m.group(1), 16), Integer.parseInt(m.group(2), 16), Integer.parseInt(m.group(3), 16),
                Integer.parseInt(m.group(4), 16));
    }

    /** The kernel's {@code pci_dev_id()}: {@code bus << 8 | device << 3 | function}. */
    public int devId() {
        return bus << 8 | device << 3 | function;
    }

    @Override
    public String toString() {
        return String.format("%04x:%02x:%02x.%x", domain, bus, device, function);
    }
}
