package storport.itest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tiny Linux root for the native backend: 4 online CPUs on one node, one NVMe controller
 * {@code nvme0} at 0000:01:00.0 with an admin vector and two I/O vectors, namespace {@code nvme0n1}
 * whose hctx 0 runs on CPUs 0-1 and hctx 1 on CPUs 2-3. So native answers 1,1,2,2.
 */
final class FixtureRoot {
    static final String BDF = "0000:01:00.0";
    static final int[] ANSWERS = {1, 1, 2, 2};

    private FixtureRoot() {
    }

    static Path create(Path root) throws IOException {
        StorportOptions.delete(root);
        write(root, "sys/devices/system/cpu/online", "0-3");
        write(root, "sys/devices/system/cpu/possible", "0-3");
        write(root, "sys/devices/system/cpu/present", "0-3");
        for (int cpu = 0; cpu < 4; cpu++) {
            String t = "sys/devices/system/cpu/cpu" + cpu + "/topology/";
            write(root, t + "physical_package_id", "0");
            write(root, t + "core_id", String.valueOf(cpu));
            write(root, t + "thread_siblings_list", String.valueOf(cpu));
        }
        write(root, "sys/devices/system/node/online", "0");
        write(root, "sys/devices/system/node/node0/cpulist", "0-3");
        String dev = "sys/devices/pci0000:00/0000:00:01.0/" + BDF;
        write(root, dev + "/class", "0x010802");
        write(root, dev + "/vendor", "0x144d");
        write(root, dev + "/device", "0xa808");
        write(root, dev + "/numa_node", "0");
        write(root, dev + "/local_cpulist", "0-3");
        Files.createDirectories(root.resolve("sys/bus/pci/drivers/nvme"));
        link(root, dev + "/driver", "../../../../bus/pci/drivers/nvme");
        link(root, "sys/bus/pci/devices/" + BDF, "../../../devices/pci0000:00/0000:00:01.0/" + BDF);
        String[] handlers = {"nvme0q0", "nvme0q1", "nvme0q2"};
        String[] affinity = {"0-3", "0-1", "2-3"};
        for (int i = 0; i < 3; i++) {
            int irq = 40 + i;
            write(root, dev + "/msi_irqs/" + irq, "msix");
            write(root, "sys/kernel/irq/" + irq + "/hwirq", String.valueOf(i));
            write(root, "sys/kernel/irq/" + irq + "/chip_name", "PCI-MSIX-" + BDF);
            write(root, "sys/kernel/irq/" + irq + "/name", "edge");
            write(root, "sys/kernel/irq/" + irq + "/actions", handlers[i]);
            write(root, "sys/kernel/irq/" + irq + "/per_cpu_count", "0,0,0,0");
            write(root, "proc/irq/" + irq + "/smp_affinity_list", affinity[i]);
            write(root, "proc/irq/" + irq + "/effective_affinity_list", affinity[i].substring(0, 1));
        }
        String ctrl = dev + "/nvme/nvme0";
        write(root, ctrl + "/nvme0n1/mq/0/cpu_list", "0, 1");
        write(root, ctrl + "/nvme0n1/mq/1/cpu_list", "2, 3");
        Files.createDirectories(root.resolve("sys/block"));
        link(root, "sys/block/nvme0n1", "../devices/pci0000:00/0000:00:01.0/" + BDF + "/nvme/nvme0/nvme0n1");
        Files.createDirectories(root.resolve("sys/class/nvme"));
        link(root, "sys/class/nvme/nvme0", "../../devices/pci0000:00/0000:00:01.0/" + BDF + "/nvme/nvme0");
        write(root, "proc/interrupts", "            CPU0       CPU1       CPU2       CPU3\n"
                + "  40:          0          0          0          0  PCI-MSIX-" + BDF + "   0-edge      nvme0q0\n"
                + "  41:          0          0          0          0  PCI-MSIX-" + BDF + "   1-edge      nvme0q1\n"
                + "  42:          0          0          0          0  PCI-MSIX-" + BDF + "   2-edge      nvme0q2\n");
        return root;
    }

    private static void write(Path root, String path, String content) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content + "\n");
    }

    private static void link(Path root, String path, String target) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.createSymbolicLink(p, Path.of(target));
    }
}
