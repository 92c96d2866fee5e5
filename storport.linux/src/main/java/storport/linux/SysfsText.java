package storport.linux;

import java.util.ArrayList;
import java.util.List;

/** The small text formats sysfs and procfs files use: one number, a hex class code, handler lists. */
final class SysfsText {
    /** Longest excerpt of a bad input quoted in a message. */
    private static final int QUOTE_LIMIT = 60;

    private SysfsText() {
    }

    /**
     * The text as a message quotes it: trailing newline dropped, control characters and non-ASCII
     * (binary garbage decodes to U+FFFD) escaped, long text cut, so a message stays one short line.
     */
    static String quote(String text) {
        String t = stripNewline(text);
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < t.length() && i < QUOTE_LIMIT; i++) {
            char c = t.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                b.append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        if (t.length() > QUOTE_LIMIT) {
            b.append("...");
        }
        return b.append('\'').toString();
    }

    /** Kernel attributes end with one newline; it is not part of the value. */
    static String stripNewline(String text) {
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    /** A decimal int such as {@code numa_node} ({@code -1}) or {@code core_id}. */
    static int parseInt(String path, String text) throws LinuxInputException {
        String t = text.strip();
        if (!digits(t, t.startsWith("-") ? 1 : 0, 10)) {
            throw new LinuxInputException(path, quote(text) + " is not a number");
        }
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new LinuxInputException(path, quote(text) + " is out of range");
        }
    }

    /** Whether {@code t} from {@code from} on is 1 to {@code max} ASCII digits ({@code [0-9]{1,max}}). */
    private static boolean digits(String t, int from, int max) {
        int n = t.length() - from;
        if (n < 1 || n > max) {
            return false;
        }
        for (int i = from; i < t.length(); i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code 0[xX][0-9a-fA-F]{1,8}}. */
    private static boolean isHex(String t) {
        if (t.length() < 3 || t.length() > 10 || t.charAt(0) != '0' || (t.charAt(1) != 'x' && t.charAt(1) != 'X')) {
            return false;
        }
        for (int i = 2; i < t.length(); i++) {
            if (Character.digit(t.charAt(i), 16) < 0 || t.charAt(i) > 'f') {
                return false;
            }
        }
        return true;
    }

    /** A non-negative decimal unsigned long, as {@code %lu} prints it (e.g. {@code hwirq}). */
    static long parseUnsigned(String path, String text) throws LinuxInputException {
        String t = text.strip();
        if (!digits(t, 0, 18)) {
            throw new LinuxInputException(path, quote(text) + " is not a number");
        }
        return Long.parseLong(t);
    }

    /** A hex value written {@code 0x...} (PCI {@code class}, {@code vendor}, {@code device}). */
    static int parseHex(String path, String text) throws LinuxInputException {
        String t = text.strip();
        if (!isHex(t)) {
            throw new LinuxInputException(path, quote(text) + " is not a hex number such as 0x010802");
        }
        return Integer.parseUnsignedInt(t.substring(2), 16);
    }

    /**
     * The handler names of one interrupt ({@code /sys/kernel/irq/N/actions} writes {@code a,b},
     * {@code /proc/interrupts} writes {@code a, b}), trimmed, empty ones dropped.
     */
    static List<String> handlers(String actions) {
        List<String> out = new ArrayList<>();
        for (String h : actions.split(",")) {
            String t = h.strip();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /** The handler names as one message name, written the way {@code /proc/interrupts} shows them. */
    static String handlerName(String actions) {
        return String.join(", ", handlers(actions));
    }
}
