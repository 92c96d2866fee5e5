package storport.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An entry of a folder of device links ({@code /sys/block/vda}, {@code /sys/class/nvme/nvme0}) and
 * the device path it points to ({@code /sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda}).
 *
 * @param link   the link, e.g. {@code /sys/block/vda}
 * @param name   its name, e.g. {@code vda}
 * @param target where it points, as a normalized source path
 */
record DeviceLink(String link, String name, String target) {

    /**
     * The links in a folder, by name. Entries that are not links (old sysfs layouts) or point
     * outside the root are left out: they cannot be matched to a PCI device anyway.
     */
    static List<DeviceLink> read(SysfsSource source, String folder) throws LinuxInputException {
        return read(source, folder, name -> true);
    }

    /** The same for the entries whose name passes {@code wanted}: the links of the others are not read. */
    static List<DeviceLink> read(SysfsSource source, String folder, Predicate<String> wanted) throws LinuxInputException {
        if (!source.exists(folder)) {
            return List.of();
        }
        List<DeviceLink> out = new ArrayList<>();
        for (String name : SysfsFiles.list(source, folder)) {
            if (!wanted.test(name)) {
                continue;
            }
            String link = folder + "/" + name;
            try {
                out.add(new DeviceLink(link, name, SysfsFiles.resolveLink(source, link)));
            } catch (LinuxInputException notADeviceLink) {
                // loop devices and friends are links too; only a broken entry lands here, and it serves no adapter.
            }
        }
        return out;
    }

    /** The components of the target below {@code devicePath}, e.g. {@code [virtio1, block, vda]}. */
    List<String> below(String devicePath) {
        String rest = target.substring(devicePath.length());
        List<String> out = new ArrayList<>();
        for (String c : rest.split("/")) {
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        return out;
    }
}
