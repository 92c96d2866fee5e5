package storport.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import storport.api.Host;
import storport.bench.SyntheticHostTree;
import storport.capture.CaptureInfo;
import storport.capture.CaptureWriter;
import storport.capture.CapturedHost;
import storport.linux.DirectorySource;
import storport.linux.LinuxHostScanner;
import storport.view.Documents;

/**
 * The fleet at scale (BENCHMARKS.md section 9): N simulated agents (default 2,000), each a Paho
 * client holding its own connection with its will, publish real capture snapshots of varied
 * synthetic hosts (12 shapes, half of them with a remote-node vector) to one Debian Mosquitto; then
 * storport's console side ({@link ConsoleSession} and {@link FleetView} on a {@link BrokerLink}, as the product runs
 * them) subscribes.
 * Measured: the agents' publishing, the time until the console holds every host with its snapshot
 * accepted, the console's heap per host, {@code hosts --json} and the fleet-wide findings query
 * ({@code hosts --finding cross-node --json}), and the bytes an agent publishes per change.
 *
 * <pre>java -cp storport.bench/target/benchmarks.jar storport.fleet.FleetBenchmark [HOSTS]</pre>
 */
public final class FleetBenchmark {
    static final int[][] SHAPES = { { 16, 1 }, { 32, 1 }, { 32, 2 }, { 48, 2 }, { 64, 2 }, { 128, 4 } };

    private FleetBenchmark() {
    }

    record Shape(String name, byte[] snapshot, byte[] state) {
    }

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Path work = Files.createTempDirectory("storport-fleet-bench");
        List<Shape> shapes = shapes(work.resolve("trees"));
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path conf = work.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
                // a console subscribing receives every host's retained status, state and snapshot at once (README: fleet)
                + "max_queued_messages " + (3 * hosts + 1000) + "\nlog_dest file " + work.resolve("mosquitto.log")
                + "\nlog_type error\nlog_type warning\nlog_type notice\nuser " + System.getProperty("user.name") + "\n");
        // Debian's broker lives in /usr/sbin, which a user's PATH may lack
        String mosquitto = Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
        Process broker = new ProcessBuilder(mosquitto, "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("mosquitto.out").toFile()).start();
        String uri = "tcp://127.0.0.1:" + port;
        List<MqttAsyncClient> agents = new ArrayList<>();
        try {
            Thread.sleep(500);
            // the agents: connect with a will, publish status, snapshot and state retained, stay connected
            long t0 = System.nanoTime();
            Semaphore inFlight = new Semaphore(64);
            AtomicInteger done = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long bytes = 0;
            for (int i = 0; i < hosts; i++) {
                String host = String.format("host-%05d", i);
                Shape shape = shapes.get(i % shapes.size());
                bytes += shape.snapshot().length + shape.state().length + Topics.ONLINE.length;
                MqttAsyncClient c = new MqttAsyncClient(uri, "storport-agent-" + host, new MemoryPersistence());
                agents.add(c);
                MqttConnectOptions o = new MqttConnectOptions();
                o.setCleanSession(true);
                o.setKeepAliveInterval(60);
                o.setWill(Topics.status(host), Topics.OFFLINE, 1, true);
                inFlight.acquire();
                c.connect(o, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken connected) {
                        try {
                            c.publish(Topics.status(host), Topics.ONLINE, 1, true);
                            c.publish(Topics.snapshot(host), shape.snapshot(), 1, true);
                            c.publish(Topics.state(host), stateOf(shape, host), 1, true, null, new IMqttActionListener() {
                                @Override
                                public void onSuccess(IMqttToken published) {
                                    done.incrementAndGet();
                                    inFlight.release();
                                }

                                @Override
                                public void onFailure(IMqttToken t, Throwable e) {
                                    failure.set(e);
                                    inFlight.release();
                                }
                            });
                        } catch (MqttException e) {
                            failure.set(e);
                            inFlight.release();
                        }
                    }

                    @Override
                    public void onFailure(IMqttToken t, Throwable e) {
                        failure.set(e);
                        inFlight.release();
                    }
                });
            }
            inFlight.acquire(64);
            if (failure.get() != null || done.get() != hosts) {
                throw new IllegalStateException(done.get() + " of " + hosts + " agents published", failure.get());
            }
            double publishSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%d agents connected and published status, snapshot and state in %.1f s (%d connections held)%n", hosts,
                    publishSeconds, agents.size());

            // the console: what it holds is measured against the heap before it starts
            long before = usedHeap();
            AtomicInteger registered = new AtomicInteger();
            FleetView view = new FleetView((name, service) -> {
                registered.incrementAndGet();
                return () -> { };
            }, Files.createDirectories(work.resolve("console-store")), 16L << 20, System.err::println);
            FleetSettings settings = new FleetSettings(uri, false, true, "bench-console", "", "", "", 30, 16L << 20, 1000);
            long c0 = System.nanoTime();
            ConsoleSession console = new ConsoleSession(view, Runtime.getRuntime().availableProcessors());
            BrokerLink link = new BrokerLink(settings, new BrokerLink.Session() {
                @Override
                public void connected(BrokerLink l) throws MqttException {
                    console.connected(l);
                }

                @Override
                public void refused(String reason) {
                    System.err.println(reason);
                }

                @Override
                public void message(String topic, byte[] payload, boolean retained) {
                    console.message(topic, payload, retained);
                }
            });
            view.link(link);
            link.start();
            while (registered.get() < hosts) {
                if (System.nanoTime() - c0 > TimeUnit.SECONDS.toNanos(Long.getLong("fleet.timeout", 300))) {
                    throw new IllegalStateException("the console holds " + registered.get() + " of " + hosts + " in time (-Dfleet.timeout seconds)");
                }
                Thread.sleep(5);
            }
            double holdSeconds = (System.nanoTime() - c0) / 1e9;
            long refused = view.hosts().stream().filter(h -> !h.refused().isEmpty()).count();
            long perHost = (usedHeap() - before) / hosts;
            System.out.printf("console holds all %d hosts (snapshots accepted, backends registered) %.1f s after it started;"
                    + " %d refused%n", hosts, holdSeconds, refused);
            System.out.printf("console heap: %,d bytes per host (used heap after GC, minus before the console started)%n", perHost);

            double[] all = time(() -> Documents.Hosts.of(view).json());
            double[] crossNode = time(() -> Documents.Hosts.of(view).withFinding("cross-node").json());
            int withFinding = Documents.Hosts.of(view).withFinding("cross-node").hosts().size();
            System.out.printf("hosts --json (%d hosts, %,d bytes): median %.2f ms, max %.2f ms over %d runs%n", hosts,
                    Documents.Hosts.of(view).json().length(), all[0], all[1], (int) all[2]);
            System.out.printf("fleet-wide findings query (hosts --finding cross-node --json: %d hosts): median %.2f ms, max %.2f ms%n",
                    withFinding, crossNode[0], crossNode[1]);
            System.out.printf("published per host per change: %,d bytes on average (snapshot + state; %s)%n",
                    (bytes - (long) hosts * Topics.ONLINE.length) / hosts, describe(shapes));
            link.close(() -> { });
            console.close();
            view.close();
        } finally {
            for (MqttAsyncClient c : agents) {
                try {
                    c.disconnectForcibly(0, 100, false);
                    c.close(true);
                } catch (MqttException ignored) {
                    // the broker goes next
                }
            }
            if (!broker.isAlive()) {
                System.err.println("mosquitto ended with " + broker.exitValue() + "; its log and output are kept in " + work);
            } else {
                broker.destroy();
                broker.waitFor(10, TimeUnit.SECONDS);
                SyntheticHostTree.deleteTree(work);
            }
        }
    }

    /** The state as the agent writes it, for this host's name. */
    private static byte[] stateOf(Shape shape, String host) {
        return new String(shape.state(), StandardCharsets.UTF_8).replace("\"host\":\"" + shape.name() + "\"", "\"host\":\"" + host + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Every shape clean and with its first controller's queue-0 vector moved to the other node (a cross-node finding). */
    static List<Shape> shapes(Path dir) throws IOException {
        List<Shape> shapes = new ArrayList<>();
        for (int[] size : SHAPES) {
            for (boolean remote : new boolean[] { false, true }) {
                String name = size[0] + "x" + size[1] + (remote ? "-remote" : "");
                SyntheticHostTree t = SyntheticHostTree.write(dir.resolve(name), size[0], size[1]);
                if (remote) {
                    // hctx 0 serves CPUs of node 0; its vector now runs on the last CPU, on another node
                    Files.writeString(dir.resolve(name).resolve("proc/irq/" + t.irq(0, 1) + "/effective_affinity_list"), (size[0] - 1) + "\n");
                }
                Path archive = dir.resolve(name + ".tar.gz");
                new CaptureWriter().write(new DirectorySource(dir.resolve(name)), s -> {
                    try {
                        new LinuxHostScanner().scan(s);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, archive, CaptureInfo.of(name, "synthetic", Instant.now(), "bench"));
                Host host = CapturedHost.read(archive, "read");
                byte[] snapshot = Files.readAllBytes(archive);
                shapes.add(new Shape(name, snapshot, HostAgent.state(name, host, snapshot.length, Instant.now()).getBytes(StandardCharsets.UTF_8)));
            }
        }
        return shapes;
    }

    private static String describe(List<Shape> shapes) {
        StringBuilder b = new StringBuilder("snapshots of ");
        for (Shape s : shapes) {
            if (!s.name().endsWith("-remote")) {
                b.append(s.name()).append(' ').append(String.format("%,d", s.snapshot().length)).append(" B, ");
            }
        }
        return b.substring(0, b.length() - 2) + " (CPUs x NVMe controllers)";
    }

    private static double[] time(java.util.function.Supplier<String> query) {
        for (int i = 0; i < 20; i++) {
            query.get(); // warm-up
        }
        double[] ms = new double[50];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            query.get();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return new double[] { ms[ms.length / 2], ms[ms.length - 1], ms.length };
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
