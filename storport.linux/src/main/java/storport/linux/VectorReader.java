package storport.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import storport.api.Topology;

/**
 * Reads one MSI/MSI-X vector of a device: its message index, handler names and affinities. Per-IRQ
 * files first ({@code /sys/kernel/irq/<irq>}); kernels before 4.17 have none, and only then
 * {@code /proc/interrupts} is read, once per scan (it grows with CPUs x IRQs).
 */
final class VectorReader {
    static final String KERNEL_IRQ = "/sys/kernel/irq";

    /**
     * One vector.
     *
     * @param index      the MSI-X table index (the message ID)
     * @param irq        the Linux IRQ
     * @param name       its handler names, {@code a, b}
     * @param processors the processor indexes of {@code smp_affinity_list} (online CPUs only), ascending
     * @param effective  the same for {@code effective_affinity_list}
     * @param chip       the irq chip ({@code chip_name}), null when it came from /proc/interrupts
     */
    record Vector(int index, int irq, String name, List<Integer> processors, List<Integer> effective, String chip) {
    }

    private final SysfsSource source;
    private final Topology topology;
    private ProcInterrupts procInterrupts;
    private LinuxInputException procInterruptsProblem;

    /** One reader per scan: it remembers /proc/interrupts for the rest of the scan. Safe for concurrent use. */
    VectorReader(SysfsSource source, Topology topology) {
        this.source = source;
        this.topology = topology;
    }

    /**
     * One vector of {@code device}.
     *
     * @param chip the irq chip of another vector of the same device, or null to read this one's: a
     *             device's vectors are allocated together in one MSI domain (its own, or the global
     *             one), so they share the chip, and one {@code chip_name} per device is enough
     */
    Vector read(int irq, PciAddress device, String chip) throws LinuxInputException {
        String base = KERNEL_IRQ + "/" + irq;
        int index;
        String name;
        String hwirq;
        try {
            hwirq = SysfsFiles.read(source, base + "/hwirq");
        } catch (LinuxInputException e) {
            if (!SysfsFiles.isMissing(e) || source.exists(KERNEL_IRQ)) {
                throw e;
            }
            hwirq = null;
        }
        if (hwirq != null) {
            if (chip == null) {
                chip = SysfsFiles.read(source, base + "/chip_name");
            }
            String hwirqFile = base + "/hwirq";
            index = Hwirq.messageIndex(hwirqFile, SysfsText.parseUnsigned(hwirqFile, hwirq), chip, owner(hwirqFile, chip), device);
            name = SysfsText.handlerName(SysfsFiles.read(source, base + "/actions"));
        } else {
            InterruptLine line = procInterrupts().line(irq);
            if (line.hwirq() < 0) {
                throw new LinuxInputException(ProcInterrupts.PATH, "IRQ " + irq + " shows no hwirq");
            }
            index = Hwirq.messageIndex(ProcInterrupts.PATH, line.hwirq(), line.chip(), device);
            name = line.handlers();
            chip = null;
        }
        String requestedFile = "/proc/irq/" + irq + "/smp_affinity_list";
        List<Integer> requested = processors(requestedFile, SysfsFiles.read(source, requestedFile));
        String effectiveFile = "/proc/irq/" + irq + "/effective_affinity_list";
        List<Integer> effective;
        try {
            effective = processors(effectiveFile, SysfsFiles.read(source, effectiveFile));
        } catch (LinuxInputException e) {
            if (!SysfsFiles.isMissing(e)) {
                throw e;
            }
            effective = requested;   // kernels without effective affinity deliver where requested
        }
        return new Vector(index, irq, name, requested, effective, chip);
    }

    /** The device a chip name names, worked out once per chip name and scan. */
    private PciAddress owner(String path, String chip) throws LinuxInputException {
        Object known = owners.get(chip);
        if (known == null) {
            PciAddress owner = Hwirq.owner(path, chip);
            known = owner == null ? NO_OWNER : owner;
            owners.put(chip, known);
        }
        return known == NO_OWNER ? null : (PciAddress) known;
    }

    private static final Object NO_OWNER = new Object();
    private final Map<String, Object> owners = new ConcurrentHashMap<>();

    /** OS CPUs as processor indexes, ascending; offline CPUs are not processors and drop out. */
    private List<Integer> processors(String path, String text) throws LinuxInputException {
        List<Integer> out = new ArrayList<>();
        for (int cpu : CpuList.parse(path, text)) {
            int index = topology.indexOfCpu(cpu);
            if (index >= 0) {
                out.add(index);
            }
        }
        out.sort(null);
        return out;
    }

    private synchronized ProcInterrupts procInterrupts() throws LinuxInputException {
        if (procInterrupts == null && procInterruptsProblem == null) {
            try {
                procInterrupts = ProcInterrupts.parse(SysfsFiles.read(source, ProcInterrupts.PATH));
            } catch (LinuxInputException e) {
                procInterruptsProblem = e;
            }
        }
        if (procInterruptsProblem != null) {
            throw procInterruptsProblem;
        }
        return procInterrupts;
    }
}
