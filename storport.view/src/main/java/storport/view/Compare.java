package storport.view;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.Isolation;
import storport.api.MessageInterrupt;
import storport.api.StorPortException;
import storport.api.Topology;
import storport.api.sim.WhatIf;

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

    /** The policy that stands for the adapter's map as it is. */
    public static final String CURRENT = "current";

    /**
     * The comparison {@code storport:compare} prints and the console shows: the adapter of the host
     * under each policy ({@link #CURRENT}: as it is), the host's isolated CPUs plus
     * {@code isolatedCpus}, with {@code offlineCpus} offline.
     *
     * @param isolatedCpus OS CPU numbers to treat as isolated too
     * @param offlineCpus  OS CPU numbers to take offline
     * @throws StorPortException INVALID_PARAMETER for no policy, an unknown adapter or policy, a CPU not online
     */
    public static Compare of(Host host, String adapter, List<String> policies, List<Integer> isolatedCpus, List<Integer> offlineCpus,
            WhatIf whatIf) {
        if (policies.isEmpty()) {
            throw StorPortException.invalidParameter("name at least one policy to compare (current is the map as it is)");
        }
        Adapter a = host.adapter(adapter);
        Topology t = host.topology();
        Topology scored = t;
        if (!isolatedCpus.isEmpty()) {
            Isolation was = t.isolation();
            List<Integer> domain = new ArrayList<>(was.domain());
            domain.addAll(isolatedCpus);
            scored = t.withIsolation(new Isolation(domain, was.nohzFull(), was.managedIrq()));
        }
        List<Integer> down = new ArrayList<>();
        for (int cpu : offlineCpus) {
            down.add(t.indexOfCpu(cpu));
        }
        List<Remapped> remapped = new ArrayList<>(policies.size());
        for (String policy : policies) {
            remapped.add(new Remapped(policy, policy.equals(CURRENT) ? a : Bound.present(whatIf,
                    "comparing policies needs the simulator bundle, which is not installed").remap(scored, a, policy)));
        }
        return of(host.backend(), a.id(), scored, remapped, down);
    }

    /**
     * A CPU list ({@code 0-3,8}) of CPUs online on the host, ascending; blank is none.
     *
     * @throws StorPortException INVALID_PARAMETER naming {@code option} for a malformed list or a CPU not online
     */
    public static List<Integer> cpus(String option, String list, Topology t) {
        TreeSet<Integer> out = new TreeSet<>();
        if (list == null || list.isBlank()) {
            return List.of();
        }
        for (String part : list.trim().split(",")) {
            String[] ends = part.trim().split("-", -1);
            Long from = ends.length <= 2 ? number(ends[0]) : null;
            Long to = ends.length == 2 ? number(ends[1]) : from;
            if (from == null || to == null || to < from) {
                throw StorPortException.invalidParameter(option + " takes a CPU list such as 2-3,8, not '" + list + "'");
            }
            for (long cpu = from; cpu <= to; cpu++) {
                if (cpu > Topology.MAX_CPU_NUMBER || t.indexOfCpu((int) cpu) < 0) {
                    throw StorPortException.invalidParameter(option + ": CPU " + cpu + " is not an online CPU of this host");
                }
                out.add((int) cpu);
            }
        }
        return List.copyOf(out);
    }

    private static Long number(String digits) {
        return digits.matches("[0-9]{1,9}") ? Long.valueOf(digits) : null;
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
