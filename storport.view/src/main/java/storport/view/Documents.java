package storport.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import storport.api.Adapter;
import storport.api.backend.BackendInfo;
import storport.api.fleet.Fleet;
import storport.api.fleet.FleetHost;
import storport.api.GroupAffinity;
import storport.api.Host;
import storport.api.MessageInterrupt;
import storport.api.Processor;
import storport.api.sim.SimulatedAdapter;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.api.Topology;

/**
 * Every document the shell prints and the console serves (DESIGN section 5), each a value over
 * immutable inputs (a {@link Host} snapshot, the backends' state) with its JSON and its text.
 */
public final class Documents {
    private Documents() {
    }

    /** {@code storport:adapters}: id, aliases, NUMA node, messages, redirection range, policy (and driver in JSON). */
    public record Adapters(Host host) implements Document {
        @Override
        public String json() {
            Json j = new Json().object().field("backend", host.backend()).name("adapters").array();
            for (Adapter a : host.adapters()) {
                adapter(j, a.id(), a.aliases(), a.node(), a.messageCount(), a.firstRedirectionMessage(), a.lastRedirectionMessage(),
                        a.policy(), a.driver());
            }
            return j.end().end() + "\n";
        }

        @Override
        public String text() {
            Table t = adapterTable();
            for (Adapter a : host.adapters()) {
                t.row(a.id(), a.aliases().isEmpty() ? "-" : String.join(",", a.aliases()), Text.node(a.node()), a.messageCount(),
                        a.messageCount() == 0 ? "-" : a.firstRedirectionMessage() + "-" + a.lastRedirectionMessage(), Text.orDash(a.policy()));
            }
            return t.toString();
        }
    }

    /**
     * {@code storport:sim-adapter}: the simulated adapter as configured, in the adapters table's
     * columns (its redirection range runs from its first I/O message to its last message).
     */
    public record SimulatedAdapterRow(SimulatedAdapter adapter) implements Document {
        @Override
        public String json() {
            SimulatedAdapter a = adapter;
            return Documents.adapter(new Json(), a.name(), List.of(), a.node(), a.messages(), a.firstRedirection(), a.messages() - 1, a.policy(), null)
                    + "\n";
        }

        @Override
        public String text() {
            SimulatedAdapter a = adapter;
            return adapterTable().row(a.name(), "-", Text.node(a.node()), a.messages(),
                    a.messages() <= 0 ? "-" : a.firstRedirection() + "-" + (a.messages() - 1), Text.orDash(a.policy())).toString();
        }
    }

    /** {@code storport:map ADAPTER}: every processor and the message that serves it; in JSON also each message's processors and targets. */
    public record AdapterMap(Host host, Adapter adapter) implements Document {
        @Override
        public String json() {
            Json j = new Json().object().field("backend", host.backend()).field("adapter", adapter.id()).name("processors").array();
            for (Processor p : host.topology().processors()) {
                int m = adapter.messageOf(p.index());
                processor(j, p).field("message", m < 0 ? null : m).end();
            }
            j.end().name("messages").array();
            for (MessageInterrupt m : adapter.messages()) {
                j.object().field("id", m.messageId()).name("processors");
                indexes(j, m.processors()).name("targets");
                targets(j, m.targets()).end();
            }
            return j.end().end() + "\n";
        }

        @Override
        public String text() {
            Table t = new Table("INDEX", "GROUP", "NUMBER", "NODE", "MESSAGE");
            for (Processor p : host.topology().processors()) {
                int m = adapter.messageOf(p.index());
                t.row(p.index(), p.number().group(), p.number().number(), p.node(), m < 0 ? "-" : m);
            }
            return t.toString();
        }
    }

    /** {@code storport:messages ADAPTER}: each message's targets, processors, effective processors, name, IRQ (and vector, address, data in JSON). */
    public record Messages(Host host, Adapter adapter) implements Document {
        @Override
        public String json() {
            Json j = new Json().object().field("backend", host.backend()).field("adapter", adapter.id()).name("messages").array();
            for (MessageInterrupt m : adapter.messages()) {
                j.object().field("id", m.messageId()).name("targets");
                targets(j, m.targets()).name("processors");
                indexes(j, m.processors()).name("effective");
                indexes(j, m.effective())
                        .field("name", m.name())
                        .field("irq", m.irq() < 0 ? null : m.irq())
                        .field("vector", m.interruptVector())
                        .field("address", "0x" + Long.toHexString(m.messageAddress()))
                        .field("data", Integer.toUnsignedLong(m.messageData()))
                        .end();
            }
            return j.end().end() + "\n";
        }

        @Override
        public String text() {
            Table t = new Table("ID", "TARGETS", "PROCESSORS", "EFFECTIVE", "NAME", "IRQ");
            for (MessageInterrupt m : adapter.messages()) {
                t.row(m.messageId(), Text.affinities(m.targets()), Text.ranges(m.processors()), Text.ranges(m.effective()),
                        Text.orDash(m.name()), m.irq() < 0 ? "-" : m.irq());
            }
            return t.toString();
        }
    }

    /** {@code storport:topology}: processors, processor groups and NUMA nodes. */
    public record TopologyView(Host host) implements Document {
        @Override
        public String json() {
            Topology t = host.topology();
            Json j = new Json().object().field("backend", host.backend()).name("processors").array();
            for (Processor p : t.processors()) {
                processor(j, p).field("package", p.packageId()).field("core", p.core()).field("cpu", p.cpu()).end();
            }
            j.end().name("groups").array();
            for (int g = 0; g < t.activeGroupCount(); g++) {
                GroupAffinity a = t.groupAffinity(g);
                j.object().field("group", g).field("size", Long.bitCount(a.mask())).field("mask", a.maskHex()).end();
            }
            j.end().name("nodes").array();
            for (int node : t.nodes()) {
                List<GroupAffinity> affinity = t.nodeAffinity(node);
                j.object().field("node", node).field("processors", size(affinity)).name("affinities");
                targets(j, affinity).end();
            }
            return j.end().end() + "\n";
        }

        @Override
        public String text() {
            Topology t = host.topology();
            int groups = t.activeGroupCount();
            StringBuilder sb = new StringBuilder();
            sb.append(count(t.processorCount(), "processor")).append(", ").append(count(groups, "group")).append(", ")
                    .append(count(t.activeNodeCount(), "node")).append("\n\n");
            Table processors = new Table("INDEX", "GROUP", "NUMBER", "NODE", "PACKAGE", "CORE", "CPU");
            for (Processor p : t.processors()) {
                processors.row(p.index(), p.number().group(), p.number().number(), p.node(), p.packageId(), p.core(), p.cpu());
            }
            sb.append(processors).append('\n');
            Table groupTable = new Table("GROUP", "SIZE", "MASK");
            for (int g = 0; g < groups; g++) {
                GroupAffinity a = t.groupAffinity(g);
                groupTable.row(g, Long.bitCount(a.mask()), a.maskHex());
            }
            sb.append(groupTable).append('\n');
            Table nodeTable = new Table("NODE", "PROCESSORS", "AFFINITY");
            for (int node : t.nodes()) {
                List<GroupAffinity> affinity = t.nodeAffinity(node);
                nodeTable.row(node, size(affinity), Text.affinities(affinity));
            }
            return sb.append(nodeTable).toString();
        }

        private static String count(int n, String noun) {
            return n + " " + noun + (n == 1 ? "" : "s");
        }
    }

    /**
     * {@code storport:backend}: every backend, the active one marked with {@code *}, with its state;
     * in JSON {@code {"active":"sim","preferred":"sim","backends":[{"name":...,"available":...,"reason":...,"active":...,"preferred":...}]}}.
     */
    public record Backends(String active, String preferred, List<BackendInfo> backends) implements Document {
        public Backends {
            backends = List.copyOf(backends);
        }

        /** The state of the selector now. */
        public static Backends of(storport.api.backend.Backends selector) {
            return new Backends(selector.active(), selector.preferred(), selector.backends());
        }

        @Override
        public String json() {
            Json j = new Json().object().field("active", active).field("preferred", preferred).name("backends").array();
            for (BackendInfo b : backends) {
                j.object().field("name", b.name()).field("available", b.available()).field("reason", b.reason() == null ? "" : b.reason())
                        .field("active", b.active()).field("preferred", b.preferred()).end();
            }
            return j.end().end() + "\n";
        }

        @Override
        public String text() {
            int width = 0;
            for (BackendInfo b : backends) {
                width = Math.max(width, b.name().length());
            }
            StringBuilder sb = new StringBuilder();
            for (BackendInfo b : backends) {
                sb.append(b.active() ? "* " : "  ").append(b.name()).append(" ".repeat(width - b.name().length() + 2)).append(status(b))
                        .append('\n');
            }
            return sb.toString();
        }

        /** {@code active}, {@code available} or {@code unavailable}, then {@code , preferred}, then the reason it is unavailable. */
        public static String status(BackendInfo b) {
            String s = b.active() ? "active" : b.available() ? "available" : "unavailable";
            if (b.preferred()) {
                s += ", preferred";
            }
            if (!b.available() && b.reason() != null && !b.reason().isEmpty()) {
                s += ": " + b.reason();
            }
            return s;
        }
    }

    /**
     * The seed call's success ({@code storport:msgid} prints the message ID); in JSON
     * {@code {"backend":"sim","adapter":"nvme0","index":5,"status":"STOR_STATUS_SUCCESS","code":"0x00000000","message":2}}.
     */
    public record Seed(Host host, Adapter adapter, long index, int message) implements Document {
        @Override
        public String json() {
            return new Json().object().field("backend", host.backend()).field("adapter", adapter.id()).field("index", index)
                    .field("status", StorStatus.SUCCESS.symbol()).field("code", code(StorStatus.SUCCESS)).field("message", message).end()
                    + "\n";
        }

        @Override
        public String text() {
            return message + "\n";
        }
    }

    /**
     * A failed call: the shell's one error line; in JSON {@code {"status":"STOR_STATUS_INVALID_PARAMETER","code":"0xC1000006",
     * "reason":"...","error":"STOR_STATUS_INVALID_PARAMETER: ..."}} ({@code error} is that line).
     */
    public record Failure(StorPortException failure) implements Document {
        @Override
        public String json() {
            return new Json().object().field("status", failure.status().symbol()).field("code", code(failure.status()))
                    .field("reason", failure.reason()).field("error", failure.getMessage()).end() + "\n";
        }

        @Override
        public String text() {
            return failure.getMessage() + "\n";
        }
    }

    /**
     * The findings on a host (DESIGN section 8), all adapters or one: {@code {"backend":"native","findings":[{"code":
     * "cross-node","severity":"warning","adapter":"...","messages":[5],"processors":[40,41],"text":"..."}]}}; as text,
     * one line per finding (severity, code, adapter, messages, processors) with its sentence under it.
     */
    public record FindingsView(String backend, List<Findings.Finding> findings) implements Document {
        public FindingsView {
            findings = List.copyOf(findings);
        }

        /** The findings of every adapter of the host, or of the one named (id or alias; unknown: INVALID_PARAMETER). */
        public static FindingsView of(Host host, String adapter) {
            if (adapter == null) {
                return new FindingsView(host.backend(), Findings.of(host));
            }
            Adapter a = host.adapter(adapter);
            return new FindingsView(host.backend(), a.unavailableReason() != null ? List.of() : Findings.of(host.topology(), a));
        }

        /** Whether a finding is at least this severe. */
        public boolean reaches(Findings.Severity severity) {
            return findings.stream().anyMatch(f -> f.severity().compareTo(severity) >= 0);
        }

        @Override
        public String json() {
            return findingsJson(new Json().object().field("backend", backend).name("findings"), findings).end() + "\n";
        }

        @Override
        public String text() {
            if (findings.isEmpty()) {
                return "no findings\n";
            }
            StringBuilder sb = new StringBuilder();
            for (Findings.Finding f : findings) {
                sb.append(f.severity().word()).append("  ").append(f.code()).append("  ").append(f.adapter()).append("  messages ")
                        .append(Text.ranges(f.messages())).append("  processors ").append(Text.ranges(f.processors())).append('\n')
                        .append("  ").append(f.text()).append('\n');
            }
            return sb.toString();
        }
    }

    /**
     * {@code storport:hosts}: the fleet as this console holds it (DESIGN sections 5 and 9); in JSON
     * {@code {"connection":"connected to ssl://...","hosts":[{"host":"db-17","online":true,"lastSeen":"2026-12-02T14:00:00Z",
     * "backend":"native","adapters":3,"findings":{"error":0,"warning":2,"info":1},"codes":{"cross-node":2,"uneven":1},
     * "refused":""}, ...]}} ({@code lastSeen} null and {@code adapters} -1 before the host published them;
     * {@code refused}: why its last snapshot was refused, its previous one serving).
     */
    public record Hosts(String connection, List<FleetHost> hosts) implements Document {
        private static final List<String> SEVERITIES = List.of("error", "warning", "info");

        public Hosts {
            hosts = List.copyOf(hosts);
        }

        public static Hosts of(Fleet fleet) {
            return new Hosts(fleet.connection(), fleet.hosts());
        }

        /** The hosts with at least one finding of this code (the console's filter, the fleet-wide findings query). */
        public Hosts withFinding(String code) {
            return new Hosts(connection, hosts.stream().filter(h -> h.codes().getOrDefault(code, 0) > 0).toList());
        }

        @Override
        public String json() {
            Json j = new Json().object().field("connection", connection).name("hosts").array();
            for (FleetHost h : hosts) {
                j.object().field("host", h.host()).field("online", h.online()).name("lastSeen")
                        .value(h.lastSeen() == null ? null : h.lastSeen().toString()).field("backend", h.backend())
                        .field("adapters", h.adapters()).name("findings").object();
                for (String s : SEVERITIES) {
                    j.field(s, h.findings().getOrDefault(s, 0));
                }
                j.end().name("codes").object();
                h.codes().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(c -> j.field(c.getKey(), c.getValue()));
                j.end().field("refused", h.refused()).end();
            }
            return j.end().end() + "\n";
        }

        @Override
        public String text() {
            Table t = new Table("HOST", "ONLINE", "LAST-SEEN", "BACKEND", "ADAPTERS", "ERROR", "WARNING", "INFO", "NOTE");
            for (FleetHost h : hosts) {
                t.row(h.host(), h.online() ? "yes" : "no", h.lastSeen() == null ? "-" : h.lastSeen().toString(),
                        h.backend().isEmpty() ? "-" : h.backend(), h.adapters() < 0 ? "-" : h.adapters(), h.findings().getOrDefault("error", 0),
                        h.findings().getOrDefault("warning", 0), h.findings().getOrDefault("info", 0),
                        h.refused().isEmpty() ? "" : "last snapshot refused: " + h.refused());
            }
            String table = hosts.isEmpty() ? "no hosts\n" : t.toString();
            return table + "broker: " + connection + "\n";
        }
    }

    /** The findings as a JSON array (the value of a {@code findings} field), as every document with findings writes them. */
    static Json findingsJson(Json j, List<Findings.Finding> findings) {
        j.array();
        for (Findings.Finding f : findings) {
            j.object().field("code", f.code()).field("severity", f.severity().word()).field("adapter", f.adapter()).name("messages").array();
            f.messages().forEach(j::value);
            j.end().name("processors").array();
            f.processors().forEach(j::value);
            j.end().field("text", f.text()).end();
        }
        return j.end();
    }

    /**
     * What changed against a captured baseline ({@link Drift}), all adapters or one:
     * {@code {"baseline":"host-a.tar.gz","backend":"native","topology":null,"adapters":[{"adapter":"0000:01:00.0",
     * "status":"changed","moved":[{"index":0,"from":1,"to":2}],"messages":[{"id":1,"change":"targets","from":[0],"to":[1]}]}]}};
     * {@code topology} is null unless the processor count or the nodes differ. As text, a table of the adapters,
     * then each changed adapter's moved processors (as ranges) and changed messages.
     */
    public record DriftView(String baseline, String backend, Drift.TopologyChange topology, List<Drift.AdapterDrift> adapters)
            implements Document {
        public DriftView {
            adapters = List.copyOf(adapters);
        }

        /**
         * @param baseline the capture's name as the user knows it, e.g. {@code host-a.tar.gz}
         * @param adapter  an id or alias, or null for every adapter (unknown in both hosts: INVALID_PARAMETER)
         */
        public static DriftView of(String baseline, Host now, Host before, String adapter) {
            return new DriftView(baseline, now.backend(), Drift.topology(before.topology(), now.topology()),
                    adapter == null ? Drift.of(before, now) : List.of(Drift.of(before, now, adapter)));
        }

        @Override
        public String json() {
            Json j = new Json().object().field("baseline", baseline).field("backend", backend).name("topology");
            if (topology == null) {
                j.value((String) null);
            } else {
                j.object().name("baseline");
                processors(j, topology.baselineProcessors(), topology.baselineNodes()).name("active");
                processors(j, topology.processors(), topology.nodes()).field("compared", topology.compared()).end();
            }
            j.name("adapters").array();
            for (Drift.AdapterDrift a : adapters) {
                j.object().field("adapter", a.adapter()).field("status", a.status().word()).name("moved").array();
                for (Drift.Move m : a.moved()) {
                    j.object().field("index", m.index()).field("from", m.from()).field("to", m.to()).end();
                }
                j.end().name("messages").array();
                for (Drift.MessageChange m : a.messages()) {
                    j.object().field("id", m.id()).field("change", m.change().word()).name("from");
                    indexes(j, m.from()).name("to");
                    indexes(j, m.to()).end();
                }
                j.end().end();
            }
            return j.end().end() + "\n";
        }

        @Override
        public String text() {
            StringBuilder sb = new StringBuilder("backend ").append(backend).append(" against baseline ").append(baseline).append('\n');
            if (topology != null) {
                sb.append("topology changed: the baseline has ").append(topology.baselineProcessors()).append(" processors (nodes ")
                        .append(Text.ranges(topology.baselineNodes())).append("), this host ").append(topology.processors())
                        .append(" (nodes ").append(Text.ranges(topology.nodes())).append("); processors ")
                        .append(topology.compared() == 1 ? "0" : "0-" + (topology.compared() - 1)).append(" compared\n");
            }
            Table t = new Table("ADAPTER", "STATUS", "MOVED", "MESSAGES");
            for (Drift.AdapterDrift a : adapters) {
                boolean both = a.status() == Drift.Status.SAME || a.status() == Drift.Status.CHANGED;
                t.row(a.adapter(), a.status().word(), both ? a.moved().size() : "-", both ? a.messages().size() : "-");
            }
            sb.append(t);
            for (Drift.AdapterDrift a : adapters) {
                if (a.status() == Drift.Status.CHANGED) {
                    sb.append('\n').append(a.adapter()).append('\n');
                    moves(sb, a.moved());
                    for (Drift.MessageChange m : a.messages()) {
                        sb.append("  message ").append(m.id()).append(": ").append(change(m)).append('\n');
                    }
                }
            }
            return sb.toString();
        }

        private static Json processors(Json j, int processors, List<Integer> nodes) {
            j.object().field("processors", processors).name("nodes");
            return indexes(j, nodes).end();
        }

        /** One line per move, the processors that made the same move as ranges: {@code processors 0-3: message 1 -> 2}. */
        private static void moves(StringBuilder sb, List<Drift.Move> moved) {
            Map<String, List<Integer>> byMove = new LinkedHashMap<>();
            for (Drift.Move m : moved) {
                byMove.computeIfAbsent(message(m.from()) + " -> " + message(m.to()), k -> new ArrayList<>()).add(m.index());
            }
            byMove.forEach((move, processors) -> sb.append("  processor").append(processors.size() == 1 ? " " : "s ")
                    .append(Text.ranges(processors)).append(": message ").append(move).append('\n'));
        }

        /** {@code targets 0-1 -> 2-3}, {@code effective 1 -> 2}, {@code gone (targets 4-5)}, {@code new (targets 6-7)}. */
        private static String change(Drift.MessageChange m) {
            return switch (m.change()) {
                case GONE -> "gone (targets " + Text.ranges(m.from()) + ")";
                case NEW -> "new (targets " + Text.ranges(m.to()) + ")";
                case TARGETS, EFFECTIVE -> m.change().word() + " " + Text.ranges(m.from()) + " -> " + Text.ranges(m.to());
            };
        }

        private static String message(Integer id) {
            return id == null ? "none" : id.toString();
        }
    }

    /**
     * The last change events (storport.insight's topics on Event Admin), newest first, as the console shows them:
     * {@code {"events":[{"time":"2026-12-03T05:40:00Z","topic":"storport/finding/RAISED","text":"..."}]}}.
     */
    public record Events(List<EventLine> events) implements Document {
        /** One event: when it arrived, its topic, and one line saying what happened. */
        public record EventLine(Instant time, String topic, String text) {
        }

        public Events {
            events = List.copyOf(events);
        }

        @Override
        public String json() {
            Json j = new Json().object().name("events").array();
            for (EventLine e : events) {
                j.object().field("time", e.time().toString()).field("topic", e.topic()).field("text", e.text()).end();
            }
            return j.end().end() + "\n";
        }

        @Override
        public String text() {
            StringBuilder sb = new StringBuilder();
            for (EventLine e : events) {
                sb.append(e.time()).append("  ").append(e.topic()).append("  ").append(e.text()).append('\n');
            }
            return sb.length() == 0 ? "no events\n" : sb.toString();
        }
    }

    /** The change counter the console's pages poll: {@code {"version":7}}. */
    public record Version(long version) implements Document {
        @Override
        public String json() {
            return new Json().object().field("version", version).end() + "\n";
        }

        @Override
        public String text() {
            return version + "\n";
        }
    }

    /** The JSON of a failed call ({@link Failure}), as every error answer of the console carries it. */
    public static String failureJson(StorPortException failure) {
        return new Failure(failure).json();
    }

    /** {@code 0xC1000006}. */
    public static String code(StorStatus s) {
        return String.format("0x%08X", s.code());
    }

    private static Table adapterTable() {
        return new Table("ID", "ALIASES", "NODE", "MESSAGES", "REDIRECTION", "POLICY");
    }

    private static Json adapter(Json j, String id, List<String> aliases, int node, int messages, int first, int last, String policy,
            String driver) {
        j.object().field("id", id).name("aliases").array();
        for (String alias : aliases) {
            j.value(alias);
        }
        return j.end().field("node", node < 0 ? null : node).field("messages", messages).field("firstRedirection", first)
                .field("lastRedirection", last).field("policy", policy).field("driver", driver).end();
    }

    private static Json processor(Json j, Processor p) {
        return j.object().field("index", p.index()).field("group", p.number().group()).field("number", p.number().number())
                .field("node", p.node());
    }

    private static Json indexes(Json j, List<Integer> indexes) {
        j.array();
        for (int i : indexes) {
            j.value(i);
        }
        return j.end();
    }

    private static Json targets(Json j, List<GroupAffinity> targets) {
        j.array();
        for (GroupAffinity g : targets) {
            j.object().field("group", g.group()).field("mask", g.maskHex()).end();
        }
        return j.end();
    }

    private static int size(List<GroupAffinity> affinities) {
        int n = 0;
        for (GroupAffinity a : affinities) {
            n += Long.bitCount(a.mask());
        }
        return n;
    }
}
