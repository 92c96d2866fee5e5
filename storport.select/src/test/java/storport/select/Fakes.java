package storport.select;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.InterruptMode;
import storport.api.LogicalCpu;
import storport.api.MessageInterrupt;
import storport.api.StorPort;
import storport.api.Topology;

/** Stand-ins for the framework, Config Admin and backends, enough to drive the selector without OSGi. */
final class Fakes {
    private static final AtomicLong SERVICE_IDS = new AtomicLong();

    private Fakes() {
    }

    /** A backend whose nvme0 answers {@code base + p} for processor p; its snapshot can be swapped. */
    static final class Backend implements StorPort {
        final String name;
        final ServiceReference<StorPort> ref;
        volatile Host host;
        int refreshes;

        Backend(String name, int base, int ranking) {
            this.name = name;
            this.host = Fakes.host(name, base);
            this.ref = reference(name, ranking);
        }

        @Override
        public String backend() {
            return name;
        }

        @Override
        public Host host() {
            return host;
        }

        @Override
        public Host refresh() {
            refreshes++;
            return host;
        }
    }

    /** 8 processors; nvme0 with 64 messages answers {@code base + p}. */
    static Host host(String backend, int base) {
        List<LogicalCpu> cpus = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            cpus.add(new LogicalCpu(c, 0, 0, c));
        }
        Topology t = Topology.of(cpus);
        int[] map = new int[8];
        for (int p = 0; p < 8; p++) {
            map[p] = base + p;
        }
        Adapter.Builder b = Adapter.builder("nvme0").primary(map);
        for (int m = 0; m < 64; m++) {
            b.message(new MessageInterrupt(m, m, 0xFEE00000L, m, m, InterruptMode.LATCHED, "m" + m, -1, List.of(), List.of()));
        }
        return new Host(backend, t, List.of(b.build(t)));
    }

    /** A service reference ordered as the framework orders them: ranking, then the older service first. */
    @SuppressWarnings("unchecked")
    static ServiceReference<StorPort> reference(String backend, int ranking) {
        long id = SERVICE_IDS.incrementAndGet();
        Map<String, Object> props = Map.of(StorPort.BACKEND, backend, Constants.SERVICE_RANKING, ranking, Constants.SERVICE_ID, id);
        return (ServiceReference<StorPort>) Proxy.newProxyInstance(Fakes.class.getClassLoader(), new Class<?>[] {ServiceReference.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> props.get(args[0]);
                    case "compareTo" -> {
                        ServiceReference<?> other = (ServiceReference<?>) args[0];
                        int r = Integer.compare(ranking, (Integer) other.getProperty(Constants.SERVICE_RANKING));
                        yield r != 0 ? r : Long.compare((Long) other.getProperty(Constants.SERVICE_ID), id);
                    }
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "ServiceReference[" + backend + ", id " + id + "]";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    static BackendSelector.Config config(String active) {
        return (BackendSelector.Config) Proxy.newProxyInstance(Fakes.class.getClassLoader(), new Class<?>[] {BackendSelector.Config.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "active" -> active;
                    case "toString" -> "Config[" + active + "]";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Config Admin keeping configurations in memory and counting persisted writes. */
    static final class ConfigAdmin {
        final Map<String, Dictionary<String, Object>> stored = Collections.synchronizedMap(new java.util.HashMap<>());
        final AtomicLong writes = new AtomicLong();
        volatile boolean failWrites;
        /** When set, a write waits for it: a slow disk. */
        volatile java.util.concurrent.CountDownLatch gate;
        final ConfigurationAdmin service = (ConfigurationAdmin) Proxy.newProxyInstance(Fakes.class.getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getConfiguration" -> configuration((String) args[0]);
                    case "listConfigurations" -> {
                        String filter = (String) args[0];
                        String pid = filter.substring(filter.indexOf('=') + 1, filter.length() - 1);
                        yield stored.containsKey(pid) ? new Configuration[] {configuration(pid)} : null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        Configuration configuration(String pid) {
            return (Configuration) Proxy.newProxyInstance(Fakes.class.getClassLoader(), new Class<?>[] {Configuration.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getPid" -> pid;
                        case "getProperties" -> stored.get(pid);
                        case "update", "updateIfDifferent" -> {
                            @SuppressWarnings("unchecked")
                            Dictionary<String, Object> props = (Dictionary<String, Object>) args[0];
                            if (method.getName().equals("updateIfDifferent") && props.equals(stored.get(pid))) {
                                yield false;
                            }
                            java.util.concurrent.CountDownLatch g = gate;
                            if (g != null) {
                                g.await();
                            }
                            if (failWrites) {
                                throw new java.io.IOException("disk full");
                            }
                            writes.incrementAndGet();
                            stored.put(pid, new Hashtable<>(Collections.list(props.keys()).stream()
                                    .collect(java.util.stream.Collectors.toMap(k -> k, props::get))));
                            yield method.getName().equals("updateIfDifferent") ? true : null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        String persistedChoice() {
            Dictionary<String, Object> d = stored.get(BackendSelector.PID);
            return d == null ? null : (String) d.get("active");
        }
    }
}
