package storport.linux;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.Topology;

/**
 * Reads a Linux host (live or captured, through a {@link SysfsSource}) into one immutable storport
 * {@link Host}: the online CPUs in processor groups, and every storage adapter with its MSI/MSI-X
 * messages and the processor -> message map of the lookup rule. Stateless; safe to share.
 */
public final class LinuxHostScanner {
    /** The backend name the snapshot carries. */
    public static final String BACKEND = "native";

    /**
     * A consistent snapshot of the host. Adapters whose files vanish or are malformed are in it as
     * unavailable adapters, with the file and the problem as the reason.
     *
     * @throws LinuxInputException when the CPU topology (online CPUs, their package/core, the NUMA
     *                             nodes) or the PCI device list cannot be read: without them no
     *                             answer would be right
     */
    public Host scan(SysfsSource source) throws LinuxInputException {
        Topology topology = TopologyReader.read(source);
        List<StorageFunction> functions = StorageFunction.find(source);
        AdapterReader reader = new AdapterReader(source, topology);
        List<Adapter> adapters = new ArrayList<>(functions.size());
        for (StorageFunction f : functions) {
            adapters.add(reader.read(f));
        }
        return new Host(BACKEND, topology, adapters);
    }

    /**
     * A cheap check for change: a hash over the online CPUs and nodes, the PCI device list, each
     * storage function's vectors and their affinity lists, and the blk-mq CPU lists of its block
     * devices. It reads no per-CPU file, so it costs a fraction of a scan on a large host; equal
     * fingerprints mean a new scan would give the same answers.
     *
     * @throws LinuxInputException when {@code cpu/online} or the PCI device list cannot be read
     */
    public String fingerprint(SysfsSource source) throws LinuxInputException {
        Digest d = new Digest();
        d.add(TopologyReader.ONLINE, SysfsFiles.read(source, TopologyReader.ONLINE));
        d.file(source, TopologyReader.NODES_ONLINE);
        if (source.exists(StorageFunction.DEVICES)) {
            d.add(StorageFunction.DEVICES, String.join(" ", SysfsFiles.list(source, StorageFunction.DEVICES)));
        }
        for (StorageFunction f : StorageFunction.find(source)) {
            d.add(f.link, f.problem == null ? f.devicePath : "problem " + f.problem);
            for (int irq : f.irqs) {
                d.file(source, "/proc/irq/" + irq + "/smp_affinity_list");
                d.file(source, "/proc/irq/" + irq + "/effective_affinity_list");
            }
            for (DeviceLink disk : f.disks) {
                d.add(disk.link(), disk.target());
                String mq = disk.link() + "/mq";
                if (source.exists(mq)) {
                    try {
                        for (String hctx : SysfsFiles.list(source, mq)) {
                            d.file(source, mq + "/" + hctx + "/cpu_list");
                        }
                    } catch (LinuxInputException e) {
                        d.add(mq, "error " + e.getMessage());
                    }
                }
            }
            for (DeviceLink c : f.controllers) {
                d.add(c.link(), c.target());
            }
        }
        return d.hex();
    }

    /** A SHA-256 over named values: the fingerprint stays short however large the host. */
    private static final class Digest {
        private final MessageDigest sha;

        Digest() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }

        void add(String name, String value) {
            sha.update((name + "\0" + value + "\0").getBytes(StandardCharsets.UTF_8));
        }

        /** A file's content, or that it is missing or unreadable: appearing and vanishing are changes too. */
        void file(SysfsSource source, String path) {
            try {
                add(path, SysfsFiles.read(source, path));
            } catch (LinuxInputException e) {
                add(path, "error " + e.reason());
            }
        }

        String hex() {
            return HexFormat.of().formatHex(sha.digest());
        }
    }
}
