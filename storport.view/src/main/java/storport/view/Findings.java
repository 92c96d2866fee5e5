package storport.view;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.MessageInterrupt;
import storport.api.Topology;

/**
 * Judgements on a host's maps, with evidence (DESIGN section 8): computed from a snapshot alone, so
 * every backend, and a replayed capture of a host, gets the same findings as that host.
 *
 * <p>Codes computed here: {@code no-message}, {@code single-vector}, {@code cross-node},
 * {@code isolated}, {@code effective-outside}, {@code uneven}, {@code idle-message};
 * {@code irq-elsewhere} needs interrupt counts: {@link #irqElsewhere}, from {@link Rates}.
 */
public final class Findings {
    /** How serious a finding is; ordered, so {@code --fail-on} can compare. */
    public enum Severity {
        INFO, WARNING, ERROR;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One finding: its stable code, severity, the adapter, the messages and processors involved
     * (ascending), and one sentence on what it means and what usually fixes it.
     */
    public record Finding(String code, Severity severity, String adapter, List<Integer> messages, List<Integer> processors, String text) {
        public Finding {
            messages = List.copyOf(messages);
            processors = List.copyOf(processors);
        }
    }

    private Findings() {
    }

    /** Every finding on every available adapter of the host, adapter by adapter, in code order. */
    public static List<Finding> of(Host host) {
        List<Finding> out = new ArrayList<>();
        for (Adapter a : host.adapters()) {
            if (a.unavailableReason() == null) {
                out.addAll(of(host.topology(), a));
            }
        }
        return List.copyOf(out);
    }

    /** The findings on one adapter's map. */
    public static List<Finding> of(Topology t, Adapter a) {
        List<Finding> out = new ArrayList<>();
        int n = t.processorCount();
        List<Integer> unserved = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            if (a.messageOf(p) < 0) {
                unserved.add(p);
            }
        }
        if (!unserved.isEmpty()) {
            out.add(new Finding("no-message", Severity.ERROR, a.id(), List.of(), unserved, "the seed call answers UNSUCCESSFUL for "
                    + count(unserved.size(), "processor") + ": I/O submitted there has no completion message; usually a queue went"
                    + " inactive (its CPUs offline) or the driver got fewer vectors than it maps"));
        }
        if (a.messageCount() == 1 && n > 1) {
            out.add(new Finding("single-vector", Severity.WARNING, a.id(), List.of(a.messages().get(0).messageId()), all(n),
                    "one message serves all " + n + " processors: the adapter fell back to a single vector (MSI instead of MSI-X,"
                            + " or vectors exhausted); every completion interrupts one CPU; check the interrupt mode and the vector budget"));
        }
        List<MessageInterrupt> io = new ArrayList<>();
        for (MessageInterrupt m : a.messages()) {
            if (m.messageId() >= a.firstRedirectionMessage() && m.messageId() <= a.lastRedirectionMessage()) {
                io.add(m);
            }
        }
        int[] served = new int[a.messageCount()]; // message ids are 0..count-1 (Adapter.Builder)
        for (int p = 0; p < n; p++) {
            int m = a.messageOf(p);
            if (m >= 0) {
                served[m]++;
            }
        }
        // The processors each message serves, in one pass: a message's handling CPUs are on one node or not.
        List<List<Integer>> servedBy = new ArrayList<>(a.messageCount());
        for (int m = 0; m < a.messageCount(); m++) {
            servedBy.add(new ArrayList<>(Math.max(1, served[m])));
        }
        for (int p = 0; p < n; p++) {
            int m = a.messageOf(p);
            if (m >= 0) {
                servedBy.get(m).add(p);
            }
        }
        for (MessageInterrupt m : a.messages()) {
            List<Integer> handling = m.effective().isEmpty() ? m.processors() : m.effective();
            int node = handlingNode(t, handling);
            List<Integer> remote = new ArrayList<>();
            for (int p : servedBy.get(m.messageId())) {
                if (!handling.isEmpty() && node != t.processor(p).node()) {
                    remote.add(p);
                }
            }
            if (!remote.isEmpty()) {
                out.add(new Finding("cross-node", Severity.WARNING, a.id(), List.of(m.messageId()), remote, "message " + m.messageId()
                        + " completes on CPUs " + Text.ranges(handling) + " (nodes " + Text.ranges(nodes(t, handling)) + "), some of them on another node than the "
                        + count(remote.size(), "processor") + " it serves: their completions can land on a remote node; spread the"
                        + " messages by node (numa-spread) or keep the device's I/O on its own node"));
            }
            if (m.messageId() >= a.firstRedirectionMessage() && m.messageId() <= a.lastRedirectionMessage()) {
                isolated(t, a, m, handling, out);
            }
            List<Integer> outside = outside(m.effective(), m.processors());
            if (!outside.isEmpty()) {
                out.add(new Finding("effective-outside", Severity.WARNING, a.id(), List.of(m.messageId()), outside, "message "
                        + m.messageId() + " is delivered to CPUs " + Text.ranges(outside) + " outside its targets "
                        + Text.ranges(m.processors()) + ": its affinity was changed behind the driver's back (irqbalance, a"
                        + " script); restore the managed affinity or stop the tool moving it"));
            }
        }
        List<MessageInterrupt> serving = io.stream().filter(m -> served[m.messageId()] > 0).toList();
        if (serving.size() > 1) {
            MessageInterrupt busiest = serving.get(0);
            MessageInterrupt least = serving.get(0);
            for (MessageInterrupt m : serving) {
                busiest = served[m.messageId()] > served[busiest.messageId()] ? m : busiest;
                least = served[m.messageId()] < served[least.messageId()] ? m : least;
            }
            int max = served[busiest.messageId()];
            int min = served[least.messageId()];
            if (max >= 2 * min && max >= min + 2) {
                out.add(new Finding("uneven", Severity.INFO, a.id(), sorted(busiest.messageId(), least.messageId()), List.of(), "message "
                        + busiest.messageId() + " serves " + max + " processors and message " + least.messageId() + " " + min
                        + ": the queues are uneven, usual when processors do not divide evenly among fewer vectors; more vectors"
                        + " or a processor count that divides evenly balances them"));
            }
        }
        List<Integer> idle = io.stream().filter(m -> served[m.messageId()] == 0).map(MessageInterrupt::messageId).toList();
        if (!idle.isEmpty()) {
            out.add(new Finding("idle-message", Severity.INFO, a.id(), idle, List.of(), count(idle.size(), "I/O message") + " "
                    + Text.ranges(idle) + " serve no processor: vectors granted and never used; the driver may ask for fewer"));
        }
        return out;
    }

    /**
     * {@code irq-elsewhere}: a message's interrupts counted on CPUs outside its handling CPUs (its
     * effective affinity when known, else its targets), from rates; null when there are none.
     *
     * @param counted the processor indexes that counted interrupts of {@code m} in the interval, ascending
     */
    public static Finding irqElsewhere(Adapter a, MessageInterrupt m, List<Integer> counted) {
        List<Integer> handling = m.effective().isEmpty() ? m.processors() : m.effective();
        List<Integer> elsewhere = outside(counted, handling);
        if (elsewhere.isEmpty()) {
            return null;
        }
        return new Finding("irq-elsewhere", Severity.WARNING, a.id(), List.of(m.messageId()), elsewhere, "message " + m.messageId()
                + " interrupted processors " + Text.ranges(elsewhere) + ", outside its handling CPUs " + Text.ranges(handling)
                + ": its affinity changed during the interval (irqbalance or a script moving it) or the snapshot is stale;"
                + " run storport:refresh and check what rewrites /proc/irq/*/smp_affinity");
    }

    /**
     * The processors of {@code these} that {@code those} does not hold; both ascending (processor
     * lists of the API are). Linear: a message of an all-processor policy targets thousands.
     */
    private static List<Integer> outside(List<Integer> these, List<Integer> those) {
        if (these == those || these.equals(those)) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>();
        int j = 0;
        for (int p : these) {
            while (j < those.size() && those.get(j) < p) {
                j++;
            }
            if (j == those.size() || those.get(j) != p) {
                out.add(p);
            }
        }
        return out;
    }

    /** The node all of these CPUs are on, or -1 when they span nodes (or there are none). */
    private static int handlingNode(Topology t, List<Integer> handling) {
        int node = -1;
        for (int h : handling) {
            int hn = t.processor(h).node();
            if (node >= 0 && hn != node) {
                return -1;
            }
            node = hn;
        }
        return node;
    }

    /**
     * {@code isolated}: an I/O message handled on an isolated CPU. Says whether booting with
     * {@code isolcpus=managed_irq} would move it: the kernel keeps a managed vector's effective CPUs
     * off isolated ones while one of its targets is a housekeeping CPU (kernel/irq/manage.c,
     * {@code irq_do_set_affinity}).
     */
    private static void isolated(Topology t, Adapter a, MessageInterrupt m, List<Integer> handling, List<Finding> out) {
        List<Integer> on = new ArrayList<>();
        for (int h : handling) {
            if (t.isIsolated(h)) {
                on.add(h);
            }
        }
        if (on.isEmpty()) {
            return;
        }
        TreeSet<String> ways = new TreeSet<>();
        boolean managedIrqCovers = true;
        for (int h : on) {
            List<String> w = t.isolation().ways(t.processor(h).cpu());
            ways.addAll(w);
            managedIrqCovers &= w.contains("managed_irq");
        }
        List<Integer> housekeeping = m.processors().stream().filter(p -> !t.isIsolated(p)).toList();
        String fix;
        if (housekeeping.isEmpty()) {
            fix = "every target is isolated, so isolcpus=managed_irq cannot move it (the kernel keeps a vector on its targets);"
                    + " serve these processors from a message of housekeeping CPUs or stop isolating one of its targets";
        } else if (managedIrqCovers) {
            fix = "managed_irq isolation already keeps a managed vector off these CPUs, so this vector's affinity was set by hand"
                    + " or by irqbalance: restore it or leave the isolated CPUs out of it";
        } else {
            fix = "booting with isolcpus=managed_irq," + Text.ranges(cpus(t, on)) + " would move it to its housekeeping targets "
                    + Text.ranges(housekeeping);
        }
        out.add(new Finding("isolated", Severity.WARNING, a.id(), List.of(m.messageId()), on, "message " + m.messageId()
                + " is handled on isolated CPUs " + Text.ranges(on) + " (" + String.join(", ", ways) + "): its completions interrupt"
                + " the work those CPUs were isolated for; " + fix));
    }

    /** OS CPU numbers of processor indexes: the kernel parameters take CPU numbers. */
    private static List<Integer> cpus(Topology t, List<Integer> indexes) {
        return indexes.stream().map(i -> t.processor(i).cpu()).sorted().toList();
    }

    private static List<Integer> all(int n) {
        List<Integer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    private static List<Integer> nodes(Topology t, List<Integer> cpus) {
        TreeSet<Integer> nodes = new TreeSet<>();
        for (int c : cpus) {
            nodes.add(t.processor(c).node());
        }
        return List.copyOf(nodes);
    }

    private static List<Integer> sorted(int a, int b) {
        return a < b ? List.of(a, b) : List.of(b, a);
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
