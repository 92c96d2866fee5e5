package storport.console;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The answers Jetty writes itself: a request it cannot parse (400, 414 URI too long, 431 headers too
 * large) is answered before any filter runs, and an error status a servlet sends becomes Jetty's error
 * page, which names the servlet's class. Both become one line of plain text with the console's
 * headers. Also every cookie the server sets (the session's, the Web Console's locale) gets
 * {@code SameSite=Strict}, Jetty's context-wide default; Felix HTTP has no property for either.
 *
 * <p>Installed once the HTTP runtime initialises {@link ServletFailureGuard}, before it serves a request.
 */
final class JettyErrorPages extends ErrorHandler {
    /** Jetty's context attribute (HttpCookie.SAME_SITE_DEFAULT_ATTRIBUTE) with the SameSite of every cookie that names none. */
    static final String SAME_SITE_DEFAULT = "org.eclipse.jetty.cookie.sameSiteDefault";

    JettyErrorPages() {
        setShowServlet(false);
        setShowStacks(false);
    }

    /** Installs the pages on the Jetty server behind this context; false when it is not Jetty's (nothing changed). */
    static boolean install(ServletContext context) {
        ContextHandler handler = context == null ? null : ContextHandler.getContextHandler(context);
        if (handler == null) {
            return false;
        }
        handler.setAttribute(SAME_SITE_DEFAULT, "Strict");
        if (!(handler.getServer().getErrorHandler() instanceof JettyErrorPages)) {
            handler.getServer().setErrorHandler(new JettyErrorPages());
        }
        if (handler.getErrorHandler() != null && !(handler.getErrorHandler() instanceof JettyErrorPages)) {
            handler.setErrorHandler(new JettyErrorPages());
        }
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put("X-Frame-Options", "SAMEORIGIN");
        fields.put("X-Content-Type-Options", "nosniff");
        fields.put("Referrer-Policy", "same-origin");
        fields.put("Content-Security-Policy", SecurityHeaders.STORPORT_POLICY);
        fields.put("Cache-Control", "no-store");
        fields.put("Content-Type", "text/plain;charset=utf-8");
        return BufferUtil.toBuffer(line(status, reason), StandardCharsets.UTF_8);
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response, int code,
            String message) throws IOException {
        baseRequest.setHandled(true);
        SecurityHeaders.apply(request, response);
        response.setContentType("text/plain;charset=utf-8");
        byte[] body = line(code, message).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /**
     * {@code 400 Bad Request: Ambiguous URI empty segment}: the status's words, then Jetty's reason
     * when it adds one (printable ASCII, at most 100 characters; plain text, never sniffed as HTML).
     */
    static String line(int status, String reason) {
        String words = HttpStatus.getMessage(status);
        String why = reason == null ? "" : RequestGuard.printable(reason).trim();
        return status + " " + words + (why.isEmpty() || why.equalsIgnoreCase(words) ? "" : ": " + why) + "\n";
    }
}
