package storport.nativebackend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import storport.api.backend.BackendStatus;
import storport.api.Host;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.linux.DirectorySource;
import storport.linux.LinuxHostScanner;
import storport.linux.SysfsSource;

/**
 * Reads the Linux host into an immutable snapshot and keeps it fresh: a cheap change check at an
 * interval rebuilds the snapshot only when the inputs changed, and a failed rebuild keeps the last
 * good one serving. Says whether the native backend can answer here ({@link BackendStatus}) and
 * enables the {@link NativeBackend} component only while it can, so consumers never bind a
 * backend that has nothing to say.
 */
@Component(service = {NativeHost.class, BackendStatus.class}, immediate = true, configurationPid = NativeHost.PID)
@Designate(ocd = NativeHost.Config.class)
public class NativeHost implements BackendStatus {
    static final String PID = "storport.native";
    static final String ROOT_ENV = "STORPORT_NATIVE_ROOT";
    /** Framework property for the root, for embedders that cannot set the environment. */
    static final String ROOT_PROPERTY = "storport.native.root";
    /** The OSGi log (Felix Log in the product): the Web Console's log page, Karaf's log:display and any LogReader see it. */
    @Reference(service = LoggerFactory.class)
    Logger log;

    @ObjectClassDefinition(name = "storport native backend", description = "Reads the real Linux host from sysfs/procfs.")
    @interface Config {
        @AttributeDefinition(name = "Root", required = false,
                description = "Folder to read instead of / (an unpacked capture); empty: the framework property storport.native.root, "
                        + "else $STORPORT_NATIVE_ROOT, else /")
        String root() default "";

        @AttributeDefinition(name = "Change check interval (ms)", min = "100",
                description = "How often to check cheaply whether the host changed; the snapshot is rebuilt only then")
        long checkIntervalMillis() default 5000;
    }

    /** One consistent reading of the host, and the fingerprint of the inputs it was read from. */
    private record Snapshot(Host host, String fingerprint) {
    }

    private final LinuxHostScanner scanner = new LinuxHostScanner();
    private ComponentContext context;
    private ScheduledExecutorService timer;
    private volatile SysfsSource source;
    private volatile Snapshot snapshot;
    private volatile String unavailable = "not started";

    @Activate
    void activate(ComponentContext context, Config config) {
        this.context = context;
        configure(config);
    }

    @Modified
    void modified(Config config) {
        configure(config);
    }

    @Deactivate
    synchronized void deactivate() {
        stopTimer();
    }

    private synchronized void configure(Config config) {
        stopTimer();
        String configured = !config.root().isBlank() ? config.root()
                : context.getBundleContext().getProperty(ROOT_PROPERTY) != null ? context.getBundleContext().getProperty(ROOT_PROPERTY)
                : System.getenv(ROOT_ENV);
        Path root = Path.of(configured == null || configured.isBlank() ? "/" : configured);
        String why = whyUnavailable(root);
        if (why == null) {
            SysfsSource candidate = new DirectorySource(root);
            try {
                snapshot = read(candidate);
                source = candidate;
            } catch (StorPortException e) {
                why = e.reason();
            }
        }
        if (why != null) {
            // Keep the last snapshot: calls already on their way finish with it while consumers move on.
            source = null;
        }
        setUnavailable(why);
        if (why == null) {
            long interval = Math.max(100, config.checkIntervalMillis());
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "storport-native-check");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::checkForChanges, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    static String whyUnavailable(Path root) {
        boolean live = root.toAbsolutePath().normalize().equals(Path.of("/").toAbsolutePath());
        String os = System.getProperty("os.name", "");
        if (live && !os.toLowerCase(Locale.ROOT).contains("linux")) {
            return "the native backend reads Linux sysfs/procfs; this is " + os;
        }
        if (!Files.isDirectory(root)) {
            return "root " + root + " is not a directory";
        }
        // Looked up the checked way: a capture's link must not make even this lookup leave the root.
        if (!new DirectorySource(root).exists("/sys/devices/system/cpu/online")) {
            return "root " + root + " has no sys/devices/system/cpu/online: not a Linux root or capture";
        }
        return null;
    }

    /** The current snapshot; INVALID_DEVICE_STATE while the backend is unavailable. */
    Host host() {
        Snapshot s = snapshot;
        if (s == null) {
            throw new StorPortException(StorStatus.INVALID_DEVICE_STATE, "the native backend is unavailable: " + unavailable);
        }
        return s.host();
    }

    /** Rebuilds the snapshot now; on failure the last good snapshot keeps serving. */
    synchronized Host rescan() {
        SysfsSource s = source;
        if (s == null) {
            throw new StorPortException(StorStatus.INVALID_DEVICE_STATE, "the native backend is unavailable: " + unavailable);
        }
        Snapshot fresh = read(s);
        snapshot = fresh;
        return fresh.host();
    }

    private Snapshot read(SysfsSource s) {
        try {
            // Fingerprint first: a change during the scan then shows up at the next check.
            String fingerprint = scanner.fingerprint(s);
            return new Snapshot(scanner.scan(s), fingerprint);
        } catch (IOException | RuntimeException e) {
            throw new StorPortException(StorStatus.UNSUCCESSFUL, "cannot read the host at " + s.describe() + ": " + message(e));
        }
    }

    /** The root being read; INVALID_DEVICE_STATE while the backend is unavailable. */
    SysfsSource source() {
        SysfsSource s = source;
        if (s == null) {
            throw new StorPortException(StorStatus.INVALID_DEVICE_STATE, "the native backend is unavailable: " + unavailable);
        }
        return s;
    }

    /**
     * Reads every input of DESIGN section 6 that exists: the scan and the change check, plus the
     * files reference tools need (a capture records what this reads).
     */
    void readEverything(SysfsSource s) {
        try {
            scanner.fingerprint(s);
            scanner.scan(s);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String cpu = "/sys/devices/system/cpu/";
        for (String extra : new String[] {cpu + "online", cpu + "possible", cpu + "present"}) {
            readIfPresent(s, extra);
        }
        try {
            for (String name : s.list(cpu)) {
                if (name.matches("cpu\\d+") && s.exists(cpu + name + "/topology")) {
                    for (String f : new String[] {"physical_package_id", "core_id", "thread_siblings_list", "thread_siblings",
                        "core_siblings", "core_siblings_list", "package_cpus", "package_cpus_list"}) {
                        readIfPresent(s, cpu + name + "/topology/" + f);
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void readIfPresent(SysfsSource s, String path) {
        if (s.exists(path)) {
            try {
                s.read(path);
            } catch (IOException ignored) {
                // not needed by the scan; a capture simply lacks it
            }
        }
    }

    private void checkForChanges() {
        try {
            SysfsSource s = source;
            Snapshot current = snapshot;
            if (s != null && current != null && !scanner.fingerprint(s).equals(current.fingerprint())) {
                rescan();
            }
        } catch (IOException | RuntimeException e) {
            // The last good snapshot keeps serving; say why once per failure.
            log.warn("storport: the native host could not be re-read: " + message(e));
        }
    }

    private void setUnavailable(String why) {
        unavailable = why;
        // NativeBackend is declared disabled: it exists as a service only while there is a host to answer for.
        if (why == null) {
            context.enableComponent(NativeBackend.class.getName());
        } else {
            context.disableComponent(NativeBackend.class.getName());
            log.info("storport: native backend unavailable: " + why);
        }
    }

    private void stopTimer() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    @Override
    public String backend() {
        return NativeBackend.NAME;
    }

    @Override
    public String unavailableReason() {
        return unavailable;
    }
}
