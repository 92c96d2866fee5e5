package storport.view;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import storport.api.Adapter;
import storport.api.MessageInterrupt;
import storport.api.Topology;

/**
 * What-if ({@code storport:compare}, DESIGN section 8): one adapter's map under several policies on
 * the same topology, scored side by side: messages used, processors per message (min/max), and the
 * processors the {@code cross-node}, {@code isolated} and {@code no-message} findings name on each map.
 * JSON: {@code {"backend":"sim","adapter":"nvme0","isolated":[],"offline":[],"policies":[{"policy":"numa-spread",
 * "messagesUsed":32,"processorsPerMessage":{"min":2,"max":3},"crossNode":0,"isolated":0,"noMessage":0,
 * "shutDown":[],"map":[1,1,1,2, ...]}, ...]}}: {@code map[i]} is the message serving processor index i,
 * null for none; {@code shutDown} the messages the offline CPUs shut down.
 *
 * @param isolated processor indexes isolated for this comparison (the host's and {@code --isolated})
 * @param offline  processor indexes taken offline for this comparison ({@code --offline})
 */
public record Compare(String backend, String adapter, List<Integer> isolated, List<Integer> offline, List<Candidate> policies)
        implements Document {

    /** One policy's map and its scores; {@code map} holds null where no message serves the processor. */
    public record Candidate(String policy, int messagesUsed, int minPerMessage, int maxPerMessage, int crossNode, int isolated,
            int noMessage, List<Integer> shutDown, List<Integer> map) {
        public Candidate {
            shutDown = List.copyOf(shutDown);
            map = Collections.unmodifiableList(new ArrayList<>(map));
        }
    }

    /** A policy's name and the adapter under it, before CPUs go offline. */
    public record Remapped(String policy, Adapter adapter) {
    }

    public Compare {
        isolated = List.copyOf(isolated);
        offline = List.copyOf(offline);
        policies = List.copyOf(policies);
    }

    /**
     * @param topology the host's topology with the isolation to score against
     * @param offline  processor indexes to take offline (valid indexes)
     */
    public static Compare of(String backend, String adapter, Topology topology, List<Remapped> remapped, Collection<Integer> offline) {
        boolean[] down = new boolean[topology.processorCount()];
        offline.forEach(p -> down[p] = true);
        List<Candidate> candidates = new ArrayList<>(remapped.size());
        for (Remapped r : remapped) {
            List<Integer> shutDown = new ArrayList<>();
            Adapter a = offline.isEmpty() ? r.adapter() : offline(topology, r.adapter(), down, shutDown);
            candidates.add(score(r.policy(), topology, a, shutDown));
        }
        List<Integer> isolated = new ArrayList<>();
        for (int p = 0; p < topology.processorCount(); p++) {
            if (topology.isIsolated(p)) {
                isolated.add(p);
            }
        }
        return new Compare(backend, adapter, isolated, List.copyOf(new TreeSet<>(offline)), candidates);
    }

    /**
     * Linux with CPUs taken offline: a managed interrupt keeps its mask, is delivered to its online
     * targets, and is shut down when none is left (kernel/irq/cpuhotplug.c, {@code migrate_one_irq});
     * a blk-mq queue whose CPUs are all offline goes inactive (block/blk-mq.c,
     * {@code blk_mq_hctx_notify_offline}). An offline processor submits nothing: it has no message.
     */
    static Adapter offline(Topology t, Adapter a, boolean[] down, List<Integer> shutDown) {
        Adapter.Builder b = Adapter.builder(a.id()).aliases(a.aliases()).node(a.node()).policy(a.policy())
                .redirection(a.firstRedirectionMessage(), a.lastRedirectionMessage());
        for (MessageInterrupt m : a.messages()) {
            List<Integer> online = m.processors().stream().filter(p -> !down[p]).toList();
            List<Integer> effective = m.effective().stream().filter(p -> !down[p]).toList();
            if (online.isEmpty() && !m.processors().isEmpty()) {
                shutDown.add(m.messageId());
            }
            b.message(new MessageInterrupt(m.messageId(), m.messageData(), m.messageAddress(), m.interruptVector(), m.interruptLevel(),
                    m.interruptMode(), m.name(), m.irq(), t.affinities(online), online, effective.isEmpty() ? online : effective));
        }
        int[] map = new int[t.processorCount()];
        for (int p = 0; p < map.length; p++) {
            map[p] = down[p] ? -1 : a.messageOf(p);
        }
        return b.primary(map).build(t);
    }

    private static Candidate score(String policy, Topology t, Adapter a, List<Integer> shutDown) {
        int n = t.processorCount();
        int[] served = new int[a.messageCount()];
        List<Integer> map = new ArrayList<>(n);
        int noMessage = 0;
        for (int p = 0; p < n; p++) {
            int m = a.messageOf(p);
            map.add(m < 0 ? null : m);
            if (m < 0) {
                noMessage++;
            } else {
                served[m]++;
            }
        }
        int used = 0;
        int min = 0;
        int max = 0;
        for (int count : served) {
            if (count > 0) {
                min = used == 0 ? count : Math.min(min, count);
                max = Math.max(max, count);
                used++;
            }
        }
        TreeSet<Integer> crossNode = new TreeSet<>();
        TreeSet<Integer> isolated = new TreeSet<>();
        for (Findings.Finding f : Findings.of(t, a)) {
            if (f.code().equals("cross-node")) {
                crossNode.addAll(f.processors());
            } else if (f.code().equals("isolated")) {
                isolated.addAll(f.processors());
            }
        }
        return new Candidate(policy, used, min, max, crossNode.size(), isolated.size(), noMessage, shutDown, map);
    }

    @Override
    public String json() {
        Json j = new Json().object().field("backend", backend).field("adapter", adapter).name("isolated").array();
        isolated.forEach(j::value);
        j.end().name("offline").array();
        offline.forEach(j::value);
        j.end().name("policies").array();
        for (Candidate c : policies) {
            j.object().field("policy", c.policy()).field("messagesUsed", c.messagesUsed()).name("processorsPerMessage").object()
                    .field("min", c.minPerMessage()).field("max", c.maxPerMessage()).end().field("crossNode", c.crossNode())
                    .field("isolated", c.isolated()).field("noMessage", c.noMessage()).name("shutDown").array();
            c.shutDown().forEach(j::value);
            j.end().name("map").array();
            c.map().forEach(j::value);
            j.end().end();
        }
        return j.end().end() + "\n";
    }

    @Override
    public String text() {
        StringBuilder sb = new StringBuilder("adapter " + adapter + " on " + backend + ", " + count(policies.isEmpty() ? 0
                : policies.get(0).map().size(), "processor") + (isolated.isEmpty() ? "" : ", isolated " + Text.ranges(isolated))
                + (offline.isEmpty() ? "" : ", offline " + Text.ranges(offline)) + "\n");
        Table table = new Table("POLICY", "MESSAGES-USED", "PER-MESSAGE", "CROSS-NODE", "ISOLATED", "NO-MESSAGE", "SHUT-DOWN");
        for (Candidate c : policies) {
            table.row(c.policy(), c.messagesUsed(), c.messagesUsed() == 0 ? "-" : c.minPerMessage() == c.maxPerMessage()
                    ? String.valueOf(c.minPerMessage()) : c.minPerMessage() + "-" + c.maxPerMessage(), c.crossNode(), c.isolated(),
                    c.noMessage(), Text.ranges(c.shutDown()));
        }
        return sb.append(table).toString();
    }

    private static String count(int n, String what) {
        return String.format(Locale.ROOT, "%d %s%s", n, what, n == 1 ? "" : "s");
    }
}
