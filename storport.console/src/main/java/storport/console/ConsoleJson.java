package storport.console;

import java.util.List;

import storport.api.Adapter;
import storport.api.BackendInfo;
import storport.api.GroupAffinity;
import storport.api.Host;
import storport.api.MessageInterrupt;
import storport.api.Processor;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.api.Topology;

/**
 * The console's JSON documents. {@code adapters}, {@code map}, {@code messages} and {@code topology}
 * are byte for byte what the shell's {@code --json} options print for the same {@link Host}
 * (DESIGN section 5; storport.shell's AdapterCommands and TopologyCommand), trailing newline
 * included, so a tool can read either. Each method renders one snapshot.
 */
final class ConsoleJson {
    private ConsoleJson() {
    }

    /** {@code storport:adapters --json}. */
    static String adapters(Host host) {
        Json j = new Json().object().field("backend", host.backend()).name("adapters").array();
        for (Adapter a : host.adapters()) {
            j.object().field("id", a.id()).name("aliases").array();
            for (String alias : a.aliases()) {
                j.value(alias);
            }
            j.end().field("node", a.node() < 0 ? null : a.node())
                    .field("messages", a.messageCount())
                    .field("firstRedirection", a.firstRedirectionMessage())
                    .field("lastRedirection", a.lastRedirectionMessage())
                    .field("policy", a.policy())
                    .field("driver", a.driver())
                    .end();
        }
        return j.end().end() + "\n";
    }

    /** {@code storport:map --json ADAPTER}. */
    static String map(Host host, Adapter a) {
        Json j = new Json().object().field("backend", host.backend()).field("adapter", a.id()).name("processors").array();
        for (Processor p : host.topology().processors()) {
            int m = a.messageOf(p.index());
            processor(j, p).field("message", m < 0 ? null : m).end();
        }
        j.end().name("messages").array();
        for (MessageInterrupt m : a.messages()) {
            j.object().field("id", m.messageId()).name("processors");
            indexes(j, m.processors()).name("targets");
            targets(j, m.targets()).end();
        }
        return j.end().end() + "\n";
    }

    /** {@code storport:messages --json ADAPTER}. */
    static String messages(Host host, Adapter a) {
        Json j = new Json().object().field("backend", host.backend()).field("adapter", a.id()).name("messages").array();
        for (MessageInterrupt m : a.messages()) {
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

    /** {@code storport:topology --json}. */
    static String topology(Host host) {
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

    /**
     * The backends (the shell's {@code backend} command has no JSON form; these are the same facts):
     * {@code {"active":"sim","preferred":"sim","backends":[{"name":"native","available":true,"reason":"","active":false,"preferred":false},...]}}.
     */
    static String backends(String active, String preferred, List<BackendInfo> backends) {
        Json j = new Json().object().field("active", active).field("preferred", preferred).name("backends").array();
        for (BackendInfo b : backends) {
            j.object().field("name", b.name()).field("available", b.available()).field("reason", b.reason() == null ? "" : b.reason())
                    .field("active", b.active()).field("preferred", b.preferred()).end();
        }
        return j.end().end() + "\n";
    }

    /** The seed call's success: {@code {"backend":"sim","adapter":"nvme0","index":5,"status":"STOR_STATUS_SUCCESS","code":"0x00000000","message":2}}. */
    static String seed(Host host, Adapter a, long index, int message) {
        return new Json().object().field("backend", host.backend()).field("adapter", a.id()).field("index", index)
                .field("status", StorStatus.SUCCESS.symbol()).field("code", code(StorStatus.SUCCESS)).field("message", message).end() + "\n";
    }

    /**
     * A failed call: {@code {"status":"STOR_STATUS_INVALID_PARAMETER","code":"0xC1000006","reason":"...",
     * "error":"STOR_STATUS_INVALID_PARAMETER: ..."}}; {@code error} is the shell's error line.
     */
    static String error(StorPortException e) {
        return new Json().object().field("status", e.status().symbol()).field("code", code(e.status())).field("reason", e.reason())
                .field("error", e.getMessage()).end() + "\n";
    }

    /** The change counter the pages poll: {@code {"version":7}}. */
    static String version(long version) {
        return new Json().object().field("version", version).end() + "\n";
    }

    static String code(StorStatus s) {
        return String.format("0x%08X", s.code());
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
