package storport.console;

import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletContext;

/**
 * The answers Jetty writes itself: a request it cannot parse (400, 414 URI too long, 431 headers too
 * large) is answered before any filter runs, and an error status a servlet sends becomes Jetty's error
 * page, which names the servlet's class. Both become one line of plain text with the console's
 * headers. Also every cookie the server sets (the session's, the Web Console's locale) gets
 * {@code SameSite=Strict}, Jetty's context-wide default; Felix HTTP has no property for either.
 *
 * <p>Jetty 12 sends both kinds through one {@link Request.Handler}: the server's for what fails before
 * a context is chosen, the servlet context's for what a servlet sends; this one serves as both.
 * Installed once the HTTP runtime initialises {@link ServletFailureGuard}, before it serves a request.
 */
final class JettyErrorPages extends ErrorHandler {
    /** Jetty's context attribute (HttpCookieUtils.SAME_SITE_DEFAULT_ATTRIBUTE) with the SameSite of every cookie that names none. */
    static final String SAME_SITE_DEFAULT = "org.eclipse.jetty.cookie.sameSiteDefault";

    /** Installs the pages on the Jetty server behind this context; false when it is not Jetty's (nothing changed). */
    static boolean install(ServletContext context) {
        ServletContextHandler handler = context == null ? null : ServletContextHandler.getServletContextHandler(context);
        if (handler == null) {
            return false;
        }
        handler.setAttribute(SAME_SITE_DEFAULT, "Strict");
        Server server = handler.getServer();
        if (server != null && !(server.getErrorHandler() instanceof JettyErrorPages)) {
            server.setErrorHandler(new JettyErrorPages());
        }
        if (!(handler.getErrorHandler() instanceof JettyErrorPages)) {
            handler.setErrorHandler(new JettyErrorPages());
        }
        return true;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int code = response.getStatus();
        // Jetty's reason for what it could not parse, or what a servlet passed to sendError
        Object reason = request.getAttribute(ERROR_MESSAGE);
        if (reason == null) {
            reason = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        }
        if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException http) {
            code = http.getCode();
            response.setStatus(code);
            reason = reason == null ? http.getReason() : reason;
        }
        HttpFields.Mutable fields = response.getHeaders();
        SecurityHeaders.ERROR_PAGE.forEach(fields::put);
        if (HttpStatus.hasNoBody(code) || "HEAD".equals(request.getMethod())) {
            response.write(true, null, callback);
            return true;
        }
        fields.put("Content-Type", "text/plain;charset=utf-8");
        response.write(true, BufferUtil.toBuffer(line(code, reason == null ? null : reason.toString()), StandardCharsets.UTF_8), callback);
        return true;
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
