package storport.shell;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import storport.api.StorPort;
import storport.view.Documents;

/** {@code topology}: processors, processor groups and NUMA nodes of the active backend's host. */
@Component(service = Object.class, immediate = true)
@GogoCommand(scope = Shell.SCOPE, function = "topology")
public class TopologyCommand {

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile StorPort storport;

    @Descriptor("show the host's logical processors (index, group, number, node, package, core, OS cpu), processor groups and NUMA nodes")
    public String topology(
            @Descriptor("print one JSON document instead of tables") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        return Shell.result(() -> AdapterCommands.render(new Documents.TopologyView(Shell.backend(storport).host()), json));
    }
}
