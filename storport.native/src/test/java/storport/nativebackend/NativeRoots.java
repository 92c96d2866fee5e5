package storport.nativebackend;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.service.component.ComponentContext;

/** Roots laid out as the kernel lays them out, and the native backend's components run on them the way SCR runs them. */
final class NativeRoots {
    static final String GOOD = "0000:01:00.0";

    private NativeRoots() {
    }

    static void write(Path root, String path, String content) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content + "\n");
    }

    static void link(Path root, String path, String target) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.createSymbolicLink(p, Path.of(target));
    }

    /** 4 CPUs, one node, NVMe nvme0 at 0000:01:00.0 with an admin and two I/O vectors, as the kernel lays them out. */
    static Path goodHost(Path root) throws IOException {
        write(root, "sys/devices/system/cpu/online", "0-3");
        for (int cpu = 0; cpu < 4; cpu++) {
            write(root, "sys/devices/system/cpu/cpu" + cpu + "/topology/physical_package_id", "0");
            write(root, "sys/devices/system/cpu/cpu" + cpu + "/topology/core_id", String.valueOf(cpu));
        }
        write(root, "sys/devices/system/node/online", "0");
        write(root, "sys/devices/system/node/node0/cpulist", "0-3");
        String dev = "sys/devices/pci0000:00/0000:00:01.0/" + GOOD;
        write(root, dev + "/class", "0x010802");
        write(root, dev + "/vendor", "0x144d");
        write(root, dev + "/device", "0xa808");
        write(root, dev + "/numa_node", "0");
        Files.createDirectories(root.resolve("sys/bus/pci/drivers/nvme"));
        link(root, dev + "/driver", "../../../../bus/pci/drivers/nvme");
        link(root, "sys/bus/pci/devices/" + GOOD, "../../../devices/pci0000:00/0000:00:01.0/" + GOOD);
        String[] affinity = { "0-3", "0-1", "2-3" };
        for (int i = 0; i < 3; i++) {
            int irq = 40 + i;
            write(root, dev + "/msi_irqs/" + irq, "msix");
            write(root, "sys/kernel/irq/" + irq + "/hwirq", String.valueOf(i));
            write(root, "sys/kernel/irq/" + irq + "/chip_name", "PCI-MSIX-" + GOOD);
            write(root, "sys/kernel/irq/" + irq + "/name", "edge");
            write(root, "sys/kernel/irq/" + irq + "/actions", "nvme0q" + i);
            write(root, "proc/irq/" + irq + "/smp_affinity_list", affinity[i]);
        }
        write(root, dev + "/nvme/nvme0/nvme0n1/mq/0/cpu_list", "0, 1");
        write(root, dev + "/nvme/nvme0/nvme0n1/mq/1/cpu_list", "2, 3");
        link(root, "sys/block/nvme0n1", "../devices/pci0000:00/0000:00:01.0/" + GOOD + "/nvme/nvme0/nvme0n1");
        link(root, "sys/class/nvme/nvme0", "../../devices/pci0000:00/0000:00:01.0/" + GOOD + "/nvme/nvme0");
        return root;
    }

    static <T> T proxy(Class<T> type, Map<String, Object> answers) {
        return type.cast(Proxy.newProxyInstance(NativeRoots.class.getClassLoader(), new Class<?>[] { type }, (p, m, a) -> {
            if (answers.containsKey(m.getName())) {
                return answers.get(m.getName());
            }
            return switch (m.getName()) {
                case "hashCode" -> System.identityHashCode(p);
                case "equals" -> p == a[0];
                case "toString" -> type.getSimpleName();
                default -> null;   // enableComponent, disableComponent: nothing to do outside a framework
            };
        }));
    }

    /** NativeHost activated as SCR activates it, on a root, checking for changes every 100 ms. */
    static NativeHost activate(Path root) {
        NativeHost host = new NativeHost();
        host.log = proxy(org.osgi.service.log.Logger.class, new java.util.HashMap<>());
        BundleContext bundleContext = proxy(BundleContext.class, new java.util.HashMap<>());
        Map<String, Object> ctx = new java.util.HashMap<>();
        ctx.put("getBundleContext", bundleContext);
        NativeHost.Config config = proxy(NativeHost.Config.class, Map.of("root", root.toString(), "checkIntervalMillis", 100L,
                "annotationType", (Object) Annotation.class));
        host.activate(proxy(ComponentContext.class, ctx), config);
        return host;
    }

    static NativeCapture capturer(NativeHost host) {
        Bundle bundle = proxy(Bundle.class, Map.of("getVersion", new Version(0, 1, 0)));
        return new NativeCapture(host, proxy(BundleContext.class, Map.of("getBundle", bundle)));
    }
}
