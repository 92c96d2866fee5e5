package storport.sim;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import storport.api.Adapter;
import storport.api.StorPortException;
import storport.api.Topology;
import storport.api.sim.SimulatedAdapter;
import storport.api.sim.WhatIf;

/** The simulator's policies on any host's topology and adapter, for what-if comparisons. */
@Component
public class SimWhatIf implements WhatIf {

    @Override
    public List<String> policies() {
        return Policy.ids().stream().filter(p -> !p.equals(Policy.EXPLICIT.id())).toList();
    }

    @Override
    public Adapter remap(Topology topology, Adapter adapter, String policy) {
        if (Policy.of(policy) == Policy.EXPLICIT) {
            throw StorPortException.invalidParameter("explicit needs a table: compare the policies that compute a map (" + String.join(", ", policies()) + ")");
        }
        if (adapter.messageCount() == 0) {
            throw StorPortException.invalidParameter("adapter " + adapter.id() + " has no message interrupts to place");
        }
        int node = topology.nodes().contains(adapter.node()) ? adapter.node() : topology.nodes().get(0);
        SimulatedAdapter as = new SimulatedAdapter(adapter.id(), adapter.messageCount(), adapter.firstRedirectionMessage(), policy, node, List.of());
        return SimHostFactory.adapter(topology, as);
    }
}
