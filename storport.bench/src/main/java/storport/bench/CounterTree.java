package storport.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.MessageInterrupt;

/**
 * The interrupt counters of a host's adapters as sysfs lays them out: {@code
 * /sys/devices/system/cpu/possible} (0 to the host's CPU count - 1) and, for every vector, {@code
 * /sys/kernel/irq/<irq>/per_cpu_count}: one count per possible CPU, comma-separated, as the kernel's
 * {@code per_cpu_count_show} prints them. Two shapes:
 * <ul>
 * <li>{@code kernel}: what a managed NVMe vector shows; only its effective CPU counted (I/O vectors
 * 10^6 to 4x10^9 since boot, the admin vector 10^3 to 10^5), every other CPU {@code 0};
 * <li>{@code everyCpu}: every CPU counted, counts of 1 to 10 digits (a vector moved around all CPUs
 * for a long time): the most bytes a file of this host can hold.
 * </ul>
 */
final class CounterTree {
    private CounterTree() {
    }

    static void write(Path root, Host host, String shape) throws IOException {
        int cpus = host.topology().processorCount();
        file(root, "sys/devices/system/cpu/possible", "0-" + (cpus - 1) + "\n");
        for (Adapter a : host.adapters()) {
            for (MessageInterrupt m : a.messages()) {
                SplittableRandom random = new SplittableRandom(m.irq());
                int effective = host.topology().processor(m.effective().get(0)).cpu();
                StringBuilder counts = new StringBuilder(cpus * 11);
                for (int cpu = 0; cpu < cpus; cpu++) {
                    counts.append(cpu == 0 ? "" : ",").append(switch (shape) {
                        case "kernel" -> cpu != effective ? 0 : m.messageId() == 0 ? random.nextLong(1_000, 100_000)
                                : random.nextLong(1_000_000, 4_000_000_000L);
                        case "everyCpu" -> digits(random, 1 + random.nextInt(10));
                        default -> throw new IllegalArgumentException("no counter shape " + shape);
                    });
                }
                file(root, "sys/kernel/irq/" + m.irq() + "/per_cpu_count", counts.append('\n').toString());
            }
        }
    }

    /** A number of exactly {@code n} digits. */
    private static long digits(SplittableRandom random, int n) {
        long low = n == 1 ? 1 : (long) Math.pow(10, n - 1);
        return random.nextLong(low, low * 10);
    }

    private static void file(Path root, String path, String content) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.write(p, content.getBytes(StandardCharsets.US_ASCII));
    }
}
