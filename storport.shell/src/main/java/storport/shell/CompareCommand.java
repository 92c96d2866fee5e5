package storport.shell;

import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import storport.api.Host;
import storport.api.StorPort;
import storport.api.sim.WhatIf;
import storport.view.Compare;

/**
 * {@code compare ADAPTER POLICY... [--isolated LIST] [--offline LIST] [--json]}: what-if on the
 * active host, whatever the backend: the adapter's map recomputed under each policy on the same
 * topology and message count, scored side by side (DESIGN section 8). {@code current} is the map as
 * it is. CPU lists are OS CPU numbers, as the kernel's {@code isolcpus=} and {@code cpu/online} write them.
 */
@Component(service = Object.class, immediate = true)
@GogoCommand(scope = Shell.SCOPE, function = { "compare" })
public class CompareCommand {
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile StorPort storport;

    // the simulator computes the policies' maps; without it compare says so, the other commands work
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile WhatIf whatIf;

    @Descriptor("what-if: the adapter's map under each policy on this host, scored side by side (messages used, processors per message,"
            + " cross-node, isolated and no-message processors); policies: current, numa-spread, numa-spread-legacy, round-robin, single,"
            + " managed_irq, win-machine-default, win-all-close, win-one-close, win-all, win-specified:LIST, win-spread, win-all-when-steered")
    public String compare(
            @Descriptor("print one JSON document (with every map) instead of a table") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("CPUs to treat as isolated as well, e.g. 2-3 (isolcpus=)") @Parameter(names = "--isolated", absentValue = "") String isolated,
            @Descriptor("CPUs to take offline, e.g. 8-15") @Parameter(names = "--offline", absentValue = "") String offline,
            @Descriptor("adapter id or alias, e.g. nvme0") String adapter,
            @Descriptor("the policies to compare, one or more") String... policies) {
        return Shell.result(() -> {
            Host host = Shell.backend(storport).host();
            Compare c = Compare.of(host, adapter, policies == null ? List.of() : List.of(policies),
                    Compare.cpus("--isolated", isolated, host.topology()), Compare.cpus("--offline", offline, host.topology()), whatIf);
            return AdapterCommands.render(c, json);
        });
    }
}
