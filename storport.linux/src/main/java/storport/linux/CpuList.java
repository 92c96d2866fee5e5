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
        int[] cpus = parseKernelSpelling(text);
        return cpus != null ? cpus : parseOrExplain(path, text);
    }

    /**
     * The CPUs of a list as the kernel writes them ({@code 0-3,8}, {@code 0, 1, 4}, a newline at
     * the end) in one pass; null for anything else, which {@link #parseOrExplain} then reads or
     * explains. Lists are parsed by the ten thousand on a large host.
     */
    private static int[] parseKernelSpelling(String text) {
        int n = text.length();
        int i = skipSpace(text, 0);
        BitSet cpus = new BitSet();
        if (i == n) {
            return new int[0];
        }
        while (true) {
            int start = i;
            int first = 0;
            while (i < n && i - start < 10 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                first = first * 10 + (text.charAt(i++) - '0');
            }
            if (i == start || i - start > 9) {
                return null;
            }
            int last = first;
            if (i < n && text.charAt(i) == '-') {
                start = ++i;
                last = 0;
                while (i < n && i - start < 10 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                    last = last * 10 + (text.charAt(i++) - '0');
                }
                if (i == start || i - start > 9) {
                    return null;
                }
            }
            if (first > MAX_CPU || last > MAX_CPU || last < first) {
                return null;
            }
            cpus.set(first, last + 1);
            i = skipSpace(text, i);
            if (i == n) {
                break;
            }
            if (text.charAt(i) != ',') {
                return null;
            }
            i = skipSpace(text, i + 1);
        }
        int[] out = new int[cpus.cardinality()];
        for (int c = cpus.nextSetBit(0), k = 0; c >= 0; c = cpus.nextSetBit(c + 1)) {
            out[k++] = c;
        }
        return out;
    }

    private static int skipSpace(String text, int i) {
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\n' || text.charAt(i) == '\t' || text.charAt(i) == '\r')) {
            i++;
        }
        return i;
    }

    /** The general way, which names what is wrong. */
    private static int[] parseOrExplain(String path, String text) throws LinuxInputException {
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
