package storport.itest.failing;

import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A test bundle (LockdownIT builds it and installs it into the running product): a whiteboard
 * servlet at {@code /failing/*} that fails as servlets do, to see what a client gets then.
 * {@code /failing/unregistered} fails as Felix HTTP does for a servlet caught between two
 * registrations; any other path throws an exception whose message must not reach the client.
 */
public class FailingServlets implements BundleActivator {
    static final String SECRET = "secret detail of the failing servlet";

    @Override
    public void start(BundleContext context) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("osgi.http.whiteboard.servlet.pattern", "/failing/*");
        context.registerService(Servlet.class, new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException {
                if (String.valueOf(request.getPathInfo()).endsWith("/unregistered")) {
                    throw new ServletException("Servlet has been unregistered");
                }
                throw new IllegalStateException(SECRET);
            }
        }, properties);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the servlet
    }
}
