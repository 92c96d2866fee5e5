package storport.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Makes the Web Console's own login unusable: its configuration
 * ({@value #PID}) gets a password nobody knows (the hash of random bytes that are thrown away)
 * wherever it still has none or the well-known admin one, and storport as the landing page. The
 * product also names storport as the required security provider
 * ({@code felix.webconsole.security.providers}), which by itself makes the Web Console's
 * built-in check refuse everyone; this is the second lock.
 */
@Component(immediate = true)
public class WebConsoleLockdown {
    static final String PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
    /** The Web Console's built-in default: SHA-256 of "admin". */
    static final String WELL_KNOWN = "{sha-256}jGl25bVBBBW96Qi9Te4V37Fnqchz/Eu4qB9vKrRIqRg=";

    @Reference
    ConfigurationAdmin configurationAdmin;

    @Activate
    void activate() throws IOException {
        // "?": a multi-location configuration, so the Web Console bundle receives it
        Configuration c = configurationAdmin.getConfiguration(PID, "?");
        Dictionary<String, Object> props = c.getProperties();
        if (props == null) {
            props = new Hashtable<>();
        }
        boolean changed = false;
        Object password = props.get("password");
        if (password == null || WELL_KNOWN.equals(password) || "admin".equals(password) || String.valueOf(password).isBlank()) {
            props.put("password", unusablePassword());
            changed = true;
        }
        if (props.get("default.render") == null) {
            props.put("default.render", ConsolePlugin.LABEL);
            changed = true;
        }
        if (changed) {
            c.update(props);
        }
    }

    static String unusablePassword() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(Base64.getEncoder().encodeToString(secret).getBytes(StandardCharsets.UTF_8));
            return "{sha-256}" + Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
