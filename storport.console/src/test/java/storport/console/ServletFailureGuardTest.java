package storport.console;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;

import org.junit.Test;

import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;

public class ServletFailureGuardTest {
    private final java.util.List<String> logged = new java.util.ArrayList<>();
    private final ServletFailureGuard guard = new ServletFailureGuard(new RequestGuard((String) null), Http.logger(logged));
    private final Http.Response response = new Http.Response();

    private final Http.Request request = new Http.Request(new Http.Client(), "GET", "/system/console/storport/api/adapters");

    private void serve(FilterChain chain) throws Exception {
        guard.doFilter(request.proxy(), response.proxy(), chain);
    }

    /** What Felix HTTP's dispatcher does with an exception from a servlet: the exception as request attributes, then sendError(500). */
    private static void felixDispatch(ServletRequest req, ServletResponse res, Exception e) throws IOException {
        req.setAttribute(RequestDispatcher.ERROR_EXCEPTION, e);
        req.setAttribute(RequestDispatcher.ERROR_EXCEPTION_TYPE, e.getClass().getName());
        ((HttpServletResponse) res).sendError(500);
    }

    @Test
    public void felixHttpsErrorForAServletCaughtBetweenItsRegistrationsIs503JsonNotThePageWithTheStackTrace() throws Exception {
        serve((req, res) -> felixDispatch(req, res, new ServletException("Servlet has been unregistered")));
        assertEquals(503, response.status);
        assertEquals("1", response.headers.get("Retry-After"));
        assertTrue(response.body(), response.body().startsWith("{\"status\":\"STOR_STATUS_BUSY\""));
        assertFalse("the container's page is not rendered", response.body().contains("container error page"));
        assertEquals("the container finds no exception to print", null, request.attributes.get(RequestDispatcher.ERROR_EXCEPTION));
    }

    @Test
    public void felixHttpsErrorForAnyOtherExceptionIs500Json() throws Exception {
        serve((req, res) -> felixDispatch(req, res, new NullPointerException("secret detail")));
        assertEquals(500, response.status);
        assertTrue(response.body(), response.body().contains("STOR_STATUS_UNSUCCESSFUL") && response.body().contains("(NullPointerException)"));
        assertFalse(response.body(), response.body().contains("secret detail") || response.body().contains("container error page"));
    }

    @Test
    public void errorsBelow500PassToTheContainer() throws Exception {
        serve((req, res) -> ((HttpServletResponse) res).sendError(404, "no such page"));
        assertEquals(404, response.status);
        assertEquals("container error page: no such page", response.body());
    }

    @Test
    public void aServletCaughtBetweenItsRegistrationsIs503WithRetryAfterAndNoStackTrace() throws Exception {
        serve((req, res) -> {
            res.getOutputStream().write("half an answer".getBytes());
            throw new ServletException("Servlet has been unregistered");
        });
        assertEquals(503, response.status);
        assertEquals("1", response.headers.get("Retry-After"));
        assertEquals("application/json;charset=utf-8", response.contentType);
        assertTrue(response.body(), response.body().startsWith("{\"status\":\"STOR_STATUS_BUSY\""));
        assertFalse("nothing of the failed answer", response.body().contains("half an answer"));
        assertFalse(response.body().contains("\tat ") || response.body().contains("Servlet has been"));
    }

    @Test
    public void anyOtherFailureIs500NamingOnlyTheExceptionsClass() throws Exception {
        serve((req, res) -> {
            throw new IllegalStateException("secret detail /home/admin");
        });
        assertEquals(500, response.status);
        assertTrue(response.body(), response.body().contains("STOR_STATUS_UNSUCCESSFUL") && response.body().contains("IllegalStateException"));
        assertFalse(response.body(), response.body().contains("secret detail") || response.body().contains("\tat "));
        assertEquals(null, response.headers.get("Retry-After"));
    }

    @Test
    public void aFailureAfterTheAnswerBeganLeavesTheAnswerAlone() throws Exception {
        serve((req, res) -> {
            res.getOutputStream().write("partial".getBytes());
            res.flushBuffer();
            throw new IOException("client went away");
        });
        assertEquals(200, response.status);
        assertEquals("partial", response.body());
        assertEquals("what escapes the servlets is in the OSGi log", java.util.List.of("error: storport console: a request failed"), logged);
    }

    @Test
    public void aGoodAnswerPassesUntouched() throws Exception {
        serve((req, res) -> res.getOutputStream().write("fine".getBytes()));
        assertEquals(200, response.status);
        assertEquals("fine", response.body());
    }
}
