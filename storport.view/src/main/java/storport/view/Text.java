package storport.view;

import java.util.ArrayList;
import java.util.List;

import storport.api.GroupAffinity;

/** The compact text forms the tables use. */
public final class Text {
    private Text() {
    }

    /** Processor indexes as compact ranges: {@code 0-2,40-41}; {@code -} for none. */
    public static String ranges(List<Integer> sorted) {
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
    public static String affinities(List<GroupAffinity> affinities) {
        if (affinities.isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>(affinities.size());
        for (GroupAffinity a : affinities) {
            parts.add(a.group() + ":" + a.maskHex());
        }
        return String.join(",", parts);
    }

    public static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    /** A NUMA node; -1 means unknown. */
    public static String node(int node) {
        return node < 0 ? "-" : Integer.toString(node);
    }
}
