package storport.console;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The headers every answer of the console carries, set before anything else runs (and again after a
 * failure resets the response; {@link JettyErrorPages} for the answers Jetty gives before any filter).
 *
 * <p>Two content security policies. storport's own page and API ({@value ConsoleSecurity#HOME}) run
 * no inline script: its script is a file, and the two inline scripts of the Web Console's page header
 * are blocked there, their work done by {@code storport.js}. The Web Console's own pages (bundles,
 * configuration) are built on inline scripts and handlers, so their policy allows inline script;
 * everything else still comes from this origin only. Inline styles are allowed on both (the login
 * form and the Web Console's header use them; a style cannot run code).
 *
 * <p>Nothing is cached but the static resources ({@code /res/}): every other answer is either
 * authenticated or a login form.
 */
final class SecurityHeaders {
    private static final String COMMON = " style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'self';"
            + " form-action 'self'; frame-ancestors 'self'";
    static final String STORPORT_POLICY = "default-src 'self'; script-src 'self';" + COMMON;
    static final String WEB_CONSOLE_POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline';" + COMMON;

    private static final Map<String, String> STORPORT = headers(STORPORT_POLICY, false);
    private static final Map<String, String> STORPORT_RESOURCE = headers(STORPORT_POLICY, true);
    private static final Map<String, String> WEB_CONSOLE = headers(WEB_CONSOLE_POLICY, false);
    private static final Map<String, String> WEB_CONSOLE_RESOURCE = headers(WEB_CONSOLE_POLICY, true);

    /** An error page's: one line of text, no script, never cached. */
    static final Map<String, String> ERROR_PAGE = STORPORT;

    private SecurityHeaders() {
    }

    static void apply(HttpServletRequest request, HttpServletResponse response) {
        forPath(request.getRequestURI()).forEach(response::setHeader);
    }

    /** The headers for an answer to {@code path} (the request's URI path), in the order they are set. */
    static Map<String, String> forPath(String path) {
        boolean storport = path != null && (path.equals(ConsoleSecurity.HOME) || path.startsWith(ConsoleSecurity.HOME + "/"));
        boolean resource = path != null && path.contains("/res/");
        return storport ? (resource ? STORPORT_RESOURCE : STORPORT) : (resource ? WEB_CONSOLE_RESOURCE : WEB_CONSOLE);
    }

    private static Map<String, String> headers(String policy, boolean cached) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Frame-Options", "SAMEORIGIN");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "same-origin");
        headers.put("Content-Security-Policy", policy);
        if (!cached) {
            headers.put("Cache-Control", "no-store");
        }
        return Collections.unmodifiableMap(headers);
    }
}
