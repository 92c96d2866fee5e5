package storport.shell;

import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import storport.api.GroupAffinity;
import storport.api.Host;
import storport.api.Processor;
import storport.api.StorPort;
import storport.api.Topology;

/** {@code topology}: processors, processor groups and NUMA nodes of the active backend's host. */
@Component(service = Object.class, immediate = true)
@GogoCommand(scope = Shell.SCOPE, function = "topology")
public class TopologyCommand {

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile StorPort storport;

    @Descriptor("show the host's logical processors (index, group, number, node, package, core, OS cpu), processor groups and NUMA nodes")
    public void topology(
            @Descriptor("print one JSON document instead of tables") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        Shell.run(() -> {
            Host host = Shell.backend(storport).host();
            Topology t = host.topology();
            return json ? json(host, t) : text(t);
        });
    }

    private static String text(Topology t) {
        int n = t.processorCount();
        int groups = t.activeGroupCount();
        int nodes = t.activeNodeCount();
        StringBuilder sb = new StringBuilder();
        sb.append(count(n, "processor")).append(", ").append(count(groups, "group")).append(", ")
                .append(count(nodes, "node")).append("\n\n");
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
            nodeTable.row(node, size(affinity), Shell.affinities(affinity));
        }
        return sb.append(nodeTable).toString();
    }

    private static String json(Host host, Topology t) {
        Json j = new Json().object().field("backend", host.backend()).name("processors").array();
        for (Processor p : t.processors()) {
            AdapterCommands.processorJson(j, p).field("package", p.packageId()).field("core", p.core()).field("cpu", p.cpu()).end();
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
            AdapterCommands.targets(j, affinity).end();
        }
        return j.end().end() + "\n";
    }

    private static int size(List<GroupAffinity> affinities) {
        int n = 0;
        for (GroupAffinity a : affinities) {
            n += Long.bitCount(a.mask());
        }
        return n;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
