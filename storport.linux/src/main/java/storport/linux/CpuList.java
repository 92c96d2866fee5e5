package storport.linux;

import java.util.BitSet;

/**
 * A Linux cpulist such as {@code 0-3,8,10-11} (cpu/online, nodeN/cpulist, smp_affinity_list) or
 * {@code 0, 1} (blk-mq's {@code mq/N/cpu_list} puts a space after each comma).
 */
public final class CpuList {
    /** Sparse numbering is fine; numbers beyond this are input errors (as in storport.api.Topology). */
    public static final int MAX_CPU = 65535;

    private CpuList() {
    }

    /**
     * The CPUs of a list, ascending and distinct; empty text (or only a newline) is the empty set.
     *
     * @param path where the text came from, for the message
     * @throws LinuxInputException {@code <path>: '<text>' is not a CPU list: <why>}
     */
    public static int[] parse(String path, String text) throws LinuxInputException {
        String t = text.strip();
        BitSet cpus = new BitSet();
        if (t.isEmpty()) {
            return new int[0];
        }
        for (String item : t.split(",", -1)) {
            String range = item.strip();
            int dash = range.indexOf('-');
            int first = number(path, text, dash < 0 ? range : range.substring(0, dash));
            int last = dash < 0 ? first : number(path, text, range.substring(dash + 1));
            if (last < first) {
                throw notAList(path, text, "range " + range + " runs backwards");
            }
            cpus.set(first, last + 1);
        }
        return cpus.stream().toArray();
    }

    private static int number(String path, String text, String digits) throws LinuxInputException {
        if (!isNumber(digits)) {
            throw notAList(path, text, digits.isEmpty() ? "a number is missing" : SysfsText.quote(digits) + " is not a CPU number");
        }
        int cpu = Integer.parseInt(digits);
        if (cpu > MAX_CPU) {
            throw notAList(path, text, "CPU " + cpu + " is outside 0.." + MAX_CPU);
        }
        return cpu;
    }

    /** 1 to 9 ASCII digits (what {@code [0-9]{1,9}} matches), without a regex: lists are parsed by the thousand. */
    private static boolean isNumber(String s) {
        int n = s.length();
        if (n == 0 || n > 9) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static LinuxInputException notAList(String path, String text, String why) {
        return new LinuxInputException(path, SysfsText.quote(text) + " is not a CPU list: " + why);
    }
}
