package storport.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.MessageInterrupt;
import storport.api.StorPortException;
import storport.api.Topology;

/**
 * What changed between a captured baseline and a host now, the answer after a kernel upgrade or a
 * BIOS change: computed from the two snapshots alone. Adapters are matched by id, processors by
 * index, messages by id. Where the hosts differ in processors, only the indexes both have are
 * compared, and {@link TopologyChange} says so.
 */
public final class Drift {
    /** An adapter in both hosts, {@code same} or {@code changed}; in one only, {@code gone} or {@code new}. */
    public enum Status {
        SAME, CHANGED, GONE, NEW;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How a message changed: its targets (its effective CPUs may have changed too), only its effective CPUs, or it is on one side only. */
    public enum Change {
        TARGETS, EFFECTIVE, GONE, NEW;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Processor {@code index} was served by message {@code from} and is by {@code to} now; null: by none. */
    public record Move(int index, Integer from, Integer to) {
    }

    /**
     * A message that changed; {@code from} and {@code to} are its processors before and now (its targets, or
     * its effective CPUs for {@link Change#EFFECTIVE}), empty on the side that has no such message.
     */
    public record MessageChange(int id, Change change, List<Integer> from, List<Integer> to) {
        public MessageChange {
            from = List.copyOf(from);
            to = List.copyOf(to);
        }
    }

    /** One adapter's drift; {@code moved} by index and {@code messages} by id, both empty unless {@code changed}. */
    public record AdapterDrift(String adapter, Status status, List<Move> moved, List<MessageChange> messages) {
        public AdapterDrift {
            moved = List.copyOf(moved);
            messages = List.copyOf(messages);
        }
    }

    /** The processor count and NUMA nodes of each side, when they differ; {@code compared} indexes 0..compared-1 are compared. */
    public record TopologyChange(int baselineProcessors, List<Integer> baselineNodes, int processors, List<Integer> nodes) {
        public TopologyChange {
            baselineNodes = List.copyOf(baselineNodes);
            nodes = List.copyOf(nodes);
        }

        public int compared() {
            return Math.min(baselineProcessors, processors);
        }
    }

    private Drift() {
    }

    /** How the topology changed, or null when both have as many processors on the same nodes. */
    public static TopologyChange topology(Topology baseline, Topology now) {
        if (baseline.processorCount() == now.processorCount() && baseline.nodes().equals(now.nodes())) {
            return null;
        }
        return new TopologyChange(baseline.processorCount(), baseline.nodes(), now.processorCount(), now.nodes());
    }

    /** Every adapter of either host, ascending by id. */
    public static List<AdapterDrift> of(Host baseline, Host now) {
        TreeSet<String> ids = ids(baseline, now);
        List<AdapterDrift> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            out.add(of(baseline, now, id));
        }
        return out;
    }

    /**
     * The adapter of this id or alias: looked up on the host now, or in the baseline when it is gone.
     *
     * @throws StorPortException INVALID_PARAMETER when neither host knows it, with the ids both know
     */
    public static AdapterDrift of(Host baseline, Host now, String adapter) {
        Adapter found = now.find(adapter);
        if (found == null) {
            found = baseline.find(adapter);
        }
        if (found == null) {
            throw StorPortException.invalidParameter("unknown adapter '" + adapter + "' on backend " + now.backend()
                    + " and in the baseline (adapters: " + String.join(", ", ids(baseline, now)) + ")");
        }
        // matched by id: an alias such as nvme0 may name another controller after a reboot
        Adapter before = find(baseline, found.id());
        Adapter after = find(now, found.id());
        if (before == null || after == null) {
            return new AdapterDrift(found.id(), before == null ? Status.NEW : Status.GONE, List.of(), List.of());
        }
        List<Move> moved = moved(before, after, Math.min(baseline.topology().processorCount(), now.topology().processorCount()));
        List<MessageChange> messages = messages(before, after);
        Status status = moved.isEmpty() && messages.isEmpty() ? Status.SAME : Status.CHANGED;
        return new AdapterDrift(found.id(), status, moved, messages);
    }

    private static TreeSet<String> ids(Host baseline, Host now) {
        TreeSet<String> ids = new TreeSet<>();
        baseline.adapters().forEach(a -> ids.add(a.id()));
        now.adapters().forEach(a -> ids.add(a.id()));
        return ids;
    }

    private static Adapter find(Host host, String id) {
        Adapter a = host.find(id);
        return a != null && a.id().equals(id) ? a : null;
    }

    private static List<Move> moved(Adapter before, Adapter after, int compared) {
        List<Move> out = new ArrayList<>();
        for (int p = 0; p < compared; p++) {
            int from = before.messageOf(p);
            int to = after.messageOf(p);
            if (from != to) {
                out.add(new Move(p, from < 0 ? null : from, to < 0 ? null : to));
            }
        }
        return out;
    }

    private static List<MessageChange> messages(Adapter before, Adapter after) {
        List<MessageChange> out = new ArrayList<>();
        int count = Math.max(before.messageCount(), after.messageCount());
        for (int id = 0; id < count; id++) {
            MessageInterrupt was = id < before.messageCount() ? before.message(id) : null;
            MessageInterrupt is = id < after.messageCount() ? after.message(id) : null;
            if (is == null) {
                out.add(new MessageChange(id, Change.GONE, was.processors(), List.of()));
            } else if (was == null) {
                out.add(new MessageChange(id, Change.NEW, List.of(), is.processors()));
            } else if (!was.processors().equals(is.processors())) {
                out.add(new MessageChange(id, Change.TARGETS, was.processors(), is.processors()));
            } else if (!was.effective().equals(is.effective())) {
                out.add(new MessageChange(id, Change.EFFECTIVE, was.effective(), is.effective()));
            }
        }
        return out;
    }
}
