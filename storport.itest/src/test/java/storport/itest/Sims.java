package storport.itest;

import java.util.List;
import java.util.Map;

import storport.api.sim.SimulatedAdapter;
import storport.api.sim.SimulatorControl;

/** Puts the simulator back to the product's defaults, so each test starts from the documented host. */
final class Sims {
    static final String DEFAULT_HOST = "package:2 node:1 core:20 pu:2";

    private Sims() {
    }

    /** Every adapter's whole map (map --json) as the active backend answers now, one after the other. */
    static String maps(Gogo gogo) throws Exception {
        StringBuilder out = new StringBuilder();
        for (Object a : (List<?>) Json.object(gogo.run("storport:adapters --json")).get("adapters")) {
            String id = (String) ((Map<?, ?>) a).get("id");
            out.append(gogo.run("storport:map --json " + id));
        }
        return out.toString();
    }

    static void reset(SimulatorControl sim) {
        if (sim.replaying() != null) {
            sim.setHost(DEFAULT_HOST);   // a replayed capture has the captured adapters only: back to the synthetic host first
        }
        for (SimulatedAdapter a : sim.adapters()) {
            if (!a.name().equals("nvme0") && !a.name().equals("sas0")) {
                sim.removeAdapter(a.name());
            }
        }
        // node 0 exists on every host, so these fit whatever host a test left behind
        sim.putAdapter(new SimulatedAdapter("nvme0", 33, null, "numa-spread", 0, List.of()));
        sim.putAdapter(new SimulatedAdapter("sas0", 16, 0, "round-robin", 0, List.of()));
        sim.setHost(DEFAULT_HOST);
        sim.putAdapter(new SimulatedAdapter("sas0", 16, 0, "round-robin", 1, List.of()));
    }
}
