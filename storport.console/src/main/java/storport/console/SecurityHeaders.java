package storport.console;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The headers every answer of the console carries, set before anything else runs (and again after a
 * failure resets the response). The Web Console's own pages, which frame storport's, carry inline
 * scripts and styles, so the policy allows those; everything else comes from this origin only.
 */
final class SecurityHeaders {
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

    private SecurityHeaders() {
    }

    static void apply(HttpServletResponse response) {
        response.setHeader("X-Frame-Options", "SAMEORIGIN");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    }
}
