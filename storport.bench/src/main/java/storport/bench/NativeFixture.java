package storport.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A four-CPU Linux root with one NVMe controller nvme0 (admin vector, I/O vectors 1 and 2; hctx 0
 * on CPUs 0-1, hctx 1 on CPUs 2-3), so the native backend answers 1,1,2,2 while the default
 * simulated nvme0 answers 17,17,17,18.
 */
final class NativeFixture {
    private NativeFixture() {
    }

    static Path write(Path root) throws IOException {
        String dev = "sys/devices/pci0000:00/0000:01:00.0";
        file(root, "sys/devices/system/cpu/online", "0-3");
        for (int cpu = 0; cpu < 4; cpu++) {
            file(root, "sys/devices/system/cpu/cpu" + cpu + "/topology/physical_package_id", "0");
            file(root, "sys/devices/system/cpu/cpu" + cpu + "/topology/core_id", String.valueOf(cpu));
        }
        file(root, "sys/devices/system/node/online", "0");
        file(root, "sys/devices/system/node/node0/cpulist", "0-3");
        file(root, dev + "/class", "0x010802");
        file(root, dev + "/numa_node", "0");
        link(root, "sys/bus/pci/devices/0000:01:00.0", "../../../devices/pci0000:00/0000:01:00.0");
        String[] affinity = {"0-3", "0-1", "2-3"};
        for (int v = 0; v < 3; v++) {
            int irq = 40 + v;
            file(root, dev + "/msi_irqs/" + irq, "msix");
            file(root, "sys/kernel/irq/" + irq + "/hwirq", String.valueOf(v));
            file(root, "sys/kernel/irq/" + irq + "/chip_name", "PCI-MSIX-0000:01:00.0");
            file(root, "sys/kernel/irq/" + irq + "/actions", "nvme0q" + v);
            file(root, "proc/irq/" + irq + "/smp_affinity_list", affinity[v]);
        }
        file(root, dev + "/nvme/nvme0/nvme0n1/mq/0/cpu_list", "0, 1");
        file(root, dev + "/nvme/nvme0/nvme0n1/mq/1/cpu_list", "2, 3");
        link(root, "sys/block/nvme0n1", "../devices/pci0000:00/0000:01:00.0/nvme/nvme0/nvme0n1");
        link(root, "sys/class/nvme/nvme0", "../../devices/pci0000:00/0000:01:00.0/nvme/nvme0");
        return root;
    }

    private static void file(Path root, String path, String content) throws IOException {
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
