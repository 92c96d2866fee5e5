package storport.linux;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.HashMap;
import java.util.Map;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.InterruptCounts;
import storport.api.MessageInterrupt;
import storport.api.Topology;

/**
 * Reads how many interrupts each message of one adapter has raised on each CPU: its IRQs'
 * {@code /sys/kernel/irq/<irq>/per_cpu_count} (one count per possible CPU, in CPU order:
 * kernel/irq/irqdesc.c, {@code per_cpu_count_show}), and {@code /proc/interrupts} only where those
 * files do not exist (kernels before 4.17). Only that adapter's files are read: on 4,096 CPUs
 * {@code /proc/interrupts} is hundreds of megabytes.
 *
 * <p>Counts of CPUs that are not online in the snapshot are left out (they count nothing while offline).
 * A {@code per_cpu_count} that fills its page ({@code sysfs_emit_at} stops at 4,095 bytes: about 2,000
 * CPUs) ends without its newline, its last number perhaps cut: that IRQ's counts come from
 * {@code /proc/interrupts} instead, which costs far more on such a host but is whole.
 */
public final class InterruptCounter {
    static final String POSSIBLE = TopologyReader.CPU + "/possible";

    private InterruptCounter() {
    }

    /**
     * @param host    the snapshot the adapter and processors come from
     * @param adapter the adapter's id or alias in {@code host}
     * @throws LinuxInputException when a counter file is unreadable or malformed
     */
    public static InterruptCounts read(SysfsSource source, Host host, String adapter) throws LinuxInputException {
        Adapter a = host.adapter(adapter);
        Topology t = host.topology();
        long[][] counts = new long[a.messageCount()][t.processorCount()];
        int[] possible = null;
        Map<String, MessageInterrupt> fromProc = new HashMap<>();   // "irq:" -> its message
        boolean cut = false;
        for (MessageInterrupt m : a.messages()) {
            if (m.irq() < 0) {
                continue;
            }
            String path = VectorReader.KERNEL_IRQ + "/" + m.irq() + "/per_cpu_count";
            String text;
            try {
                text = source.read(path);
            } catch (NoSuchFileException e) {
                text = null;
            } catch (IOException e) {
                throw LinuxInputException.of(path, e);
            }
            if (text != null && text.endsWith("\n")) {
                if (possible == null) {
                    possible = CpuList.parse(POSSIBLE, SysfsFiles.read(source, POSSIBLE));
                }
                perCpuCount(path, text, possible, t, counts[m.messageId()]);
            } else {
                fromProc.put(m.irq() + ":", m);
                cut |= text != null;
            }
        }
        String from = "per_cpu_count";
        if (!fromProc.isEmpty()) {
            procInterrupts(source, fromProc, t, counts);
            from = !cut ? ProcInterrupts.PATH : "per_cpu_count and " + ProcInterrupts.PATH + " (a per_cpu_count filled its page)";
        }
        return new InterruptCounts(host, a.id(), System.nanoTime(), from, counts);
    }

    /**
     * The lines of the wanted IRQs of {@code /proc/interrupts}, streamed: on a host with thousands of
     * CPUs the file is hundreds of megabytes, of which one adapter needs a few lines.
     */
    private static void procInterrupts(SysfsSource source, Map<String, MessageInterrupt> wanted, Topology t, long[][] counts)
            throws LinuxInputException {
        Map<String, String> lines = new HashMap<>();
        String[] header = new String[1];
        try {
            source.lines(ProcInterrupts.PATH, line -> {
                if (header[0] == null) {
                    header[0] = line;
                    return true;
                }
                String label = line.stripLeading();
                int space = label.indexOf(' ');
                String irq = space < 0 ? label : label.substring(0, space);
                if (wanted.containsKey(irq)) {
                    lines.put(irq, line);
                }
                return lines.size() < wanted.size();   // stop once every wanted line is read
            });
        } catch (LinuxInputException e) {
            throw e;
        } catch (IOException e) {
            throw LinuxInputException.of(ProcInterrupts.PATH, e);
        }
        int[] cpus = header(header[0] == null ? "" : header[0]);
        for (Map.Entry<String, MessageInterrupt> w : wanted.entrySet()) {
            String line = lines.get(w.getKey());
            if (line == null) {
                throw new LinuxInputException(ProcInterrupts.PATH, "no line for IRQ " + w.getValue().irq());
            }
            procLine(line, cpus, w.getValue().irq(), t, counts[w.getValue().messageId()]);
        }
    }

    /** {@code 0,2827858,...}: the i-th count is the i-th possible CPU's. Parsed by hand: 4,096 numbers a file. */
    private static void perCpuCount(String path, String text, int[] possible, Topology t, long[] into) throws LinuxInputException {
        int n = text.length();
        int column = 0;
        int i = 0;
        while (i < n && text.charAt(i) != '\n') {
            long value = 0;
            int start = i;
            while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9' && i - start < 19) {
                value = value * 10 + (text.charAt(i++) - '0');
            }
            if (i == start || column >= possible.length) {
                throw new LinuxInputException(path, column >= possible.length ? "more counts than the " + possible.length + " possible CPUs"
                        : "not a comma-separated list of counts at character " + i);
            }
            int index = t.indexOfCpu(possible[column++]);
            if (index >= 0) {
                into[index] = value;
            }
            if (i < n && text.charAt(i) == ',') {
                i++;
            } else if (i < n && text.charAt(i) != '\n') {
                throw new LinuxInputException(path, "not a comma-separated list of counts at character " + i);
            }
        }
    }

    /** The CPU number of each count column: {@code CPU0 CPU1 ...} (online CPUs only). */
    private static int[] header(String line) throws LinuxInputException {
        String[] names = line.strip().split("\\s+");
        int[] cpus = new int[names.length];
        for (int c = 0; c < names.length; c++) {
            if (!names[c].matches("CPU[0-9]{1,5}")) {
                throw new LinuxInputException(ProcInterrupts.PATH, "header " + SysfsText.quote(line) + " is not a list of CPU columns");
            }
            cpus[c] = Integer.parseInt(names[c].substring(3));
        }
        return cpus;
    }

    private static void procLine(String line, int[] cpus, int irq, Topology t, long[] into) throws LinuxInputException {
        String[] tokens = line.strip().split("\\s+");
        for (int c = 0; c < cpus.length; c++) {
            if (c + 1 >= tokens.length || !tokens[c + 1].matches("[0-9]{1,19}")) {
                throw new LinuxInputException(ProcInterrupts.PATH, "the line of IRQ " + irq + " has fewer than " + cpus.length + " counts");
            }
            int index = t.indexOfCpu(cpus[c]);
            if (index >= 0) {
                into[index] = Long.parseLong(tokens[c + 1]);
            }
        }
    }
}
