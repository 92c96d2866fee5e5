package storport.sim;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import storport.api.sim.SimulatedAdapter;
import storport.api.StorPortException;

/**
 * A simulated adapter as Config Admin properties. Reading is lenient about types (a console may
 * write numbers as Long or String) and strict about values.
 */
final class AdapterProperties {
    private AdapterProperties() {
    }

    static Dictionary<String, Object> write(SimulatedAdapter a) {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("name", a.name());
        p.put("messages", a.messages());
        p.put("first", a.first() == null ? -1 : a.first());
        p.put("policy", a.policy());
        p.put("node", a.node());
        p.put("table", String.join(",", a.table().stream().map(String::valueOf).toList()));
        return p;
    }

    static String name(Dictionary<String, Object> p) {
        Object v = p == null ? null : p.get("name");
        return v == null ? null : v.toString();
    }

    static SimulatedAdapter read(Dictionary<String, Object> p) {
        String name = name(p);
        if (name == null || name.isBlank()) {
            throw StorPortException.invalidParameter("a simulated adapter configuration has no name");
        }
        int messages = integer(p, "messages", name, 33);
        int first = integer(p, "first", name, -1);
        Object policy = p.get("policy");
        int node = integer(p, "node", name, 0);
        Object table = p.get("table");
        return new SimulatedAdapter(name, messages, first < 0 ? null : first, policy == null ? "numa-spread" : policy.toString(),
                node, table(name, table == null ? "" : table.toString()));
    }

    /** Parses an explicit table: message ids separated by commas or spaces. */
    static List<Integer> table(String adapter, String text) {
        List<Integer> out = new ArrayList<>();
        for (String t : text.trim().split("[,\\s]+")) {
            if (t.isEmpty()) {
                continue;
            }
            try {
                out.add(parseInt(t));
            } catch (NumberFormatException e) {
                throw StorPortException.invalidParameter("adapter " + adapter + ": table entry '" + t + "' is not a message number");
            }
        }
        return out;
    }

    /**
     * Integer.parseInt for ASCII digits only: it also reads other scripts' digits (U+0663 is 3), which
     * in a configuration are a typo, not a number (the shell refuses them too).
     */
    static int parseInt(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                throw new NumberFormatException("not ASCII: " + text);
            }
        }
        return Integer.parseInt(text);
    }

    private static int integer(Dictionary<String, Object> p, String key, String adapter, int absent) {
        Object v = p.get(key);
        if (v == null) {
            return absent;
        }
        if (v instanceof Number n && n.longValue() == n.intValue() && n.doubleValue() == n.longValue()) {
            return n.intValue();
        }
        try {
            return parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw StorPortException.invalidParameter("adapter " + adapter + ": " + key + " '" + v + "' is not a whole number");
        }
    }
}
