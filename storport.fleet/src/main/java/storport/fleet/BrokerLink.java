package storport.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * One MQTT connection to the broker, kept up: a failed connect or a lost connection is retried with
 * a doubling back-off (1 s up to 30 s, with jitter, so a restarted broker is not met by every host at
 * once). Everything the fleet does runs on this link's one thread ({@link #execute}), except message
 * delivery, which is Paho's callback thread.
 */
final class BrokerLink implements MqttCallbackExtended {
    static final long FIRST_BACKOFF_MILLIS = 1000;
    static final long MAX_BACKOFF_MILLIS = 30_000;
    static final int CONNECT_TIMEOUT_SECONDS = 10;

    /** What the agent and the console do with the link. */
    interface Session {
        /** Connected (again): a clean session, so subscriptions and retained publications are made afresh. */
        void connected(BrokerLink link) throws MqttException;

        /** A connect failed; {@code reason} says why (the broker refused the password, cannot be reached...). */
        void refused(String reason);

        void message(String topic, byte[] payload, boolean retained);
    }

    private final FleetSettings settings;
    private final Session session;
    private final ScheduledExecutorService thread;
    private final MqttAsyncClient client;
    private long backoff = FIRST_BACKOFF_MILLIS;
    private volatile String state = "connecting";
    private volatile boolean closed;

    BrokerLink(FleetSettings settings, Session session) throws MqttException {
        this.settings = settings;
        this.session = session;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "storport-fleet");
            t.setDaemon(true);
            return t;
        });
        // an agent's client id is its host's (a second agent claiming that host takes the connection over);
        // a console's is its own. No file persistence: Paho's default writes into the working directory.
        String id = settings.console() && !settings.agent() ? "storport-console-" + settings.host() + "-" + UUID.randomUUID().toString().substring(0, 8)
                : "storport-agent-" + settings.host();
        this.client = new MqttAsyncClient(settings.broker(), id, new MemoryPersistence());
        client.setCallback(this);
    }

    void start() {
        thread.execute(this::connect);
    }

    void execute(Runnable task) {
        if (!closed) {
            thread.execute(guarded(task));
        }
    }

    void every(long millis, Runnable task) {
        thread.scheduleWithFixedDelay(guarded(task), millis, millis, TimeUnit.MILLISECONDS);
    }

    boolean connected() {
        return client.isConnected();
    }

    /** {@code connected to URI}, or what the last attempt met. */
    String state() {
        return client.isConnected() ? "connected to " + settings.broker() : state;
    }

    /** Publishes at QoS 1 and waits until the broker has it (or the link fails). */
    void publish(String topic, byte[] payload, boolean retained) throws MqttException {
        IMqttDeliveryToken token = client.publish(topic, payload, 1, retained);
        token.waitForCompletion(TimeUnit.SECONDS.toMillis(CONNECT_TIMEOUT_SECONDS));
    }

    /**
     * At QoS 0: a clean session gets every retained message again at each subscription, so
     * acknowledgements add nothing. A broker caps the messages it queues for one client that reads
     * slower than they come (Mosquitto's max_queued_messages, 1,000 by default, QoS 0 included): a
     * site with more than about 300 hosts raises it to 3 per host for its consoles (README, fleet).
     */
    void subscribe(String filter) throws MqttException {
        client.subscribe(filter, 0).waitForCompletion(TimeUnit.SECONDS.toMillis(CONNECT_TIMEOUT_SECONDS));
    }

    /** Disconnects; an agent first marks itself offline, as its will would. */
    void close(Runnable beforeDisconnect) {
        closed = true;
        thread.shutdownNow();
        try {
            if (client.isConnected()) {
                beforeDisconnect.run();
                client.disconnect(2000).waitForCompletion(3000);
            }
        } catch (MqttException | RuntimeException e) {
            // going away anyway: the broker's will or its keep-alive says the rest
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing left to release
        }
    }

    private void connect() {
        if (closed || client.isConnected()) {
            return;
        }
        try {
            client.connect(options()).waitForCompletion(TimeUnit.SECONDS.toMillis(CONNECT_TIMEOUT_SECONDS + 2));
            backoff = FIRST_BACKOFF_MILLIS;
            state = "connected to " + settings.broker();
            session.connected(this);
        } catch (MqttException | GeneralSecurityException | IOException | RuntimeException e) {
            state = "cannot connect to " + settings.broker() + ": " + describe(e);
            session.refused(state);
            if (client.isConnected()) {
                try {
                    client.disconnect().waitForCompletion(2000);
                } catch (MqttException ignored) {
                    // the retry below starts afresh
                }
            }
            retry();
        }
    }

    private void retry() {
        if (closed) {
            return;
        }
        long delay = backoff + ThreadLocalRandom.current().nextLong(backoff / 4 + 1);
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        try {
            thread.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // closed meanwhile
        }
    }

    private MqttConnectOptions options() throws GeneralSecurityException, IOException {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setKeepAliveInterval(settings.keepAliveSeconds());
        o.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS);
        o.setMaxInflight(100);
        if (!settings.user().isEmpty()) {
            o.setUserName(settings.user());
            o.setPassword(settings.password().toCharArray());
        }
        if (settings.agent()) {
            o.setWill(Topics.status(settings.host()), Topics.OFFLINE, 1, true);
        }
        if (settings.broker().startsWith("ssl:") && !settings.ca().isEmpty()) {
            o.setSocketFactory(trusting(Path.of(settings.ca())));
        }
        return o;
    }

    /** A TLS socket factory that trusts the certificates of a PEM file (the broker's CA). */
    static SSLSocketFactory trusting(Path pem) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int n = 0;
        try (InputStream in = Files.newInputStream(pem)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca" + n++, c);
            }
        }
        if (n == 0) {
            throw new GeneralSecurityException("no certificate in " + pem);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls.getSocketFactory();
    }

    /** Paho's reason in words, with its cause (a refused password, an unknown CA...), never a stack trace. */
    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(e instanceof MqttException m && m.getMessage() != null ? m.getMessage() : String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !b.toString().contains(c.getMessage())) {
                b.append(": ").append(c.getMessage());
            }
        }
        return b.toString();
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                state = "fleet task failed: " + describe(e);
            }
        };
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        // connect() follows up itself; nothing reconnects behind its back (automatic reconnect is off)
    }

    @Override
    public void connectionLost(Throwable cause) {
        state = "lost the connection to " + settings.broker() + ": " + describe(cause);
        session.refused(state);
        if (!closed) {
            thread.execute(this::retry);
        }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        session.message(topic, message.getPayload(), message.isRetained());
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // publish() waits for its own token
    }
}
