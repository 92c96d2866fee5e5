package storport.shell;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import storport.api.Host;
import storport.api.StorPort;
import storport.api.StorPortException;
import storport.view.Document;
import storport.view.Documents;

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
    public String adapters(
            @Descriptor("print one JSON document instead of a table") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        return Shell.result(() -> render(new Documents.Adapters(Shell.backend(storport).host()), json));
    }

    /**
     * The message ID as a {@code long} (a ULONG in storport.h): Apache Karaf's console prints nothing
     * for a command's {@code Integer} result (it takes one as an exit status), a {@code Long} it prints.
     */
    @Descriptor("StorPortGetMessageInterruptIDFromProcessorIndex: print the MSI-X message ID that serves a logical processor")
    public long msgid(
            @Descriptor("adapter id or alias, e.g. nvme0 or 0000:00:02.0") String adapter,
            @Descriptor("system-wide processor index, 0..n-1") String index) {
        return Shell.call(() -> {
            Host host = Shell.backend(storport).host();
            host.adapter(adapter); // an unknown adapter is reported before a bad index, as the API does
            return (long) host.messageInterruptId(adapter, processorIndex(host, index));
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
    public String map(
            @Descriptor("print one JSON document instead of a table") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("adapter id or alias") String adapter) {
        return Shell.result(() -> {
            Host host = Shell.backend(storport).host();
            return render(new Documents.AdapterMap(host, host.adapter(adapter)), json);
        });
    }

    @Descriptor("show every message of an adapter: id, target group affinities, target processors, effective processors, handler name, OS IRQ")
    public String messages(
            @Descriptor("print one JSON document instead of a table") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("adapter id or alias") String adapter) {
        return Shell.result(() -> {
            Host host = Shell.backend(storport).host();
            return render(new Documents.Messages(host, host.adapter(adapter)), json);
        });
    }

    static String render(Document document, boolean json) {
        return json ? document.json() : document.text();
    }
}
