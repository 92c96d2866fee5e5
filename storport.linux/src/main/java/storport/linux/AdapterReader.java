package storport.linux;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import storport.api.Adapter;
import storport.api.InterruptMode;
import storport.api.MessageInterrupt;
import storport.api.StorPortException;
import storport.api.Topology;

/**
 * Builds the storport {@link Adapter} of one storage function. A function whose files are missing
 * or malformed becomes an unavailable adapter naming the file, so one bad device never costs the
 * answers for the others.
 */
final class AdapterReader {
    /** Message 0 of NVMe is the admin queue, of virtio the config vector: neither completes I/O. */
    /** How an unavailable adapter's reason starts when reading it hit a bug rather than bad input. */
    static final String INTERNAL_ERROR = "internal error reading the device: ";
    private static final Pattern NOT_FOR_IO = Pattern.compile("nvme[0-9]+q0|virtio[0-9]+-config");

    private final SysfsSource source;
    private final Topology topology;
    private final VectorReader vectors;

    /** One reader per scan; adapters may be read concurrently. */
    AdapterReader(SysfsSource source, Topology topology) {
        this.source = source;
        this.topology = topology;
        this.vectors = new VectorReader(source, topology);
    }

    Adapter read(StorageFunction f) {
        if (f.problem != null) {
            return unavailable(f, f.problem);
        }
        try {
            return available(f);
        } catch (LinuxInputException e) {
            return unavailable(f, e.getMessage());
        } catch (StorPortException | IllegalArgumentException e) {
            // Inputs the API refuses (it validates every adapter): still this device's problem only.
            return unavailable(f, f.link + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        } catch (RuntimeException e) {
            // A bug of this reader, not of the input: still this device's problem only, but said so (the fuzz tests look for it).
            return unavailable(f, f.link + ": " + INTERNAL_ERROR + e);
        }
    }

    private Adapter available(StorageFunction f) throws LinuxInputException {
        PciAddress address = PciAddress.parse(f.link, f.bdf);
        VectorReader.Vector[] byIndex = vectorsByIndex(f, address);
        Adapter.Builder b = Adapter.builder(f.bdf).aliases(f.aliases()).node(node(f)).driver(driver(f));
        Map<String, Integer> messageOfHandler = new HashMap<>();
        for (int id = 0; id < byIndex.length; id++) {
            VectorReader.Vector v = byIndex[id];
            b.message(v == null ? placeholder(id) : message(id, v));
            if (v != null) {
                for (String handler : SysfsText.handlers(v.name())) {
                    messageOfHandler.putIfAbsent(handler, id);
                }
            }
        }
        int count = byIndex.length;
        boolean firstIsNotIo = count > 1 && byIndex[0] != null
                && SysfsText.handlers(byIndex[0].name()).stream().anyMatch(h -> NOT_FOR_IO.matcher(h).matches());
        b.redirection(firstIsNotIo ? 1 : 0, count - 1);
        int[] primary = QueueMap.primary(source, topology, f, messageOfHandler);
        if (primary != null) {
            b.primary(primary);
        }
        b.policy((primary != null ? "blk-mq" : "affinity") + ids(f));
        return b.build(topology);
    }

    /** The vectors by message index; the count of messages is the highest index + 1. */
    private VectorReader.Vector[] vectorsByIndex(StorageFunction f, PciAddress address) throws LinuxInputException {
        Map<Integer, VectorReader.Vector> byIndex = new HashMap<>();
        int max = -1;
        String chip = null;
        for (int irq : f.irqs) {
            VectorReader.Vector v = vectors.read(irq, address, chip);
            chip = v.chip();
            VectorReader.Vector other = byIndex.putIfAbsent(v.index(), v);
            if (other != null) {
                throw new LinuxInputException(f.link + "/msi_irqs", "IRQs " + other.irq() + " and " + irq + " both claim message "
                        + v.index());
            }
            max = Math.max(max, v.index());
        }
        VectorReader.Vector[] out = new VectorReader.Vector[max + 1];
        byIndex.forEach((i, v) -> out[i] = v);
        return out;
    }

    private MessageInterrupt message(int id, VectorReader.Vector v) {
        // Linux does not expose MSI data/address or the CPU vector per message: 0 rather than a made-up value.
        return new MessageInterrupt(id, 0, 0, 0, 0, InterruptMode.LATCHED, v.name(), v.irq(), topology.affinities(v.processors()),
                v.processors(), v.effective());
    }

    /** A table entry without a vector (e.g. a gap after a queue was freed): it targets no processor. */
    private static MessageInterrupt placeholder(int id) {
        return new MessageInterrupt(id, 0, 0, 0, 0, InterruptMode.LATCHED, "", -1, List.of(), List.of(), List.of());
    }

    /** {@code numa_node}; -1 (unknown) when the kernel has no NUMA and so no such file. */
    private int node(StorageFunction f) throws LinuxInputException {
        String path = f.link + "/numa_node";
        try {
            return SysfsText.parseInt(path, SysfsFiles.read(source, path));
        } catch (LinuxInputException e) {
            if (SysfsFiles.isMissing(e)) {
                return -1;
            }
            throw e;
        }
    }

    /** The bound driver's name, the last component of the {@code driver} link; "" when unbound. */
    private String driver(StorageFunction f) throws LinuxInputException {
        String path = f.link + "/driver";
        if (!source.exists(path)) {
            return "";
        }
        try {
            return SysfsPaths.basename(source.readLink(path));
        } catch (IOException e) {
            throw LinuxInputException.of(path, e);
        }
    }

    /** {@code " (pci 1af4:1042)"}: which hardware it is, for people reading the policy; empty when unknown. */
    private String ids(StorageFunction f) {
        try {
            int vendor = SysfsText.parseHex(f.link + "/vendor", SysfsFiles.read(source, f.link + "/vendor"));
            int device = SysfsText.parseHex(f.link + "/device", SysfsFiles.read(source, f.link + "/device"));
            return String.format(" (pci %04x:%04x)", vendor, device);
        } catch (LinuxInputException e) {
            return "";   // descriptive only: not worth an unavailable adapter
        }
    }

    private Adapter unavailable(StorageFunction f, String reason) {
        return Adapter.builder(f.bdf).aliases(f.aliases()).unavailable(reason).build(topology);
    }
}
