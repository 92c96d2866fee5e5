package storport.itest;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.InterruptMode;
import storport.api.LogicalCpu;
import storport.api.MessageInterrupt;
import storport.api.StorPort;
import storport.api.Topology;

/**
 * A third backend the tests register themselves, as any backend bundle would: the API service with
 * {@code storport.backend=test}. Its adapter {@code nvme0} answers {@code 100 + p % 50}, never a
 * message the simulator uses (1..32).
 */
final class TestBackend implements StorPort {
    static final String NAME = "test";
    private final Host host;
    private ServiceRegistration<StorPort> registration;

    TestBackend(int processors) {
        List<LogicalCpu> cpus = new ArrayList<>();
        for (int cpu = 0; cpu < processors; cpu++) {
            cpus.add(new LogicalCpu(cpu, cpu < processors / 2 ? 0 : 1, cpu < processors / 2 ? 0 : 1, cpu / 2));
        }
        Topology topology = Topology.of(cpus);
        int[] map = new int[processors];
        for (int p = 0; p < processors; p++) {
            map[p] = expected(p);
        }
        Adapter.Builder b = Adapter.builder("nvme0").policy("test").node(0).redirection(1, 149).primary(map);
        for (int m = 0; m < 150; m++) {
            b.message(new MessageInterrupt(m, m, 0xFEE00000L, m, m, InterruptMode.LATCHED, "test" + m, -1, List.of(), List.of()));
        }
        host = new Host(NAME, topology, List.of(b.build(topology)));
    }

    static int expected(int processor) {
        return 100 + processor % 50;
    }

    synchronized void register(BundleContext context) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(StorPort.BACKEND, NAME);
        registration = context.registerService(StorPort.class, this, props);
    }

    synchronized void unregister() {
        registration.unregister();
        registration = null;
    }

    @Override
    public String backend() {
        return NAME;
    }

    @Override
    public Host host() {
        return host;
    }
}
