package storport.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import storport.api.StorPort;
import storport.api.fleet.Fleet;
import storport.api.sim.HostCapture;

/**
 * The fleet (DESIGN section 9), off until a broker is set: in the {@value FleetSettings#PID}
 * configuration or by the launcher ({@code STORPORT_FLEET}). An agent publishes this host
 * ({@link HostAgent}); a console holds every host ({@link FleetView}) and registers {@link Fleet} once
 * the broker's retained state has arrived (no message for {@value #SETTLED_MILLIS} ms after the
 * subscription), or once the broker could not be reached, so a one-shot run that waits for it
 * answers for the whole fleet. A changed configuration restarts the link.
 */
@Component(configurationPid = FleetSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true, service = {})
@Designate(ocd = FleetConfig.class)
public class FleetLink {
    /** Quiet time after the subscription that ends the retained state's delivery. */
    static final long SETTLED_MILLIS = 500;

    @Reference(target = "(" + StorPort.BACKEND + "=native)", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile StorPort nativeBackend;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HostCapture capture;
    @Reference(service = LoggerFactory.class)
    Logger log;

    private BrokerLink link;
    private HostAgent agent;
    private FleetView view;
    private ConsoleSession console;
    private Path work;
    private volatile ServiceRegistration<Fleet> registration;

    @Activate
    void activate(BundleContext context, FleetConfig config) {
        FleetSettings settings;
        try {
            settings = FleetSettings.of(config, context::getProperty);
        } catch (IllegalArgumentException e) {
            log.error("storport fleet: off: " + e.getMessage());
            String role = config.role().isBlank() ? context.getProperty(FleetSettings.PROPERTY + ".role") : config.role();
            if (role != null && (role.trim().equals("console") || role.trim().equals("both"))) {
                // a console that cannot start says why where its user looks (hosts), and a one-shot run need not wait for it
                registration = context.registerService(Fleet.class, new Off("off: " + e.getMessage()), null);
            }
            return;
        }
        if (!settings.enabled()) {
            return;
        }
        try {
            work = Files.createTempDirectory("storport-fleet");
            Path store = work;
            String home = context.getProperty("storport.home");
            if (home != null && !home.isBlank()) {
                store = Files.createDirectories(Path.of(home, "fleet"));
            }
            if (settings.agent()) {
                agent = new HostAgent(settings.host(), () -> nativeBackend, () -> capture, work);
            }
            if (settings.console()) {
                view = new FleetView(FleetView.Registrar.of(context), store, settings.maxSnapshotBytes(), log::warn);
                view.loadKept();
                console = new ConsoleSession(view, Runtime.getRuntime().availableProcessors());
            }
            link = new BrokerLink(settings, new BrokerLink.Session() {
                @Override
                public void connected(BrokerLink l) throws MqttException {
                    log.info("storport fleet: " + settings + ": connected");
                    if (console != null) {
                        console.connected(l);
                    }
                    if (agent != null) {
                        agent.connected(l);
                    }
                }

                @Override
                public void refused(String reason) {
                    log.warn("storport fleet: " + reason);
                    if (view != null) {
                        register(context); // a one-shot run reports the broker's problem rather than waiting on
                    }
                }

                @Override
                public void message(String topic, byte[] payload, boolean retained) {
                    if (console != null) {
                        console.message(topic, payload, retained);
                    }
                }
            });
        } catch (IOException | MqttException | RuntimeException e) {
            log.error("storport fleet: off: cannot start " + settings + ": " + BrokerLink.describe(e));
            return;
        }
        if (view != null) {
            view.link(link);
            link.every(100, () -> {
                if (registration == null && console.settled(SETTLED_MILLIS)) {
                    register(context);
                }
            });
        }
        if (agent != null) {
            HostAgent a = agent;
            BrokerLink l = link;
            link.every(settings.checkIntervalMillis(), () -> a.check(l));
        }
        link.start();
    }

    /** The fleet of a console whose settings cannot work: no hosts, and why. */
    private record Off(String connection) implements Fleet {
        @Override
        public java.util.List<storport.api.fleet.FleetHost> hosts() {
            return java.util.List.of();
        }

        @Override
        public boolean connected() {
            return false;
        }
    }

    private synchronized void register(BundleContext context) {
        if (registration == null && view != null) {
            try {
                registration = context.registerService(Fleet.class, view, null);
            } catch (IllegalStateException stopping) {
                // the bundle is stopping
            }
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException gone) {
                    // unregistered with the bundle
                }
                registration = null;
            }
        }
        if (link != null) {
            HostAgent a = agent;
            BrokerLink l = link;
            link.close(() -> {
                if (a != null) {
                    a.leaving(l);
                }
            });
        }
        if (console != null) {
            console.close();
        }
        if (view != null) {
            view.close();
        }
        if (work != null) {
            try (var files = Files.list(work)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
                Files.deleteIfExists(work);
            } catch (IOException ignored) {
                // a temporary folder the system cleans
            }
        }
    }
}
