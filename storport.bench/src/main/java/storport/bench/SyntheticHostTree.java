package storport.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.Topology;
import storport.linux.DirectorySource;
import storport.linux.LinuxHostScanner;

/**
 * Writes the sysfs/procfs tree of a synthetic Linux host the way the kernel lays it out, for the
 * native-scan benchmarks: {@code cpus} online CPUs (2 SMT threads per core, numbered like x86:
 * thread 1 of core g is CPU g + cpus/2), one package per NUMA node (2 nodes below 256 CPUs, else 4),
 * and {@code controllers} NVMe controllers (class 0x010802) each behind its own root port, with
 * min(cpus, 128) + 1 MSI-X vectors (admin + one per I/O queue) on a per-device MSI domain and blk-mq
 * queues spread over the CPUs as Linux' group_cpus_evenly does (per node, siblings together).
 *
 * <p>Besides the files storport reads (DESIGN section 6) it writes what {@code lstopo-no-graphics
 * --input DIR} needs to see the same PUs, cores, packages and NUMA nodes (hex masks, node cpumap
 * and meminfo, /proc/meminfo) and the PCI/block attributes it reads for I/O objects. Not written:
 * /proc/interrupts (370 MB at 4,096 CPUs; the scanner reads the per-IRQ files instead), CPU caches
 * and /proc/cpuinfo (lstopo does without them, so its side of the comparison does less work than on
 * a real host).
 *
 * <p>Run: {@code java -cp storport.bench/target/benchmarks.jar storport.bench.SyntheticHostTree DIR CPUS CONTROLLERS}
 */
public final class SyntheticHostTree {
    /** Bumped whenever the layout changes, so cached trees are rebuilt. */
    static final String VERSION = "synthetic-host-tree 3";
    /** Written last: a tree without it is incomplete. */
    static final String MARKER = "SYNTHETIC-HOST";
    static final int MAX_QUEUES = 128;
    static final int FIRST_IRQ = 64;

    final Path root;
    final int cpus;
    final int controllers;
    final int nodes;
    final int half;
    final int coresPerPackage;
    final int queues;
    /** groups[q]: the CPUs of hctx q, as Linux spreads them. */
    final BitSet[] groups;

    private SyntheticHostTree(Path root, int cpus, int controllers) {
        if (cpus < 4 || cpus % 2 != 0 || cpus > 8192) {
            throw new IllegalArgumentException("cpus must be even, 4..8192: " + cpus);
        }
        if (controllers < 1 || controllers > 255) {
            throw new IllegalArgumentException("controllers must be 1..255: " + controllers);
        }
        this.root = root;
        this.cpus = cpus;
        this.controllers = controllers;
        this.nodes = cpus >= 256 ? 4 : 2;
        this.half = cpus / 2;
        if (half % nodes != 0) {
            throw new IllegalArgumentException(cpus + " CPUs do not split into " + nodes + " packages of whole cores");
        }
        this.coresPerPackage = half / nodes;
        this.queues = Math.min(cpus, MAX_QUEUES);
        this.groups = spread();
    }

    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("--cache")) {
            // the benchmarks' trees, written ahead: --cache 16x8 4096x64 ...
            for (int i = 1; i < args.length; i++) {
                String[] size = args[i].split("x");
                long t0 = System.nanoTime();
                SyntheticHostTree t = cached(defaultCache(), Integer.parseInt(size[0]), Integer.parseInt(size[1]));
                System.out.printf("%s ready (%.1f s)%n", t.root, (System.nanoTime() - t0) / 1e9);
            }
            return;
        }
        if (args.length != 3) {
            System.err.println("usage: SyntheticHostTree DIR CPUS CONTROLLERS | --cache CPUSxCONTROLLERS...");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        Path dir = Path.of(args[0]);
        SyntheticHostTree t = write(dir, Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        System.out.printf("%s: %d CPUs, %d nodes/packages, %d NVMe controllers x %d vectors, in %.1f s%n", dir, t.cpus, t.nodes,
                t.controllers, t.queues + 1, (System.nanoTime() - t0) / 1e9);
        t.verify(new LinuxHostScanner().scan(new DirectorySource(dir)));
        System.out.println("storport.linux scans it: every adapter available, every processor on its queue's vector");
    }

    /**
     * Checks a scan of this tree: all CPUs, every controller an available adapter with all its
     * vectors, and every processor mapped to the vector of the hctx Linux gave its CPU.
     *
     * @throws IllegalStateException saying what differs
     */
    public void verify(Host host) {
        Topology t = host.topology();
        check(t.processorCount() == cpus, "processors: " + t.processorCount());
        check(t.nodes().size() == nodes, "nodes: " + t.nodes());
        check(host.adapters().size() == controllers, "adapters: " + host.adapters().size());
        for (int k = 0; k < controllers; k++) {
            Adapter a = host.adapter("nvme" + k + "n1");
            check(a.id().equals(bdf(k)), "nvme" + k + "n1 is " + a.id());
            check(a.unavailableReason() == null, a.id() + " unavailable: " + a.unavailableReason());
            check(a.messageCount() == vectors(), a.id() + " messages: " + a.messageCount());
            check(a.policy().startsWith("blk-mq"), a.id() + " policy " + a.policy());
            for (int p = 0; p < cpus; p++) {
                int cpu = t.processor(p).cpu();
                check(a.messageOf(p) == queueOf(cpu) + 1, a.id() + ": processor " + p + " (CPU " + cpu + ") -> " + a.messageOf(p)
                        + ", its hctx is " + queueOf(cpu));
            }
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("the scan of the synthetic tree is wrong: " + what);
        }
    }

    /** Writes a fresh tree into {@code dir} (which must not exist or be empty). */
    public static SyntheticHostTree write(Path dir, int cpus, int controllers) throws IOException {
        SyntheticHostTree t = new SyntheticHostTree(dir.toAbsolutePath(), cpus, controllers);
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new IOException(dir + " is not empty");
                }
            }
        }
        t.writeAll();
        return t;
    }

    /**
     * The tree for these sizes under {@code cache}, written once: a complete tree of the same
     * generator version is reused, anything else there is replaced.
     */
    public static SyntheticHostTree cached(Path cache, int cpus, int controllers) throws IOException {
        Path dir = cache.resolve(cpus + "x" + controllers).toAbsolutePath();
        Path marker = dir.resolve(MARKER);
        SyntheticHostTree t = new SyntheticHostTree(dir, cpus, controllers);
        if (Files.isRegularFile(marker) && Files.readString(marker).equals(t.describe())) {
            return t;
        }
        deleteTree(dir);
        return write(dir, cpus, controllers);
    }

    /** The default cache: {@code $STORPORT_TREES}, else {@code <tmp>/storport-synthetic-trees}. */
    public static Path defaultCache() {
        String env = System.getenv("STORPORT_TREES");
        return Path.of(env != null && !env.isBlank() ? env : System.getProperty("java.io.tmpdir"), "storport-synthetic-trees");
    }

    String describe() {
        return VERSION + ": cpus=" + cpus + " controllers=" + controllers + " nodes=" + nodes + " queues=" + queues + "\n";
    }

    // --- what the host looks like ------------------------------------------------------------

    /** The BDF of controller k: behind root port 0000:00:(1 + k/8).(k%8), on bus k + 1. */
    public String bdf(int k) {
        return String.format("0000:%02x:00.0", k + 1);
    }

    String rootPort(int k) {
        return String.format("0000:00:%02x.%d", 1 + k / 8, k % 8);
    }

    String devicePath(int k) {
        return "/sys/devices/pci0000:00/" + rootPort(k) + "/" + bdf(k);
    }

    public int vectors() {
        return queues + 1;
    }

    /** The Linux IRQ of vector i of controller k. */
    public int irq(int k, int i) {
        return FIRST_IRQ + k * vectors() + i;
    }

    int packageOf(int cpu) {
        return (cpu % half) / coresPerPackage;
    }

    /** Node = package. */
    public int nodeOf(int cpu) {
        return packageOf(cpu);
    }

    int coreId(int cpu) {
        return (cpu % half) % coresPerPackage;
    }

    BitSet siblings(int cpu) {
        BitSet b = new BitSet(cpus);
        b.set(cpu % half);
        b.set(cpu % half + half);
        return b;
    }

    BitSet packageCpus(int pkg) {
        BitSet b = new BitSet(cpus);
        b.set(pkg * coresPerPackage, (pkg + 1) * coresPerPackage);
        b.set(half + pkg * coresPerPackage, half + (pkg + 1) * coresPerPackage);
        return b;
    }

    /** The hctx (0-based) CPU {@code cpu} submits on: the adapters' vector for it is this + 1. */
    public int queueOf(int cpu) {
        for (int q = 0; q < queues; q++) {
            if (groups[q].get(cpu)) {
                return q;
            }
        }
        throw new IllegalStateException("CPU " + cpu + " is in no queue");
    }

    /**
     * Linux' group_cpus_evenly (lib/group_cpus.c) for equal nodes: each node gets queues/nodes
     * groups, numbered in node order; a group takes the lowest CPU left and then its SMT siblings.
     */
    private BitSet[] spread() {
        BitSet[] out = new BitSet[queues];
        int perNode = queues / nodes;
        int q = 0;
        for (int n = 0; n < nodes; n++) {
            BitSet left = packageCpus(n);
            int ncpus = left.cardinality();
            int extra = ncpus - perNode * (ncpus / perNode);
            for (int v = 0; v < perNode; v++, q++) {
                int want = ncpus / perNode;
                if (extra > 0) {
                    want++;
                    extra--;
                }
                out[q] = new BitSet(cpus);
                while (want > 0) {
                    int cpu = left.nextSetBit(0);
                    if (cpu < 0) {
                        break;
                    }
                    left.clear(cpu);
                    out[q].set(cpu);
                    want--;
                    BitSet sib = siblings(cpu);
                    for (int s = sib.nextSetBit(0); s >= 0 && want > 0; s = sib.nextSetBit(s + 1)) {
                        if (left.get(s)) {
                            left.clear(s);
                            out[q].set(s);
                            want--;
                        }
                    }
                }
            }
        }
        return out;
    }

    // --- the formats --------------------------------------------------------------------------

    /** {@code %*pbl}: {@code 0-3,8-11}. */
    static String list(BitSet b) {
        StringBuilder s = new StringBuilder();
        for (int i = b.nextSetBit(0); i >= 0;) {
            int end = b.nextClearBit(i) - 1;
            if (s.length() > 0) {
                s.append(',');
            }
            s.append(i);
            if (end > i) {
                s.append('-').append(end);
            }
            i = b.nextSetBit(end + 1);
        }
        return s.toString();
    }

    /** {@code %*pb} over nr_cpu_ids bits: 32-bit words in hex, most significant first, comma-separated. */
    String mask(BitSet b) {
        int words = (cpus + 31) / 32;
        StringBuilder s = new StringBuilder(words * 9);
        for (int w = words - 1; w >= 0; w--) {
            long word = 0;
            for (int bit = 0; bit < 32; bit++) {
                if (b.get(w * 32 + bit)) {
                    word |= 1L << bit;
                }
            }
            int bits = w == words - 1 && cpus % 32 != 0 ? cpus % 32 : 32;
            String hex = Long.toHexString(word);
            int width = (bits + 3) / 4;
            s.append("0".repeat(Math.max(0, width - hex.length()))).append(hex);
            if (w > 0) {
                s.append(',');
            }
        }
        return s.toString();
    }

    /** blk-mq's {@code mq/N/cpu_list}: every CPU, {@code ", "} between. */
    static String spaced(BitSet b) {
        StringBuilder s = new StringBuilder();
        for (int i = b.nextSetBit(0); i >= 0; i = b.nextSetBit(i + 1)) {
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(i);
        }
        return s.toString();
    }

    BitSet all() {
        BitSet b = new BitSet(cpus);
        b.set(0, cpus);
        return b;
    }

    // --- writing -------------------------------------------------------------------------------

    private void writeAll() throws IOException {
        Files.createDirectories(root);
        writeCpus();
        writeNodes();
        writePci();
        write("/proc/meminfo", "MemTotal:       " + 33554432L * nodes + " kB\nMemFree:        " + 30000000L * nodes
                + " kB\nMemAvailable:   " + 31000000L * nodes + " kB\nHugePages_Total:       0\nHugepagesize:       2048 kB\n");
        Files.writeString(root.resolve(MARKER), describe());
    }

    private void writeCpus() throws IOException {
        String cpu = "/sys/devices/system/cpu/";
        String all = list(all());
        write(cpu + "online", all);
        write(cpu + "possible", all);
        write(cpu + "present", all);
        write(cpu + "offline", "");
        write(cpu + "kernel_max", "8191");
        String[] pkgList = new String[nodes];
        String[] pkgMask = new String[nodes];
        for (int p = 0; p < nodes; p++) {
            pkgList[p] = list(packageCpus(p));
            pkgMask[p] = mask(packageCpus(p));
        }
        String[] coreList = new String[half];
        String[] coreMask = new String[half];
        for (int g = 0; g < half; g++) {
            coreList[g] = list(siblings(g));
            coreMask[g] = mask(siblings(g));
        }
        for (int c = 0; c < cpus; c++) {
            String t = cpu + "cpu" + c + "/topology/";
            int p = packageOf(c);
            int g = c % half;
            write(t + "physical_package_id", String.valueOf(p));
            write(t + "die_id", "0");
            write(t + "cluster_id", String.valueOf(coreId(c)));
            write(t + "core_id", String.valueOf(coreId(c)));
            for (String name : new String[] {"thread_siblings", "core_cpus", "cluster_cpus"}) {
                write(t + name, coreMask[g]);
                write(t + name + "_list", coreList[g]);
            }
            for (String name : new String[] {"core_siblings", "package_cpus", "die_cpus"}) {
                write(t + name, pkgMask[p]);
                write(t + name + "_list", pkgList[p]);
            }
            if (c > 0) {
                write(cpu + "cpu" + c + "/online", "1");
            }
            link("/sys/devices/system/cpu/cpu" + c + "/node" + nodeOf(c), "/sys/devices/system/node/node" + nodeOf(c));
            link("/sys/bus/cpu/devices/cpu" + c, "/sys/devices/system/cpu/cpu" + c);
        }
    }

    private void writeNodes() throws IOException {
        String node = "/sys/devices/system/node/";
        String all = nodes == 1 ? "0" : "0-" + (nodes - 1);
        for (String f : new String[] {"online", "possible", "has_cpu", "has_memory", "has_normal_memory"}) {
            write(node + f, all);
        }
        for (int n = 0; n < nodes; n++) {
            String d = node + "node" + n + "/";
            write(d + "cpulist", list(packageCpus(n)));
            write(d + "cpumap", mask(packageCpus(n)));
            StringBuilder distance = new StringBuilder();
            for (int m = 0; m < nodes; m++) {
                distance.append(m == 0 ? "" : " ").append(m == n ? 10 : 21);
            }
            write(d + "distance", distance.toString());
            write(d + "meminfo", String.format("Node %d MemTotal:       33554432 kB%nNode %d MemFree:        30000000 kB%n"
                    + "Node %d MemUsed:         3554432 kB%nNode %d HugePages_Total:     0%nNode %d HugePages_Free:      0", n, n, n, n, n));
            link("/sys/bus/node/devices/node" + n, d + "");
        }
    }

    private void writePci() throws IOException {
        String top = "/sys/devices/pci0000:00";
        Files.createDirectories(host("/sys/bus/pci/drivers/nvme"));
        Files.createDirectories(host("/sys/bus/pci/drivers/pcieport"));
        Files.createDirectories(host("/sys/bus/pci/slots"));
        Files.createDirectories(host("/sys/class/block"));
        String hostBridge = top + "/0000:00:00.0";
        pciFunction(hostBridge, "0000:00:00.0", 0x060000, 0x8086, 0x09a2, 0, null, -1, null);
        String mqCount = String.valueOf(queues);
        for (int k = 0; k < controllers; k++) {
            int node = k % nodes;
            String port = top + "/" + rootPort(k);
            pciFunction(port, rootPort(k), 0x060400, 0x8086, 0x347a, k + 1, "pcieport", node, null);
            String dev = devicePath(k);
            String bdf = bdf(k);
            pciFunction(dev, bdf, 0x010802, 0x144d, 0xa80a, -1, "nvme", node, packageCpus(node));
            // vectors: admin (not managed: all CPUs) then one managed vector per I/O queue
            for (int i = 0; i < vectors(); i++) {
                int irq = irq(k, i);
                BitSet affinity = i == 0 ? all() : groups[i - 1];
                int effective = nth(affinity, i == 0 ? node * coresPerPackage : k);
                write(dev + "/msi_irqs/" + irq, "msix");
                irq(irq, i, "PCI-MSIX-" + bdf, "nvme" + k + "q" + i, affinity, effective, node);
            }
            String ctrl = dev + "/nvme/nvme" + k;
            write(ctrl + "/address", bdf);
            write(ctrl + "/model", "SAMSUNG MZQL23T8HCLS-00A07");
            write(ctrl + "/serial", String.format("S64HNE0T%06d", k));
            write(ctrl + "/firmware_rev", "GDC5602Q");
            write(ctrl + "/transport", "pcie");
            write(ctrl + "/state", "live");
            write(ctrl + "/dev", "240:" + k);
            write(ctrl + "/queue_count", String.valueOf(vectors()));
            link(ctrl + "/device", dev);
            link(ctrl + "/subsystem", "/sys/class/nvme");
            String disk = "nvme" + k + "n1";
            String d = ctrl + "/" + disk;
            write(d + "/dev", "259:" + k);
            write(d + "/size", "7501476528");
            write(d + "/removable", "0");
            write(d + "/ro", "0");
            write(d + "/uevent", "MAJOR=259\nMINOR=" + k + "\nDEVNAME=" + disk + "\nDEVTYPE=disk\nDISKSEQ=" + (k + 1));
            write(d + "/queue/hw_sector_size", "512");
            write(d + "/queue/logical_block_size", "512");
            write(d + "/queue/nr_requests", "1023");
            link(d + "/device", ctrl);
            link(d + "/subsystem", "/sys/class/block");
            for (int q = 0; q < queues; q++) {
                String m = d + "/mq/" + q;
                write(m + "/cpu_list", spaced(groups[q]));
                write(m + "/nr_tags", "1023");
                write(m + "/nr_reserved_tags", "0");
            }
            link("/sys/block/" + disk, d);
            link("/sys/class/block/" + disk, d);
            link("/sys/class/nvme/nvme" + k, ctrl);
            write(d + "/nr_hw_queues", mqCount);
        }
    }

    /** The n-th CPU of a set (wrapping): spreads effective CPUs over the set. */
    private static int nth(BitSet b, int n) {
        int i = n % b.cardinality();
        int c = b.nextSetBit(0);
        while (i-- > 0) {
            c = b.nextSetBit(c + 1);
        }
        return c;
    }

    private void pciFunction(String path, String bdf, int classCode, int vendor, int device, int secondaryBus, String driver, int node,
            BitSet localCpus) throws IOException {
        write(path + "/class", String.format("0x%06x", classCode));
        write(path + "/vendor", String.format("0x%04x", vendor));
        write(path + "/device", String.format("0x%04x", device));
        write(path + "/subsystem_vendor", String.format("0x%04x", vendor));
        write(path + "/subsystem_device", String.format("0x%04x", device == 0xa80a ? 0xa801 : 0x0000));
        write(path + "/revision", "0x00");
        write(path + "/numa_node", String.valueOf(node));
        write(path + "/enable", "1");
        write(path + "/irq", "0");
        BitSet local = localCpus != null ? localCpus : node >= 0 ? packageCpus(node) : all();
        write(path + "/local_cpulist", list(local));
        write(path + "/local_cpus", mask(local));
        write(path + "/current_link_speed", "16.0 GT/s PCIe");
        write(path + "/current_link_width", "4");
        writeBytes(path + "/config", config(classCode, vendor, device, secondaryBus));
        link("/sys/bus/pci/devices/" + bdf, path);
        link(path + "/subsystem", "/sys/bus/pci");
        if (driver != null) {
            link(path + "/driver", "/sys/bus/pci/drivers/" + driver);
        }
    }

    /** 256 bytes of configuration space: ids, class, header type, and the bus numbers of a bridge. */
    private static byte[] config(int classCode, int vendor, int device, int secondaryBus) {
        byte[] c = new byte[256];
        c[0] = (byte) vendor;
        c[1] = (byte) (vendor >> 8);
        c[2] = (byte) device;
        c[3] = (byte) (device >> 8);
        c[4] = 0x06;
        c[9] = (byte) classCode;
        c[10] = (byte) (classCode >> 8);
        c[11] = (byte) (classCode >> 16);
        boolean bridge = (classCode >> 8) == 0x0604;
        c[14] = (byte) (bridge ? 1 : 0);
        if (bridge) {
            c[0x18] = 0;
            c[0x19] = (byte) secondaryBus;
            c[0x1a] = (byte) secondaryBus;
        }
        return c;
    }

    private void irq(int irq, int hwirq, String chip, String actions, BitSet affinity, int effective, int node) throws IOException {
        String k = "/sys/kernel/irq/" + irq + "/";
        write(k + "hwirq", String.valueOf(hwirq));
        write(k + "chip_name", chip);
        write(k + "name", "edge");
        write(k + "type", "edge");
        write(k + "wakeup", "disabled");
        write(k + "actions", actions);
        write(k + "per_cpu_count", perCpuCount());
        String p = "/proc/irq/" + irq + "/";
        BitSet eff = new BitSet(cpus);
        eff.set(effective);
        write(p + "smp_affinity", mask(affinity));
        write(p + "smp_affinity_list", list(affinity));
        write(p + "effective_affinity", mask(eff));
        write(p + "effective_affinity_list", list(eff));
        write(p + "node", String.valueOf(node));
    }

    private String perCpuCount;

    private String perCpuCount() {
        if (perCpuCount == null) {
            perCpuCount = String.join(",", java.util.Collections.nCopies(cpus, "0"));
        }
        return perCpuCount;
    }

    private Path host(String path) {
        return root.resolve(path.substring(1));
    }

    /** A kernel attribute: the value and a newline. */
    private void write(String path, String value) throws IOException {
        writeBytes(path, (value + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private void writeBytes(String path, byte[] bytes) throws IOException {
        Path p = host(path);
        try {
            Files.write(p, bytes);
        } catch (java.nio.file.NoSuchFileException e) {
            Files.createDirectories(p.getParent());
            Files.write(p, bytes);
        }
    }

    /** A symlink stored relative, as sysfs does. */
    private void link(String path, String target) throws IOException {
        Path p = host(path);
        Path t = host(target.endsWith("/") ? target.substring(0, target.length() - 1) : target);
        Files.createDirectories(p.getParent());
        Files.createSymbolicLink(p, p.getParent().relativize(t));
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.forEach(all::add);
        }
        all.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path p : all) {
            Files.delete(p);
        }
    }
}
