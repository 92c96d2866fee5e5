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
 * {@code effective-outside}, {@code uneven}, {@code idle-message}. Not yet: {@code isolated} (the
 * snapshot does not hold the isolated CPUs yet) and {@code irq-elsewhere} (it needs rates).
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
        for (MessageInterrupt m : a.messages()) {
            List<Integer> handling = m.effective().isEmpty() ? m.processors() : m.effective();
            List<Integer> remote = new ArrayList<>();
            for (int p = 0; p < n; p++) {
                if (a.messageOf(p) != m.messageId()) {
                    continue;
                }
                int node = t.processor(p).node();
                if (handling.stream().anyMatch(h -> t.processor(h).node() != node)) {
                    remote.add(p);
                }
            }
            if (!remote.isEmpty()) {
                out.add(new Finding("cross-node", Severity.WARNING, a.id(), List.of(m.messageId()), remote, "message " + m.messageId()
                        + " completes on CPUs " + Text.ranges(handling) + " (nodes " + Text.ranges(nodes(t, handling)) + "), some of them on another node than the "
                        + count(remote.size(), "processor") + " it serves: their completions can land on a remote node; spread the"
                        + " messages by node (numa-spread) or keep the device's I/O on its own node"));
            }
            List<Integer> outside = new ArrayList<>(m.effective());
            outside.removeAll(m.processors());
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
