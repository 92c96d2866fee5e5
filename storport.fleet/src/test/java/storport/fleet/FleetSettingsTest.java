package storport.fleet;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.annotation.Annotation;
import java.util.HashMap;
import java.util.Map;

import org.junit.Test;

/** The settings in force: the configuration first, the launcher's properties next; what cannot work is refused with the reason. */
public class FleetSettingsTest {
    private final Map<String, String> framework = new HashMap<>();

    /** The configuration as Config Admin would deliver it: everything empty, the defaults. */
    private static FleetConfig config(String broker, String role) {
        return new FleetConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return FleetConfig.class;
            }

            @Override
            public String broker() {
                return broker;
            }

            @Override
            public String role() {
                return role;
            }

            @Override
            public String host() {
                return "";
            }

            @Override
            public String user() {
                return "";
            }

            @Override
            public String password() {
                return "";
            }

            @Override
            public String ca() {
                return "";
            }

            @Override
            public int keepAliveSeconds() {
                return FleetSettings.DEFAULT_KEEP_ALIVE_SECONDS;
            }

            @Override
            public int maxSnapshotKiB() {
                return FleetSettings.DEFAULT_MAX_SNAPSHOT_KIB;
            }

            @Override
            public long checkIntervalMillis() {
                return 1000;
            }
        };
    }

    private FleetSettings settings(FleetConfig config) {
        return FleetSettings.of(config, framework::get);
    }

    private String refusal(FleetConfig config) {
        try {
            settings(config);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        fail("accepted");
        return null;
    }

    @Test
    public void offWithoutABrokerAndTheLaunchersPropertiesOtherwise() {
        assertFalse(settings(config("", "")).enabled());
        framework.put("storport.fleet", "ssl://broker.example:8883");
        framework.put("storport.fleet.role", "both");
        framework.put("storport.fleet.host", "db-17");
        framework.put("storport.fleet.user", "db-17");
        framework.put("storport.fleet.password", "secret");
        framework.put("storport.fleet.keepalive", "5");
        FleetSettings s = settings(config("", ""));
        assertTrue(s.enabled() && s.agent() && s.console());
        assertEquals("db-17", s.host());
        assertEquals(5, s.keepAliveSeconds());
        assertEquals("the password never shows", "fleet both db-17 at ssl://broker.example:8883 as db-17", s.toString());
        assertEquals("the configuration wins", "tcp://127.0.0.1:1883", settings(config("tcp://127.0.0.1:1883", "agent")).broker());
        assertFalse(settings(config("tcp://127.0.0.1:1883", "agent")).console());
    }

    @Test
    public void whatCannotWorkIsRefusedWithTheReason() {
        assertEquals("role 'spy' is none of agent, console, both", refusal(config("tcp://127.0.0.1:1883", "spy")));
        assertEquals("broker 'http://x:80' is no tcp://HOST:PORT or ssl://HOST:PORT URI", refusal(config("http://x:80", "")));
        assertTrue(refusal(config("tcp://broker.example:1883", "")).contains("use ssl://, or set STORPORT_FLEET_INSECURE=1"));
        framework.put("storport.fleet.insecure", "1");
        assertEquals("tcp://broker.example:1883", settings(config("tcp://broker.example:1883", "")).broker());
        framework.put("storport.fleet.host", "a/b");
        assertTrue(refusal(config("tcp://127.0.0.1:1883", "")).startsWith("host name 'a/b' is not one topic level"));
        framework.put("storport.fleet.host", "+");
        assertTrue(refusal(config("tcp://127.0.0.1:1883", "")).startsWith("host name '+' is not one topic level"));
        framework.put("storport.fleet.host", "ok");
        framework.put("storport.fleet.keepalive", "1");
        assertEquals("keep-alive 1 s is outside 2..3600", refusal(config("tcp://127.0.0.1:1883", "")));
    }
}
