package storport.fleet;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The fleet settings in force: each value from the {@value #PID} configuration, or where that is
 * empty from the launcher's framework property ({@code storport.fleet}, {@code storport.fleet.role}, ...).
 *
 * @param broker the broker URI, or empty: the fleet is off
 */
record FleetSettings(String broker, boolean agent, boolean console, String host, String user, String password, String ca,
        int keepAliveSeconds, long maxSnapshotBytes, long checkIntervalMillis) {
    static final String PID = "storport.fleet";
    /** The framework property (the launcher's STORPORT_FLEET) naming the broker; the others are this plus {@code .role} etc. */
    static final String PROPERTY = "storport.fleet";
    static final int DEFAULT_KEEP_ALIVE_SECONDS = 10;
    static final int DEFAULT_MAX_SNAPSHOT_KIB = 16 * 1024;
    /** A host name as a single MQTT topic level: no wildcards, no separators, nothing a shell or a page would trip on. */
    static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    boolean enabled() {
        return !broker.isEmpty();
    }

    /**
     * @throws IllegalArgumentException with what is wrong, for a setting that cannot work
     */
    static FleetSettings of(FleetConfig config, UnaryOperator<String> framework) {
        String broker = pick(config.broker(), framework.apply(PROPERTY));
        if (broker.isEmpty()) {
            return new FleetSettings("", false, false, "", "", "", "", DEFAULT_KEEP_ALIVE_SECONDS, 0, 1000);
        }
        checkBroker(broker, Boolean.parseBoolean(pick("", framework.apply(PROPERTY + ".insecure"))) || "1".equals(pick("", framework.apply(PROPERTY + ".insecure"))));
        String role = pick(config.role(), framework.apply(PROPERTY + ".role")).toLowerCase(Locale.ROOT);
        boolean agent;
        boolean console;
        switch (role.isEmpty() ? "agent" : role) {
            case "agent" -> { agent = true; console = false; }
            case "console" -> { agent = false; console = true; }
            case "both" -> { agent = true; console = true; }
            default -> throw new IllegalArgumentException("role '" + role + "' is none of agent, console, both");
        }
        String host = pick(config.host(), framework.apply(PROPERTY + ".host"));
        if (host.isEmpty()) {
            host = machineName();
        }
        if (!HOST_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("host name '" + host + "' is not one topic level: letters, digits, '.', '_', '-', at most 63"
                    + " (set STORPORT_FLEET_HOST)");
        }
        int keepAlive = config.keepAliveSeconds();
        String keepAliveProperty = framework.apply(PROPERTY + ".keepalive");
        if (keepAlive == DEFAULT_KEEP_ALIVE_SECONDS && keepAliveProperty != null && !keepAliveProperty.isBlank()) {
            try {
                keepAlive = Integer.parseInt(keepAliveProperty.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("keep-alive '" + keepAliveProperty + "' is no number of seconds");
            }
        }
        if (keepAlive < 2 || keepAlive > 3600) {
            throw new IllegalArgumentException("keep-alive " + keepAlive + " s is outside 2..3600");
        }
        if (config.maxSnapshotKiB() < 16) {
            throw new IllegalArgumentException("the largest snapshot, " + config.maxSnapshotKiB() + " KiB, is below 16 KiB");
        }
        return new FleetSettings(broker, agent, console, host, pick(config.user(), framework.apply(PROPERTY + ".user")),
                pick(config.password(), framework.apply(PROPERTY + ".password")), pick(config.ca(), framework.apply(PROPERTY + ".ca")),
                keepAlive, config.maxSnapshotKiB() * 1024L, Math.max(100, config.checkIntervalMillis()));
    }

    String role() {
        return agent && console ? "both" : agent ? "agent" : "console";
    }

    /** No password, ever: for messages and logs. */
    @Override
    public String toString() {
        return "fleet " + role() + " " + host + " at " + broker + (user.isEmpty() ? "" : " as " + user);
    }

    /** A broker off this machine takes TLS: the password and the hosts' snapshots would cross the network in clear text. */
    private static void checkBroker(String broker, boolean insecure) {
        URI uri;
        try {
            uri = new URI(broker);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("broker '" + broker + "' is no URI: " + e.getReason());
        }
        if (!"tcp".equals(uri.getScheme()) && !"ssl".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("broker '" + broker + "' is no tcp://HOST:PORT or ssl://HOST:PORT URI");
        }
        if ("tcp".equals(uri.getScheme()) && !insecure && !loopback(uri.getHost())) {
            throw new IllegalArgumentException("broker '" + broker + "' is not on this machine and tcp:// has no TLS: the password and"
                    + " the snapshots would cross the network in clear text; use ssl://, or set STORPORT_FLEET_INSECURE=1");
        }
    }

    private static boolean loopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    private static String pick(String configured, String property) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        return property == null ? "" : property.trim();
    }

    private static String machineName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            int dot = name.indexOf('.');
            return dot > 0 ? name.substring(0, dot) : name;
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
