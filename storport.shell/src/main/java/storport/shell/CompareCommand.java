package storport.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.Isolation;
import storport.api.StorPort;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.api.Topology;
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
    static final String CURRENT = "current";

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
            if (policies == null || policies.length == 0) {
                throw StorPortException.invalidParameter("name at least one policy to compare (current is the map as it is)");
            }
            Host host = Shell.backend(storport).host();
            Adapter a = host.adapter(adapter);
            Topology t = host.topology();
            List<Integer> more = cpus("--isolated", isolated, t);
            Isolation was = t.isolation();
            List<Integer> domain = new ArrayList<>(was.domain());
            domain.addAll(more);
            Topology scored = more.isEmpty() ? t : t.withIsolation(new Isolation(domain, was.nohzFull(), was.managedIrq()));
            List<Integer> down = new ArrayList<>();
            for (int cpu : cpus("--offline", offline, t)) {
                down.add(t.indexOfCpu(cpu));
            }
            List<Compare.Remapped> remapped = new ArrayList<>(policies.length);
            for (String policy : policies) {
                remapped.add(new Compare.Remapped(policy, policy.equals(CURRENT) ? a : whatIf().remap(scored, a, policy)));
            }
            return AdapterCommands.render(Compare.of(host.backend(), a.id(), scored, remapped, down), json);
        });
    }

    private WhatIf whatIf() {
        WhatIf w = whatIf;
        if (w == null) {
            throw new StorPortException(StorStatus.INVALID_DEVICE_STATE, "comparing policies needs the simulator bundle, which is not installed");
        }
        return w;
    }

    /** A CPU list ({@code 0-3,8}) of CPUs online on the host, ascending; empty text is none. */
    static List<Integer> cpus(String option, String list, Topology t) {
        TreeSet<Integer> out = new TreeSet<>();
        if (list.isBlank()) {
            return List.of();
        }
        for (String part : list.trim().split(",")) {
            String[] ends = part.trim().split("-", -1);
            if (ends.length > 2) {
                throw bad(option, list);
            }
            Long from = parse(ends[0]);
            Long to = ends.length == 2 ? parse(ends[1]) : from;
            if (from == null || to == null || to < from) {
                throw bad(option, list);
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

    private static Long parse(String digits) {
        return digits.matches("[0-9]{1,9}") ? Long.valueOf(digits) : null;
    }

    private static StorPortException bad(String option, String list) {
        return StorPortException.invalidParameter(option + " takes a CPU list such as 2-3,8, not '" + list + "'");
    }
}
