package storport.console;

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

    private SecurityHeaders() {
    }

    static void apply(HttpServletRequest request, HttpServletResponse response) {
        String uri = request.getRequestURI();
        response.setHeader("X-Frame-Options", "SAMEORIGIN");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
        boolean storport = uri != null && (uri.equals(ConsoleSecurity.HOME) || uri.startsWith(ConsoleSecurity.HOME + "/"));
        response.setHeader("Content-Security-Policy", storport ? STORPORT_POLICY : WEB_CONSOLE_POLICY);
        if (uri == null || !uri.contains("/res/")) {
            response.setHeader("Cache-Control", "no-store");
        }
    }
}
