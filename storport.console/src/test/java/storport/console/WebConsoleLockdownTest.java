package storport.console;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

public class WebConsoleLockdownTest {

    /** Config Admin holding one configuration, recording the location asked for. */
    private static ConfigurationAdmin admin(AtomicReference<Dictionary<String, Object>> props, AtomicReference<String> location) {
        Configuration c = (Configuration) Proxy.newProxyInstance(WebConsoleLockdownTest.class.getClassLoader(),
                new Class<?>[] { Configuration.class }, (p, m, a) -> switch (m.getName()) {
                    case "getProperties" -> props.get() == null ? null : new Hashtable<>(((Hashtable<?, ?>) props.get()));
                    case "update" -> {
                        props.set(castDictionary(a[0]));
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return (ConfigurationAdmin) Proxy.newProxyInstance(WebConsoleLockdownTest.class.getClassLoader(),
                new Class<?>[] { ConfigurationAdmin.class }, (p, m, a) -> {
                    if (m.getName().equals("getConfiguration") && a.length == 2) {
                        assertEquals(WebConsoleLockdown.PID, a[0]);
                        location.set((String) a[1]);
                        return c;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    @SuppressWarnings("unchecked")
    private static Dictionary<String, Object> castDictionary(Object o) {
        return (Dictionary<String, Object>) o;
    }

    @Test
    public void theWebConsolesOwnPasswordBecomesUnknowable() throws Exception {
        AtomicReference<Dictionary<String, Object>> props = new AtomicReference<>();
        AtomicReference<String> location = new AtomicReference<>();
        WebConsoleLockdown l = new WebConsoleLockdown();
        l.configurationAdmin = admin(props, location);
        l.activate();
        assertEquals("a configuration the Web Console bundle receives", "?", location.get());
        String password = (String) props.get().get("password");
        assertTrue(password, password.matches("\\{sha-256\\}[A-Za-z0-9+/]{43}="));
        assertNotEquals(WebConsoleLockdown.WELL_KNOWN, password);
        assertEquals("storport", props.get().get("default.render"));

        l.activate();
        assertEquals("a configured password is left alone", password, props.get().get("password"));

        Hashtable<String, Object> admin = new Hashtable<>();
        admin.put("password", WebConsoleLockdown.WELL_KNOWN);
        admin.put("default.render", "bundles");
        props.set(admin);
        l.activate();
        assertNotEquals(WebConsoleLockdown.WELL_KNOWN, props.get().get("password"));
        assertEquals("the user's landing page stays", "bundles", props.get().get("default.render"));
    }
}
