package storport.itest;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ManagedService;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.InterruptMode;
import storport.api.LogicalCpu;
import storport.api.MessageInterrupt;
import storport.api.StorPort;
import storport.api.Topology;

/**
 * A second backend the tests register themselves, as the native backend will: same API service,
 * {@code storport.backend=test}, ranking taken from {@code storport.backend.test} like a DS backend.
 * Its adapter {@code nvme0} answers {@code 100 + p % 50}, never a message the simulator uses (1..32).
 */
final class TestBackend implements StorPort, ManagedService {
    static final String NAME = "test";
    private final Host host;
    private BundleContext context;
    private ServiceRegistration<StorPort> registration;
    private ServiceRegistration<ManagedService> rankingListener;

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
        this.context = context;
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(StorPort.BACKEND, NAME);
        registration = context.registerService(StorPort.class, this, props);
        Dictionary<String, Object> pid = new Hashtable<>();
        pid.put(Constants.SERVICE_PID, StorPort.RANKING_PID_PREFIX + NAME);
        rankingListener = context.registerService(ManagedService.class, this, pid);
    }

    synchronized void unregister() {
        rankingListener.unregister();
        registration.unregister();
        registration = null;
    }

    @Override
    public synchronized void updated(Dictionary<String, ?> properties) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(StorPort.BACKEND, NAME);
        if (properties != null && properties.get(Constants.SERVICE_RANKING) != null) {
            props.put(Constants.SERVICE_RANKING, properties.get(Constants.SERVICE_RANKING));
        }
        if (registration == null) {
            return; // Config Admin delivered after unregister(): nothing to rank any more
        }
        // Re-register, as SCR does for a DS backend: consumers rebind only to a new registration.
        ServiceRegistration<StorPort> old = registration;
        registration = context.registerService(StorPort.class, this, props);
        old.unregister();
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
