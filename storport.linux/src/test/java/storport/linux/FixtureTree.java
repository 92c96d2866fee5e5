package storport.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds sysfs/procfs trees in a folder the way the kernel lays them out, with real relative
 * symlinks ({@code /sys/bus/pci/devices/<bdf>}, {@code /sys/block/<dev>}, {@code /sys/class/nvme/<ctrl>}),
 * so tests read them through {@link DirectorySource} like a live host. Paths are absolute within the tree.
 */
public final class FixtureTree {
    final Path root;

    public FixtureTree(Path root) {
        this.root = root;
    }

    /** A PCI function in the tree. */
    public record Pci(String bdf, String path) {
    }

    // --- files and links -------------------------------------------------------------------

    /** Writes a kernel attribute: the value and a newline. */
    public FixtureTree write(String path, String value) throws IOException {
        return writeBytes(path, (value + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public FixtureTree writeBytes(String path, byte[] bytes) throws IOException {
        Path p = host(path);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
        return this;
    }

    public FixtureTree delete(String path) throws IOException {
        Files.delete(host(path));
        return this;
    }

    /** A symlink at {@code path} to {@code target} (another path in the tree), stored relative as sysfs does. */
    public FixtureTree link(String path, String target) throws IOException {
        Path p = host(path);
        return rawLink(path, p.getParent().relativize(host(target)).toString());
    }

    /** A symlink storing {@code target} as given (absolute, dangling or hostile). */
    public FixtureTree rawLink(String path, String target) throws IOException {
        Path p = host(path);
        Files.createDirectories(p.getParent());
        Files.createSymbolicLink(p, Path.of(target));
        return this;
    }

    public Path host(String path) {
        return root.resolve(path.substring(1));
    }

    // --- CPUs and nodes ---------------------------------------------------------------------

    public FixtureTree online(String cpuList) throws IOException {
        return write("/sys/devices/system/cpu/online", cpuList);
    }

    public FixtureTree cpu(int cpu, int pkg, int core) throws IOException {
        String t = "/sys/devices/system/cpu/cpu" + cpu + "/topology/";
        return write(t + "physical_package_id", String.valueOf(pkg)).write(t + "core_id", String.valueOf(core));
    }

    /** CPUs 0..n-1, one package, one core each. */
    public FixtureTree cpus(int n) throws IOException {
        online(n == 1 ? "0" : "0-" + (n - 1));
        for (int c = 0; c < n; c++) {
            cpu(c, 0, c);
        }
        return this;
    }

    public FixtureTree nodes(String onlineNodes) throws IOException {
        return write("/sys/devices/system/node/online", onlineNodes);
    }

    public FixtureTree node(int node, String cpuList) throws IOException {
        return write("/sys/devices/system/node/node" + node + "/cpulist", cpuList);
    }

    // --- PCI functions and vectors -----------------------------------------------------------

    /**
     * A PCI function under root port 0000:00:01.0 (or on bus 00 itself), with its bus link, ids,
     * NUMA node and driver link ({@code driver} null: unbound).
     */
    public Pci pci(String bdf, String classCode, String vendor, String device, int numaNode, String driver) throws IOException {
        String path = bdf.startsWith("0000:00:") ? "/sys/devices/pci0000:00/" + bdf : "/sys/devices/pci0000:00/0000:00:01.0/" + bdf;
        write(path + "/class", classCode).write(path + "/vendor", vendor).write(path + "/device", device);
        write(path + "/numa_node", String.valueOf(numaNode));
        link("/sys/bus/pci/devices/" + bdf, path);
        if (driver != null) {
            Files.createDirectories(host("/sys/bus/pci/drivers/" + driver));
            link(path + "/driver", "/sys/bus/pci/drivers/" + driver);
        }
        return new Pci(bdf, path);
    }

    public Pci nvmePci(String bdf, int numaNode) throws IOException {
        return pci(bdf, "0x010802", "0x144d", "0xa808", numaNode, "nvme");
    }

    /**
     * One vector of a current kernel: {@code msi_irqs/<irq>}, {@code /sys/kernel/irq/<irq>/*} and
     * {@code /proc/irq/<irq>/*}; {@code effective} null: no effective_affinity_list.
     */
    public FixtureTree vector(Pci dev, int irq, long hwirq, String chip, String actions, String affinity, String effective)
            throws IOException {
        write(dev.path() + "/msi_irqs/" + irq, "msix");
        String k = "/sys/kernel/irq/" + irq + "/";
        write(k + "hwirq", String.valueOf(hwirq)).write(k + "chip_name", chip).write(k + "name", "edge").write(k + "actions", actions);
        return affinity(irq, affinity, effective);
    }

    /** A vector on a per-device MSI-X domain: hwirq = the table index. */
    public FixtureTree msix(Pci dev, int irq, int index, String actions, String affinity, String effective) throws IOException {
        return vector(dev, irq, index, "PCI-MSIX-" + dev.bdf(), actions, affinity, effective);
    }

    /** A vector of a kernel before 4.17: only msi_irqs and /proc/irq; /proc/interrupts says the rest. */
    public FixtureTree oldVector(Pci dev, int irq, String affinity) throws IOException {
        write(dev.path() + "/msi_irqs/" + irq, "msix");
        return affinity(irq, affinity, null);
    }

    public FixtureTree affinity(int irq, String affinity, String effective) throws IOException {
        write("/proc/irq/" + irq + "/smp_affinity_list", affinity);
        return effective == null ? this : write("/proc/irq/" + irq + "/effective_affinity_list", effective);
    }

    // --- block devices -------------------------------------------------------------------------

    /** NVMe controller {@code ctrl} with namespace {@code disk}; hctx n runs on {@code cpuLists[n]} ("0, 1"). */
    public FixtureTree nvmeDisk(Pci dev, String ctrl, String disk, String... cpuLists) throws IOException {
        String c = dev.path() + "/nvme/" + ctrl;
        String d = c + "/" + disk;
        write(d + "/size", "2097152");
        for (int n = 0; n < cpuLists.length; n++) {
            write(d + "/mq/" + n + "/cpu_list", cpuLists[n]);
        }
        link("/sys/block/" + disk, d);
        if (!Files.exists(host("/sys/class/nvme/" + ctrl), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            link("/sys/class/nvme/" + ctrl, c);
        }
        return this;
    }

    /** virtio-blk device {@code virtio} (e.g. virtio1) with disk {@code disk}; hctx n runs on {@code cpuLists[n]}. */
    public FixtureTree virtioDisk(Pci dev, String virtio, String disk, String... cpuLists) throws IOException {
        return disk(dev.path() + "/" + virtio + "/block/" + disk, disk, cpuLists);
    }

    /** A block device at {@code devicePath} (any driver), linked from /sys/block. */
    public FixtureTree disk(String devicePath, String disk, String... cpuLists) throws IOException {
        write(devicePath + "/size", "2097152");
        for (int n = 0; n < cpuLists.length; n++) {
            write(devicePath + "/mq/" + n + "/cpu_list", cpuLists[n]);
        }
        return link("/sys/block/" + disk, devicePath);
    }

    /** loop, zram and friends: block devices of no PCI function. */
    public FixtureTree virtualDisk(String disk) throws IOException {
        return disk("/sys/devices/virtual/block/" + disk, disk, "0");
    }

    public FixtureTree procInterrupts(String text) throws IOException {
        return writeBytes("/proc/interrupts", text.getBytes(StandardCharsets.UTF_8));
    }
}
