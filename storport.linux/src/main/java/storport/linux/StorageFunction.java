package storport.linux;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A PCI function of class 0x01xxxx (mass storage) with MSI/MSI-X vectors: a storage adapter as
 * found, before its vectors are read. Its block devices and NVMe controllers are the
 * {@code /sys/block} and {@code /sys/class/nvme} links that point into its device folder.
 */
final class StorageFunction {
    static final String DEVICES = "/sys/bus/pci/devices";
    static final String BLOCK = "/sys/block";
    static final String NVME = "/sys/class/nvme";
    private static final int MASS_STORAGE = 0x01;

    final String bdf;
    /** {@code /sys/bus/pci/devices/<bdf>}. */
    final String link;
    /** Where the link points ({@code /sys/devices/pci0000:00/0000:00:02.0}); null for an unreadable function. */
    final String devicePath;
    /** The IRQs in {@code msi_irqs}, ascending. */
    final int[] irqs;
    /** Why the function could not be read, or null. */
    final String problem;
    /** Block devices whose link points into the device folder, by name. */
    final List<DeviceLink> disks = new ArrayList<>();
    /** NVMe controllers whose link points into the device folder, by name. */
    final List<DeviceLink> controllers = new ArrayList<>();

    private StorageFunction(String bdf, String devicePath, int[] irqs, String problem) {
        this.bdf = bdf;
        this.link = DEVICES + "/" + bdf;
        this.devicePath = devicePath;
        this.irqs = irqs;
        this.problem = problem;
    }

    /** Other names of the adapter: its block devices, then its NVMe controllers. */
    List<String> aliases() {
        List<String> out = new ArrayList<>();
        disks.forEach(d -> out.add(d.name()));
        controllers.forEach(c -> out.add(c.name()));
        return out;
    }

    /**
     * The storage functions of a host, by PCI address, with their block devices and controllers.
     * A host without PCI has none; a function that cannot be read is kept with its problem.
     *
     * @throws LinuxInputException only when the PCI device list itself cannot be read
     */
    static List<StorageFunction> find(SysfsSource source) throws LinuxInputException {
        List<StorageFunction> found = new ArrayList<>();
        if (!source.exists(DEVICES)) {
            return found;
        }
        for (String bdf : SysfsFiles.list(source, DEVICES)) {
            StorageFunction f = probe(source, bdf);
            if (f != null) {
                found.add(f);
            }
        }
        assign(source, found, DeviceLink.read(source, BLOCK), f -> f.disks);
        assign(source, found, DeviceLink.read(source, NVME), f -> f.controllers);
        dropNamesTakenEarlier(found);
        return found;
    }

    /**
     * The storage function at {@code bdf} alone, as {@link #find} would see it, reading only its own
     * files: of {@code /sys/block} and {@code /sys/class/nvme} it lists the folders and reads the
     * links whose names {@code others} (the ids and aliases of the other adapters) do not claim.
     *
     * @return null when there is no storage function with MSI vectors at {@code bdf}
     */
    static StorageFunction findOne(SysfsSource source, String bdf, Set<String> others) throws LinuxInputException {
        StorageFunction f = probe(source, bdf);
        if (f == null) {
            return null;
        }
        List<StorageFunction> one = List.of(f);
        assign(source, one, DeviceLink.read(source, BLOCK, name -> !others.contains(name)), g -> g.disks);
        assign(source, one, DeviceLink.read(source, NVME, name -> !others.contains(name)), g -> g.controllers);
        Set<String> taken = new HashSet<>(others);
        taken.add(f.bdf);
        f.disks.removeIf(d -> !taken.add(d.name()));
        f.controllers.removeIf(c -> !taken.add(c.name()));
        return f;
    }

    /**
     * A name selects one adapter: should a capture name a controller like another adapter's disk or
     * PCI address, the first function (by address) keeps the name and the later one goes without.
     */
    private static void dropNamesTakenEarlier(List<StorageFunction> functions) {
        Set<String> taken = new HashSet<>();
        functions.forEach(f -> taken.add(f.bdf));
        for (StorageFunction f : functions) {
            f.disks.removeIf(d -> !taken.add(d.name()));
            f.controllers.removeIf(c -> !taken.add(c.name()));
        }
    }

    /** The function at {@code bdf} when it is a storage function with MSI vectors, else null. */
    private static StorageFunction probe(SysfsSource source, String bdf) {
        String link = DEVICES + "/" + bdf;
        try {
            String classFile = link + "/class";
            if (SysfsText.parseHex(classFile, SysfsFiles.read(source, classFile)) >>> 16 != MASS_STORAGE) {
                return null;
            }
            int[] irqs = irqs(source, link + "/msi_irqs");
            if (irqs.length == 0) {
                return null;   // legacy INTx only: no message interrupts to ask about
            }
            return new StorageFunction(bdf, SysfsFiles.resolveLink(source, link), irqs, null);
        } catch (LinuxInputException e) {
            if (!source.exists(link)) {
                return null;   // removed between listing and reading: it is simply not there any more
            }
            return new StorageFunction(bdf, null, new int[0], e.getMessage());
        }
    }

    private static int[] irqs(SysfsSource source, String folder) throws LinuxInputException {
        List<String> names;
        try {
            names = SysfsFiles.list(source, folder);
        } catch (LinuxInputException e) {
            if (SysfsFiles.isMissing(e)) {
                return new int[0];
            }
            throw e;
        }
        int[] irqs = new int[names.size()];
        for (int i = 0; i < irqs.length; i++) {
            irqs[i] = SysfsText.parseInt(folder + "/" + names.get(i), names.get(i));
            if (irqs[i] < 0) {
                throw new LinuxInputException(folder + "/" + names.get(i), "not an IRQ number");
            }
        }
        Arrays.sort(irqs);
        return irqs;
    }

    /**
     * Gives each link to the function whose device folder holds its target (the deepest one, should
     * functions nest). Links into no storage function (loop, zram, USB disks, NVMe multipath heads
     * under nvme-subsystem) and links whose target is gone are left out.
     */
    private static void assign(SysfsSource source, List<StorageFunction> functions, List<DeviceLink> links,
            Function<StorageFunction, List<DeviceLink>> into) {
        for (DeviceLink l : links) {
            StorageFunction owner = null;
            for (StorageFunction f : functions) {
                if (f.devicePath != null && l.target().startsWith(f.devicePath + "/")
                        && (owner == null || f.devicePath.length() > owner.devicePath.length())) {
                    owner = f;
                }
            }
            if (owner != null && source.isDirectory(l.link())) {
                into.apply(owner).add(l);
            }
        }
    }
}
