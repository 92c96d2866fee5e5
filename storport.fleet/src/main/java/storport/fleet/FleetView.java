package storport.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import storport.api.Host;
import storport.api.StorPort;
import storport.api.StorPortException;
import storport.api.fleet.Fleet;
import storport.api.fleet.FleetHost;
import storport.capture.CapturedHost;
import storport.view.Findings;

/**
 * The console side: every host on the broker, from its retained {@code status}, {@code state} and
 * {@code snapshot} and what follows. A snapshot is checked before it serves (its size, then read back
 * as a capture: corrupt or foreign archives are refused with the reason) and kept as
 * {@code <store>/<host>.tar.gz}; a refused one leaves the host's previous snapshot serving. Each host
 * with a snapshot is registered as the read-only backend {@code host:<host>}.
 */
final class FleetView implements Fleet {
    private static final Pattern TIME = Pattern.compile("\"time\":\"([^\"]{1,40})\"");
    private static final Pattern BACKEND = Pattern.compile("\"backend\":\"([A-Za-z0-9:._-]{0,64})\"");

    /** One host, changed only under its own lock; {@link #value} is what {@link #hosts()} reads. */
    private static final class Entry {
        final String host;
        boolean online;
        Instant lastSeen;
        String backend = "";
        int adapters = -1;
        Map<String, Integer> findings = Map.of();
        Map<String, Integer> codes = Map.of();
        String refused = "";
        HostBackend served;
        Runnable unregister;
        volatile FleetHost value;

        Entry(String host) {
            this.host = host;
        }

        void publish() {
            value = new FleetHost(host, online, lastSeen, backend, adapters, findings, codes, refused);
        }
    }

    /** Registers a host's backend; returns what unregisters it. */
    interface Registrar {
        Runnable register(String backend, StorPort service);

        /** As OSGi services of this bundle. */
        static Registrar of(BundleContext context) {
            return (backend, service) -> {
                Hashtable<String, Object> props = new Hashtable<>();
                props.put(StorPort.BACKEND, backend);
                ServiceRegistration<StorPort> r = context.registerService(StorPort.class, service, props);
                return () -> {
                    try {
                        r.unregister();
                    } catch (IllegalStateException gone) {
                        // the bundle is stopping: the framework unregistered it
                    }
                };
            };
        }
    }

    private final Registrar registrar;
    private final Path store;
    private final long maxSnapshotBytes;
    private final Consumer<String> warn;
    private final Map<String, Entry> hosts = new ConcurrentHashMap<>();
    private volatile BrokerLink link;
    private volatile boolean closed;

    FleetView(Registrar registrar, Path store, long maxSnapshotBytes, Consumer<String> warn) {
        this.registrar = registrar;
        this.store = store;
        this.maxSnapshotBytes = maxSnapshotBytes;
        this.warn = warn;
    }

    /**
     * The snapshots kept by an earlier run serve until their hosts publish again: a console that
     * restarts, or finds a host's retained snapshot refused, still answers for it. Such a host reads
     * offline, last seen when its snapshot was kept, until its status arrives.
     */
    void loadKept() {
        try (DirectoryStream<Path> kept = Files.newDirectoryStream(store, "*.tar.gz")) {
            for (Path file : kept) {
                String name = file.getFileName().toString().replaceFirst("\\.tar\\.gz$", "");
                if (!FleetSettings.HOST_NAME.matcher(name).matches()) {
                    continue;
                }
                Entry e = hosts.computeIfAbsent(name, Entry::new);
                synchronized (e) {
                    try {
                        serve(e, CapturedHost.read(file, "read the kept snapshot of host " + name + " from"));
                        e.lastSeen = Files.getLastModifiedTime(file).toInstant();
                    } catch (StorPortException | IOException x) {
                        refuse(e, x.getMessage());
                    }
                    e.publish();
                }
            }
        } catch (IOException e) {
            warn.accept("storport fleet: cannot read the kept snapshots in " + store + ": " + e.getMessage());
        }
    }

    void link(BrokerLink l) {
        link = l;
    }

    @Override
    public List<FleetHost> hosts() {
        List<FleetHost> all = new ArrayList<>(hosts.size());
        for (Entry e : hosts.values()) {
            FleetHost v = e.value;
            if (v != null) {
                all.add(v);
            }
        }
        all.sort(Comparator.comparing(FleetHost::host));
        return List.copyOf(all);
    }

    @Override
    public String connection() {
        BrokerLink l = link;
        return l == null ? "not connected" : l.state();
    }

    @Override
    public boolean connected() {
        BrokerLink l = link;
        return l != null && l.connected();
    }

    /** A message on a fleet topic; anything else, or a host name that is no topic-safe name, is ignored. */
    void message(String topic, byte[] payload, boolean retained) {
        String[] parts = Topics.parse(topic);
        if (parts == null || closed || !FleetSettings.HOST_NAME.matcher(parts[0]).matches()) {
            return;
        }
        String name = parts[0];
        if (!Topics.STATUS.equals(parts[1]) && !Topics.STATE.equals(parts[1]) && !Topics.SNAPSHOT.equals(parts[1])) {
            return; // a later version's topic: not ours to read
        }
        if (Topics.STATUS.equals(parts[1]) && payload.length == 0) {
            forget(name); // the retained status cleared: the host was taken out of the fleet
            return;
        }
        Entry e = hosts.computeIfAbsent(name, Entry::new);
        synchronized (e) {
            if (closed) {
                return;
            }
            switch (parts[1]) {
                case Topics.STATUS -> e.online = "online".equals(new String(payload, StandardCharsets.US_ASCII));
                case Topics.STATE -> state(e, new String(payload, StandardCharsets.UTF_8));
                case Topics.SNAPSHOT -> snapshot(e, payload);
                default -> {
                    return;
                }
            }
            if (!retained) {
                Instant now = Instant.now();
                e.lastSeen = e.lastSeen == null || e.lastSeen.isBefore(now) ? now : e.lastSeen;
            }
            e.publish();
        }
    }

    private static void state(Entry e, String json) {
        Matcher time = TIME.matcher(json);
        if (time.find()) {
            try {
                Instant t = Instant.parse(time.group(1));
                if (e.lastSeen == null || e.lastSeen.isBefore(t)) {
                    e.lastSeen = t;
                }
            } catch (DateTimeParseException ignored) {
                // no time we can read: last seen stays as it was
            }
        }
        Matcher backend = BACKEND.matcher(json);
        if (backend.find() && !backend.group(1).isEmpty()) {
            e.backend = backend.group(1);
        }
    }

    private void snapshot(Entry e, byte[] archive) {
        if (archive.length == 0) {
            return; // a cleared retained snapshot: the last one received keeps serving
        }
        if (archive.length > maxSnapshotBytes) {
            refuse(e, "a snapshot of " + archive.length + " bytes is larger than the limit of " + maxSnapshotBytes + " bytes");
            return;
        }
        Path kept = store.resolve(e.host + ".tar.gz");
        Path fresh = store.resolve(e.host + ".tar.gz.new");
        Host read;
        try {
            Files.write(fresh, archive);
            read = CapturedHost.read(fresh, "accept the snapshot of host " + e.host + " from");
            Files.move(fresh, kept, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (StorPortException x) {
            refused(e, fresh, x.getMessage());
            return;
        } catch (IOException x) {
            refused(e, fresh, "cannot keep the snapshot: " + x.getMessage());
            return;
        } catch (RuntimeException x) {
            // a reader's defect on hostile input must not take the console down: the archive is refused
            refused(e, fresh, "unreadable snapshot (" + x + ")");
            return;
        }
        serve(e, read);
    }

    private void refused(Entry e, Path fresh, String reason) {
        refuse(e, reason);
        try {
            Files.deleteIfExists(fresh);
        } catch (IOException ignored) {
            // a stray .new file is overwritten by the next snapshot
        }
    }

    private void serve(Entry e, Host read) {
        Host served = new Host(Fleet.BACKEND_PREFIX + e.host, read.topology(), read.adapters());
        FindingCounts counts = FindingCounts.of(Findings.of(served));
        e.adapters = served.adapters().size();
        e.findings = counts.severities();
        e.codes = counts.codes();
        e.refused = "";
        if (e.served == null) {
            e.served = new HostBackend(Fleet.BACKEND_PREFIX + e.host, served);
            e.unregister = registrar.register(Fleet.BACKEND_PREFIX + e.host, e.served);
        } else {
            e.served.update(served);
        }
    }

    private void refuse(Entry e, String reason) {
        e.refused = reason;
        warn.accept("storport fleet: refused the snapshot of host " + e.host + ": " + reason
                + (e.served == null ? "" : "; its previous snapshot keeps serving"));
    }

    /** Out of the fleet, kept snapshot included: a console that starts again must not bring the host back. */
    private void forget(String name) {
        Entry e = hosts.remove(name);
        if (e != null) {
            synchronized (e) {
                unregister(e);
            }
        }
        try {
            Files.deleteIfExists(store.resolve(name + ".tar.gz"));
        } catch (IOException x) {
            warn.accept("storport fleet: cannot delete the kept snapshot of host " + name + ": " + x.getMessage());
        }
    }

    /** Unregisters every host's backend; the view serves nothing afterwards. */
    void close() {
        closed = true;
        for (Entry e : hosts.values()) {
            synchronized (e) {
                unregister(e);
            }
        }
        hosts.clear();
    }

    private static void unregister(Entry e) {
        if (e.unregister != null) {
            e.unregister.run();
            e.unregister = null;
        }
    }
}
