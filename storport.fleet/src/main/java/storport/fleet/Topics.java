package storport.fleet;

import java.nio.charset.StandardCharsets;

/** The fleet's topics (DESIGN section 9), versioned: {@code storport/v1/hosts/<host>/{status,state,snapshot}}. */
final class Topics {
    static final String ROOT = "storport/v1/hosts/";
    /** What a console subscribes to: every host's three topics. */
    static final String ALL = ROOT + "+/+";
    static final String STATUS = "status";
    static final String STATE = "state";
    static final String SNAPSHOT = "snapshot";
    static final byte[] ONLINE = "online".getBytes(StandardCharsets.US_ASCII);
    static final byte[] OFFLINE = "offline".getBytes(StandardCharsets.US_ASCII);

    private Topics() {
    }

    static String status(String host) {
        return ROOT + host + "/" + STATUS;
    }

    static String state(String host) {
        return ROOT + host + "/" + STATE;
    }

    static String snapshot(String host) {
        return ROOT + host + "/" + SNAPSHOT;
    }

    /** {@code {host, kind}} of a fleet topic, or null for any other topic. */
    static String[] parse(String topic) {
        if (!topic.startsWith(ROOT)) {
            return null;
        }
        String rest = topic.substring(ROOT.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || rest.indexOf('/', slash + 1) >= 0) {
            return null;
        }
        return new String[] { rest.substring(0, slash), rest.substring(slash + 1) };
    }
}
