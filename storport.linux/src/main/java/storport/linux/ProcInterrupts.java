package storport.linux;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code /proc/interrupts}, indexed by IRQ. Only a fallback for kernels without
 * {@code /sys/kernel/irq} (before 4.17): it grows with CPUs x IRQs, so lines are parsed only when asked.
 */
final class ProcInterrupts {
    static final String PATH = "/proc/interrupts";

    private final int cpuColumns;
    private final Map<Integer, String> lines;

    private ProcInterrupts(int cpuColumns, Map<Integer, String> lines) {
        this.cpuColumns = cpuColumns;
        this.lines = lines;
    }

    static ProcInterrupts parse(String text) throws LinuxInputException {
        int end = text.indexOf('\n');
        int columns = InterruptLine.cpuColumns(PATH, end < 0 ? text : text.substring(0, end));
        Map<Integer, String> lines = new HashMap<>();
        for (String line : text.substring(end < 0 ? text.length() : end + 1).split("\n")) {
            String t = line.stripLeading();
            int colon = t.indexOf(':');
            // Named rows (NMI:, LOC:, ERR: ...) are not IRQs.
            if (colon > 0 && colon <= 9 && t.substring(0, colon).chars().allMatch(c -> c >= '0' && c <= '9')) {
                lines.putIfAbsent(Integer.parseInt(t.substring(0, colon)), line);
            }
        }
        return new ProcInterrupts(columns, lines);
    }

    /** The line of an IRQ; an error when the file has none. */
    InterruptLine line(int irq) throws LinuxInputException {
        String line = lines.get(irq);
        if (line == null) {
            throw new LinuxInputException(PATH, "no line for IRQ " + irq);
        }
        return InterruptLine.parse(PATH, line, cpuColumns);
    }
}
