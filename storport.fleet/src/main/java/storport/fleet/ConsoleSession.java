package storport.fleet;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * The console's side of the link: subscribes to every host at each (re)connect and hands each
 * message to the {@link FleetView} on one of a few lanes (one per core), chosen by host, so one
 * host's messages keep their order while the snapshots of different hosts are read in parallel
 * (reading a snapshot, not the broker, bounds how fast a console takes in a fleet). Knows when the
 * retained state has arrived: the subscription is made, nothing came for a moment, and every lane
 * is done.
 */
final class ConsoleSession {
    private final FleetView view;
    private final ExecutorService[] lanes;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long subscribedNanos;
    private volatile long lastMessageNanos;

    ConsoleSession(FleetView view, int lanes) {
        this.view = view;
        this.lanes = new ExecutorService[Math.max(1, lanes)];
        for (int i = 0; i < this.lanes.length; i++) {
            int n = i;
            this.lanes[i] = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "storport-fleet-lane-" + n);
                t.setDaemon(true);
                return t;
            });
        }
    }

    void connected(BrokerLink link) throws MqttException {
        link.subscribe(Topics.ALL);
        subscribedNanos = System.nanoTime();
    }

    void message(String topic, byte[] payload, boolean retained) {
        lastMessageNanos = System.nanoTime();
        String[] parts = Topics.parse(topic);
        if (parts == null) {
            return;
        }
        pending.incrementAndGet();
        try {
            lanes[Math.floorMod(parts[0].hashCode(), lanes.length)].execute(() -> {
                try {
                    view.message(topic, payload, retained);
                } finally {
                    pending.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            pending.decrementAndGet();
        }
    }

    /** The broker's retained state has arrived and been taken in: subscribed, quiet for this long, no lane busy. */
    boolean settled(long quietMillis) {
        long quiet = TimeUnit.MILLISECONDS.toNanos(quietMillis);
        long now = System.nanoTime();
        long subscribed = subscribedNanos;
        return subscribed != 0 && now - subscribed > quiet && now - lastMessageNanos > quiet && pending.get() == 0;
    }

    void close() {
        for (ExecutorService lane : lanes) {
            lane.shutdownNow();
        }
    }
}
