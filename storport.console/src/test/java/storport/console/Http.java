package storport.console;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/** Small in-memory fakes of the servlet objects the console touches (dynamic proxies: only what is used is implemented). */
final class Http {
    private Http() {
    }

    /** The console's login with the password {@code pw} (as from STORPORT_CONSOLE_PASSWORD), logging into {@code logged}. */
    static ConsoleSecurity security(java.util.List<String> logged) {
        ConsoleSecurity security = new ConsoleSecurity();
        Credentials c = new Credentials(java.util.Map.of(Credentials.ENV, "pw")::get);
        c.load(null);
        security.credentials = c;
        security.log = logger(logged);
        return security;
    }

    /** An OSGi Logger that keeps what is logged at warn and above, formatted ("{}" replaced by the arguments). */
    static org.osgi.service.log.Logger logger(java.util.List<String> sink) {
        return (org.osgi.service.log.Logger) Proxy.newProxyInstance(Http.class.getClassLoader(),
                new Class<?>[] { org.osgi.service.log.Logger.class }, (p, m, a) -> {
                    switch (m.getName()) {
                        case "warn", "error", "audit" -> {
                            String text = (String) a[0];
                            Object[] args = a.length > 1 && a[1] instanceof Object[] array ? array : java.util.Arrays.copyOfRange(a, 1, a.length);
                            for (Object arg : args) {
                                text = text.replaceFirst("\\{\\}", java.util.regex.Matcher.quoteReplacement(String.valueOf(arg)));
                            }
                            synchronized (sink) {
                                sink.add(m.getName() + ": " + text);
                            }
                            return null;
                        }
                        case "getName" -> {
                            return "test";
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(p);
                        }
                        case "equals" -> {
                            return p == a[0];
                        }
                        default -> {
                            return m.getReturnType() == boolean.class ? Boolean.TRUE : null;
                        }
                    }
                });
    }

    /** A client's cookie jar, reduced to the one session. */
    static final class Client {
        FakeSession session;
    }

    static final class FakeSession {
        final Map<String, Object> attributes = new HashMap<>();
        boolean invalid;

        HttpSession proxy() {
            return (HttpSession) Proxy.newProxyInstance(Http.class.getClassLoader(), new Class<?>[] { HttpSession.class }, (p, m, a) -> {
                if (invalid && !m.getName().equals("invalidate")) {
                    throw new IllegalStateException("invalidated");
                }
                return switch (m.getName()) {
                    case "getAttribute" -> attributes.get((String) a[0]);
                    case "setAttribute" -> {
                        attributes.put((String) a[0], a[1]);
                        yield null;
                    }
                    case "removeAttribute" -> attributes.remove((String) a[0]);
                    case "invalidate" -> {
                        invalid = true;
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    default -> throw new UnsupportedOperationException(m.getName());
                };
            });
        }
    }

    static final class Request {
        String method = "GET";
        String uri;
        String query;
        String pathInfo;
        final Map<String, String> headers = new LinkedHashMap<>();
        final Map<String, String> parameters = new LinkedHashMap<>();
        final Map<String, Object> attributes = new HashMap<>();
        final Client client;
        String remoteAddr = "127.0.0.1";
        String localAddr = "127.0.0.1";
        int localPort = 8181;

        Request(Client client, String method, String uri) {
            this.client = client;
            this.method = method;
            this.uri = uri;
            headers.put("Host", "127.0.0.1:8181");
        }

        Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Request param(String name, String value) {
            parameters.put(name, value);
            return this;
        }

        HttpServletRequest proxy() {
            return (HttpServletRequest) Proxy.newProxyInstance(Http.class.getClassLoader(), new Class<?>[] { HttpServletRequest.class }, (p, m, a) -> {
                switch (m.getName()) {
                    case "getMethod":
                        return method;
                    case "getRequestURI":
                        return uri;
                    case "getQueryString":
                        return query;
                    case "getPathInfo":
                        return pathInfo;
                    case "getScheme":
                        return "http";
                    case "getServerName":
                        return "127.0.0.1";
                    case "getServerPort":
                        return 8181;
                    case "getLocalPort":
                        return localPort;
                    case "getLocalAddr":
                        return localAddr;
                    case "getRemoteAddr":
                        return remoteAddr;
                    case "getHeader":
                        for (Map.Entry<String, String> e : headers.entrySet()) {
                            if (e.getKey().equalsIgnoreCase((String) a[0])) {
                                return e.getValue();
                            }
                        }
                        return null;
                    case "getContentLengthLong":
                        String length = headers.get("Content-Length");
                        return length == null ? -1L : Long.parseLong(length);
                    case "getParameter":
                        return parameters.get((String) a[0]);
                    case "getAttribute":
                        return attributes.get((String) a[0]);
                    case "setAttribute":
                        attributes.put((String) a[0], a[1]);
                        return null;
                    case "removeAttribute":
                        attributes.remove((String) a[0]);
                        return null;
                    case "getSession":
                        boolean create = a == null || a.length == 0 || (Boolean) a[0];
                        if (client.session != null && client.session.invalid) {
                            client.session = null;
                        }
                        if (client.session == null && create) {
                            client.session = new FakeSession();
                        }
                        return client.session == null ? null : client.session.proxy();
                    case "getHeaderNames":
                        return Collections.enumeration(headers.keySet());
                    case "hashCode":
                        return System.identityHashCode(p);
                    case "equals":
                        return p == a[0];
                    default:
                        throw new UnsupportedOperationException(m.getName());
                }
            });
        }
    }

    static final class Response {
        int status = 200;
        String contentType;
        final Map<String, String> headers = new LinkedHashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private PrintWriter writer;
        boolean committed;

        String body() {
            if (writer != null) {
                writer.flush();
            }
            return body.toString(StandardCharsets.UTF_8);
        }

        HttpServletResponse proxy() {
            ServletOutputStream out = new ServletOutputStream() {
                @Override
                public void write(int b) {
                    body.write(b);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                }
            };
            return (HttpServletResponse) Proxy.newProxyInstance(Http.class.getClassLoader(), new Class<?>[] { HttpServletResponse.class }, (p, m, a) -> {
                switch (m.getName()) {
                    case "setStatus":
                        status = (Integer) a[0];
                        return null;
                    case "getStatus":
                        return status;
                    case "setContentType":
                        contentType = (String) a[0];
                        return null;
                    case "getContentType":
                        return contentType;
                    case "setHeader":
                    case "addHeader":
                        headers.put((String) a[0], (String) a[1]);
                        return null;
                    case "getHeader":
                        return headers.get((String) a[0]);
                    case "setContentLength":
                    case "setCharacterEncoding":
                        return null;
                    case "getOutputStream":
                        return out;
                    case "getWriter":
                        if (writer == null) {
                            writer = new PrintWriter(body, true, StandardCharsets.UTF_8);
                        }
                        return writer;
                    case "sendError":
                        status = (Integer) a[0];
                        body.write(("container error page" + (a.length > 1 ? ": " + a[1] : "")).getBytes(StandardCharsets.UTF_8));
                        committed = true;
                        return null;
                    case "flushBuffer":
                        committed = true;
                        if (writer != null) {
                            writer.flush();
                        }
                        return null;
                    case "isCommitted":
                        return committed;
                    case "reset":
                        if (committed) {
                            throw new IllegalStateException("committed");
                        }
                        status = 200;
                        contentType = null;
                        headers.clear();
                        body.reset();
                        return null;
                    case "hashCode":
                        return System.identityHashCode(p);
                    case "equals":
                        return p == a[0];
                    default:
                        throw new UnsupportedOperationException(m.getName());
                }
            });
        }
    }
}
