package storport.shell;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import storport.api.Adapter;
import storport.api.GroupAffinity;
import storport.api.SimulatedAdapter;
import storport.api.StorPort;
import storport.api.StorPortException;
import storport.api.StorStatus;

/** What every storport command shares: the error contract, number parsing and the text formats. */
final class Shell {
    static final String SCOPE = "storport";

    /** ASCII digits only: Long.parseLong would also take other scripts' digits. */
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

    private Shell() {
    }

    /**
     * Runs a command body and prints its output. The output is built first and printed only on
     * success, so a failing command prints nothing; every failure leaves as a StorPortException,
     * whose message is the {@code STOR_STATUS_<NAME>: <reason>} line the contract promises.
     */
    static void run(Supplier<String> body) {
        String out = call(body);
        // One print call: Gogo's per-session stream gets the whole output at once.
        System.out.print(out);
        System.out.flush();
    }

    /** The error mapping of {@link #run} without printing. */
    static <T> T call(Supplier<T> body) {
        try {
            return body.get();
        } catch (StorPortException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw StorPortException.invalidParameter(e.getMessage() != null ? e.getMessage() : e.toString());
        } catch (RuntimeException e) {
            throw new StorPortException(StorStatus.UNSUCCESSFUL, e.toString());
        }
    }

    /** The bound backend; null only in the instant a dynamic reference has none. */
    static StorPort backend(StorPort storport) {
        if (storport == null) {
            throw new StorPortException(StorStatus.INVALID_DEVICE_STATE, "no storport backend is registered");
        }
        return storport;
    }

    /**
     * Parses a decimal integer typed by the user.
     *
     * @return the value, or null when it is an integer too large for a long
     * @throws StorPortException INVALID_PARAMETER {@code <label> '<text>' is not a number}
     */
    static Long parseLong(String label, String text) {
        if (text == null || !INTEGER.matcher(text).matches()) {
            throw StorPortException.invalidParameter(label + " '" + text + "' is not a number");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
            return null;
        }
    }

    /** Parses an int option such as {@code --messages}. */
    static int parseInt(String label, String text) {
        Long v = parseLong(label, text);
        if (v == null || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw StorPortException.invalidParameter(label + " " + normalized(text) + " is outside "
                    + Integer.MIN_VALUE + ".." + Integer.MAX_VALUE);
        }
        return v.intValue();
    }

    /** An integer's canonical spelling ({@code +007} -> {@code 7}); text must match {@link #INTEGER}. */
    static String normalized(String integer) {
        return new BigInteger(integer).toString();
    }

    /** Processor indexes as compact ranges: {@code 0-2,40-41}; {@code -} for none. */
    static String ranges(List<Integer> sorted) {
        if (sorted.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < sorted.size()) {
            int start = sorted.get(i);
            int end = start;
            while (i + 1 < sorted.size() && sorted.get(i + 1) == end + 1) {
                end = sorted.get(++i);
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(start);
            if (end != start) {
                sb.append('-').append(end);
            }
            i++;
        }
        return sb.toString();
    }

    /** Group affinities as {@code 0:0x7,1:0x1}; {@code -} for none. */
    static String affinities(List<GroupAffinity> affinities) {
        if (affinities.isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>(affinities.size());
        for (GroupAffinity a : affinities) {
            parts.add(a.group() + ":" + a.maskHex());
        }
        return String.join(",", parts);
    }

    static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    /** The table {@code adapters} prints; {@code sim-adapter} prints the same with one row. */
    static Table adapterTable() {
        return new Table("ID", "ALIASES", "NODE", "MESSAGES", "REDIRECTION", "POLICY");
    }

    static void adapterRow(Table table, Adapter a) {
        table.row(a.id(), a.aliases().isEmpty() ? "-" : String.join(",", a.aliases()), node(a.node()),
                a.messageCount(), a.messageCount() == 0 ? "-" : a.firstRedirectionMessage() + "-" + a.lastRedirectionMessage(),
                orDash(a.policy()));
    }

    /** A simulated adapter's row: the redirection range runs from its first I/O message to its last message. */
    static void adapterRow(Table table, SimulatedAdapter a) {
        table.row(a.name(), "-", node(a.node()), a.messages(),
                a.messages() <= 0 ? "-" : a.firstRedirection() + "-" + (a.messages() - 1), orDash(a.policy()));
    }

    /** A NUMA node; -1 means unknown. */
    static String node(int node) {
        return node < 0 ? "-" : Integer.toString(node);
    }
}
