package storport.shell;

import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import storport.api.Adapter;
import storport.api.GroupAffinity;
import storport.api.Host;
import storport.api.MessageInterrupt;
import storport.api.Processor;
import storport.api.StorPortException;
import storport.api.StorPort;

/**
 * The per-adapter questions: {@code adapters}, {@code msgid}, {@code map}, {@code messages}.
 *
 * <p>Each command reads the bound backend once and takes one {@link Host} snapshot, so its output
 * is consistent even while the backend swaps or changes. Gogo passes {@code --json} options before
 * positional arguments to the method, hence the parameter order.
 */
@Component(service = Object.class, immediate = true)
@GogoCommand(scope = Shell.SCOPE, function = { "adapters", "msgid", "map", "messages" })
public class AdapterCommands {

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile StorPort storport;

    @Descriptor("list the storage adapters of the active backend: id, aliases, NUMA node, message count, redirection (I/O) message range, policy")
    public void adapters(
            @Descriptor("print one JSON document instead of a table") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        Shell.run(() -> {
            Host host = Shell.backend(storport).host();
            if (json) {
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
            Table t = Shell.adapterTable();
            for (Adapter a : host.adapters()) {
                Shell.adapterRow(t, a);
            }
            return t.toString();
        });
    }

    @Descriptor("StorPortGetMessageInterruptIDFromProcessorIndex: print the MSI-X message ID that serves a logical processor")
    public void msgid(
            @Descriptor("adapter id or alias, e.g. nvme0 or 0000:00:02.0") String adapter,
            @Descriptor("system-wide processor index, 0..n-1") String index) {
        Shell.run(() -> {
            Host host = Shell.backend(storport).host();
            host.adapter(adapter); // an unknown adapter is reported before a bad index, as the API does
            return host.messageInterruptId(adapter, processorIndex(host, index)) + "\n";
        });
    }

    /**
     * The user's index as a long, so the API's own range check words the error; an integer beyond
     * a long gets the same wording here.
     */
    static long processorIndex(Host host, String index) {
        if (index == null) {
            throw StorPortException.invalidParameter("no processor index given");
        }
        Long value = Shell.parseLong("processor index", index);
        if (value == null) {
            throw StorPortException.invalidParameter("processor index " + Shell.normalized(index) + " is outside 0.."
                    + (host.topology().processorCount() - 1));
        }
        return value;
    }

    @Descriptor("show every processor of the host and the message that serves it for an adapter")
    public void map(
            @Descriptor("print one JSON document instead of a table") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("adapter id or alias") String adapter) {
        Shell.run(() -> {
            Host host = Shell.backend(storport).host();
            Adapter a = host.adapter(adapter);
            List<Processor> processors = host.topology().processors();
            if (json) {
                Json j = new Json().object().field("backend", host.backend()).field("adapter", a.id()).name("processors").array();
                for (Processor p : processors) {
                    int m = a.messageOf(p.index());
                    processorJson(j, p).field("message", m < 0 ? null : m).end();
                }
                j.end().name("messages").array();
                for (MessageInterrupt m : a.messages()) {
                    j.object().field("id", m.messageId()).name("processors");
                    indexes(j, m.processors()).name("targets");
                    targets(j, m.targets()).end();
                }
                return j.end().end() + "\n";
            }
            Table t = new Table("INDEX", "GROUP", "NUMBER", "NODE", "MESSAGE");
            for (Processor p : processors) {
                int m = a.messageOf(p.index());
                t.row(p.index(), p.number().group(), p.number().number(), p.node(), m < 0 ? "-" : m);
            }
            return t.toString();
        });
    }

    @Descriptor("show every message of an adapter: id, target group affinities, target processors, effective processors, handler name, OS IRQ")
    public void messages(
            @Descriptor("print one JSON document instead of a table") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("adapter id or alias") String adapter) {
        Shell.run(() -> {
            Host host = Shell.backend(storport).host();
            Adapter a = host.adapter(adapter);
            if (json) {
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
            Table t = new Table("ID", "TARGETS", "PROCESSORS", "EFFECTIVE", "NAME", "IRQ");
            for (MessageInterrupt m : a.messages()) {
                t.row(m.messageId(), Shell.affinities(m.targets()), Shell.ranges(m.processors()), Shell.ranges(m.effective()),
                        Shell.orDash(m.name()), m.irq() < 0 ? "-" : m.irq());
            }
            return t.toString();
        });
    }

    /** Opens a processor object and writes its place in the topology. */
    static Json processorJson(Json j, Processor p) {
        return j.object().field("index", p.index()).field("group", p.number().group()).field("number", p.number().number())
                .field("node", p.node());
    }

    static Json indexes(Json j, List<Integer> indexes) {
        j.array();
        for (int i : indexes) {
            j.value(i);
        }
        return j.end();
    }

    static Json targets(Json j, List<GroupAffinity> targets) {
        j.array();
        for (GroupAffinity g : targets) {
            j.object().field("group", g.group()).field("mask", g.maskHex()).end();
        }
        return j.end();
    }
}
