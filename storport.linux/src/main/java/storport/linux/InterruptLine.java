package storport.linux;

/**
 * One IRQ line of {@code /proc/interrupts}, e.g.
 * {@code  36:   0  53346 PCI-MSIX-0000:00:02.0   1-edge      virtio1-req.0} or
 * {@code  45:   0      0 IR-PCI-MSI 524289-edge  nvme0q1}: the IRQ, one count per online CPU,
 * the chip, the hwirq (glued to the flow name), then the handlers.
 *
 * @param irq      the IRQ number
 * @param chip     the irq chip name
 * @param hwirq    the hwirq number, or -1 when the line shows none (an IRQ without a domain)
 * @param handlers the handler names as one string, {@code a, b}; empty when none is registered
 */
public record InterruptLine(int irq, String chip, long hwirq, String handlers) {

    /** The number of CPU columns, from the header line ({@code CPU0 CPU1 ...}: one per online CPU). */
    public static int cpuColumns(String path, String header) throws LinuxInputException {
        String t = header.strip();
        if (t.isEmpty()) {
            throw new LinuxInputException(path, "the header line is empty");
        }
        String[] names = t.split("\\s+");
        for (String n : names) {
            if (!n.matches("CPU[0-9]+")) {
                throw new LinuxInputException(path, "header " + SysfsText.quote(header) + " is not a list of CPU columns");
            }
        }
        return names.length;
    }

    /**
     * Parses one IRQ line.
     *
     * @param cpuColumns the number of count columns, from {@link #cpuColumns}
     * @throws LinuxInputException when the line is not an IRQ line of that shape
     */
    public static InterruptLine parse(String path, String line, int cpuColumns) throws LinuxInputException {
        Tokens t = new Tokens(line);
        String label = t.next();
        if (label == null || !label.matches("[0-9]{1,9}:")) {
            throw bad(path, line, "it does not start with an IRQ number");
        }
        int irq = Integer.parseInt(label.substring(0, label.length() - 1));
        for (int c = 0; c < cpuColumns; c++) {
            String count = t.next();
            if (count == null || !count.matches("[0-9]+")) {
                throw bad(path, line, "it has fewer than " + cpuColumns + " CPU counts");
            }
        }
        String chip = t.next();
        if (chip == null) {
            throw bad(path, line, "it names no irq chip");
        }
        long hwirq = -1;
        String next = t.peek();
        // "524289-edge" (x86), or "27" then "Level"/"Edge" then "-edge" (GENERIC_IRQ_SHOW_LEVEL), or no hwirq at all.
        if (next != null && next.matches("[0-9]{1,18}(-\\S*)?")) {
            t.next();
            int dash = next.indexOf('-');
            hwirq = Long.parseLong(dash < 0 ? next : next.substring(0, dash));
            if (dash < 0 && t.peek() != null && t.peek().matches("Level|Edge")) {
                t.next();
            }
            if (dash < 0 && t.peek() != null && t.peek().startsWith("-")) {
                t.next();
            }
        }
        return new InterruptLine(irq, chip, hwirq, SysfsText.handlerName(t.rest()));
    }

    private static LinuxInputException bad(String path, String line, String why) {
        return new LinuxInputException(path, "line " + SysfsText.quote(line) + " is not an interrupt line: " + why);
    }

    /** Whitespace-separated tokens, and whatever follows the last one taken. */
    private static final class Tokens {
        private final String s;
        private int pos;

        Tokens(String s) {
            this.s = s;
        }

        String peek() {
            int save = pos;
            String t = next();
            pos = save;
            return t;
        }

        String next() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
            if (pos >= s.length()) {
                return null;
            }
            int start = pos;
            while (pos < s.length() && !Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
            return s.substring(start, pos);
        }

        String rest() {
            return s.substring(pos).strip();
        }
    }
}
