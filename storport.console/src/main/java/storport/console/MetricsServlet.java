package storport.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import storport.api.StorPort;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.view.FindingsCache;

/**
 * {@value #PATH} on the console's HTTP service: the {@link Metrics} of the active backend in the
 * Prometheus text format, for a Prometheus server to scrape. The console's login guards it
 * ({@link ConsoleSecurity}, the same check as {@code /system/console}'s: HTTP Basic, which a scrape
 * configuration's {@code basic_auth} sends, or a console session), with its throttling of wrong passwords.
 * Every refusal and failure is a JSON status: no stack trace or HTML page reaches a scraper.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + MetricsServlet.PATH,
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=storport.metrics" })
public class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String PATH = "/metrics";

    /** The selector's dispatch (the service without a backend property): it follows backend switches. */
    @Reference(target = "(!(" + StorPort.BACKEND + "=*))", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile StorPort storport;

    @Reference
    transient ConsoleSecurity security;

    @Reference(service = LoggerFactory.class)
    transient Logger log;

    private final transient FindingsCache findings = new FindingsCache();
    private final transient PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    /** Adapters whose counters the last scrape could not read: logged when they start failing, not at every scrape. */
    private final transient Set<String> unread = ConcurrentHashMap.newKeySet();

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (security.authenticate(request, response) == null) {
            return; // answered: 401 (with a Basic challenge), 403, 405, 429 or 503
        }
        boolean head = "HEAD".equals(request.getMethod());
        if (!head && !"GET".equals(request.getMethod())) {
            response.setHeader("Allow", "GET, HEAD");
            RequestGuard.refuse(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                    new StorPortException(StorStatus.INVALID_DEVICE_REQUEST, request.getMethod() + " is not served; use GET"));
            return;
        }
        StorPort s = storport;
        if (s == null) {
            RequestGuard.refuse(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    new StorPortException(StorStatus.INVALID_DEVICE_STATE, "no storport backend is registered"));
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
        try {
            Metrics.Scrape scrape = Metrics.of(s, findings, System.nanoTime());
            logUnread(scrape.unread());
            writer.write(body, scrape.metrics(), EscapingScheme.fromAcceptHeader(request.getHeader("Accept")));
        } catch (RuntimeException e) {
            log.error("storport metrics: a scrape failed", e);
            RequestGuard.refuse(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, new StorPortException(StorStatus.UNSUCCESSFUL,
                    "the metrics could not be read (" + e.getClass().getSimpleName() + "); the details are in the product's log"));
            return;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(writer.getContentType());
        response.setContentLength(body.size());
        if (!head) {
            body.writeTo(response.getOutputStream());
        }
        response.flushBuffer();
    }

    private void logUnread(Map<String, String> now) {
        now.forEach((adapter, reason) -> {
            if (unread.add(adapter)) {
                log.warn("storport metrics: no interrupt counts for adapter {}: {}", adapter, reason);
            }
        });
        unread.retainAll(now.keySet());
    }
}
