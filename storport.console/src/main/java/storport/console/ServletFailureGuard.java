package storport.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.servlet.whiteboard.Preprocessor;

import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.view.Documents;

/**
 * In front of every request the HTTP runtime serves, before any context or login: the
 * {@link RequestGuard}'s checks and headers first; then a servlet that
 * fails is answered with a JSON status, never with Jetty's error page, which prints the
 * exception's stack trace to whoever asked, logged in or not. Felix HTTP turns an exception into
 * {@code sendError(500)} with the exception as a request attribute; this answers that call (and
 * any exception that still escapes) itself. Statuses below 500 pass as they are.
 *
 * <p>The one failure seen in practice: the Web Console registers its servlet again whenever its
 * configuration is delivered or a security provider comes or goes (at every start, shortly after
 * HTTP listens), and a request caught in between fails with "Servlet has been unregistered". That
 * request gets 503 with {@code Retry-After}; anything else 500.
 */
@Component(service = Preprocessor.class)
public class ServletFailureGuard implements Preprocessor {
    private final Logger log;
    /** Null in unit tests. */
    private final ComponentContext component;
    private final RequestGuard guard;

    @Activate
    public ServletFailureGuard(ComponentContext component, @Reference RequestGuard guard,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.component = component;
        this.guard = guard;
        this.log = log;
    }

    ServletFailureGuard(RequestGuard guard, Logger log) {
        this(null, guard, log);
    }

    /**
     * The runtime puts this guard in front of its requests: now the Web Console may serve, so its
     * login, which it waits for, is enabled ({@link ConsoleSecurity} is disabled until then). Without
     * this order the Web Console's first servlet could fail in front of nobody (seen at start).
     */
    @Override
    public void init(FilterConfig config) {
        if (!JettyErrorPages.install(config.getServletContext())) {
            log.warn("storport console: the HTTP runtime is not Jetty's: its own error pages keep their headers and cookies their SameSite");
        }
        if (component != null) {
            component.enableComponent(ConsoleSecurity.class.getName());
        }
    }

    /** The runtime takes the guard away (it stops): no Web Console without it. */
    @Override
    public void destroy() {
        if (component != null) {
            component.disableComponent(ConsoleSecurity.class.getName());
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse answer)) {
            chain.doFilter(request, response);
            return;
        }
        try {
            if (!guard.admit(http, answer)) {
                return;
            }
            chain.doFilter(request, new HttpServletResponseWrapper(answer) {
                @Override
                public void sendError(int status) throws IOException {
                    sendError(status, null);
                }

                @Override
                public void sendError(int status, String message) throws IOException {
                    if (status < HttpServletResponse.SC_INTERNAL_SERVER_ERROR) {
                        super.sendError(status, message);
                    } else {
                        fail(http, answer, http.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable t ? t : null, status);
                    }
                }
            });
        } catch (IOException | ServletException | RuntimeException e) {
            // Felix HTTP logs what it turns into sendError itself; what escapes it is logged here
            log.error("storport console: a request failed", e);
            fail(http, answer, e, HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
        }
    }

    private void fail(HttpServletRequest request, HttpServletResponse response, Throwable failure, int status) throws IOException {
        request.removeAttribute(RequestDispatcher.ERROR_EXCEPTION);
        request.removeAttribute(RequestDispatcher.ERROR_EXCEPTION_TYPE);
        if (response.isCommitted()) {
            return; // the status line is out: the client sees a cut-off answer, never a stack trace
        }
        boolean reRegistering = failure instanceof ServletException && String.valueOf(failure.getMessage()).contains("unregistered");
        StorPortException reason;
        if (reRegistering) {
            status = HttpServletResponse.SC_SERVICE_UNAVAILABLE;
            reason = new StorPortException(StorStatus.BUSY, "the console is being registered again (it is starting or its"
                    + " configuration changed); try again in a moment");
        } else {
            reason = new StorPortException(StorStatus.UNSUCCESSFUL, "the request failed inside the server"
                    + (failure == null ? "" : " (" + failure.getClass().getSimpleName() + ")") + "; the details are in the product's log");
        }
        response.reset();
        SecurityHeaders.apply(request, response);
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        if (reRegistering) {
            response.setHeader("Retry-After", "1");
        }
        response.setContentType("application/json;charset=utf-8");
        byte[] body = Documents.failureJson(reason).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }
}
