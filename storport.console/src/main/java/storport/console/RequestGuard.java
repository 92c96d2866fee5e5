package storport.console;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.view.Documents;

/**
 * In front of every request, before any login ({@link ServletFailureGuard} calls it first, so the
 * Web Console is never served without it): the headers every answer carries, a {@code Host} that is not one of the console's own
 * names refused (DNS rebinding: a page of another site whose name resolves to this address would
 * otherwise count as this origin), and two requests the Web Console would fail on with a 500
 * answered with a clear 400.
 *
 * <p>The console's own names: the address the request came in on (the bound address, or with a
 * wildcard bind the interface's), for a loopback address also {@code localhost}, {@code 127.0.0.1}
 * and {@code [::1]}, and the names the operator lists in the framework property {@value #HOSTNAMES}
 * ({@code STORPORT_CONSOLE_HOSTNAMES}); always with the port the request came in on.
 */
@Component(service = RequestGuard.class)
public class RequestGuard {
    static final String HOSTNAMES = "storport.console.hostnames";
    /** RFC 9110 Accept-Language: language ranges with optional weights. */
    private static final Pattern ACCEPT_LANGUAGE = Pattern.compile(
            "\\s*(\\*|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)(\\s*;\\s*[qQ]\\s*=\\s*(0(\\.\\d{0,3})?|1(\\.0{0,3})?))?"
            + "(\\s*,\\s*(\\*|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)(\\s*;\\s*[qQ]\\s*=\\s*(0(\\.\\d{0,3})?|1(\\.0{0,3})?))?)*\\s*,?\\s*");

    private final Set<String> operatorNames;

    @Activate
    public RequestGuard(BundleContext context) {
        this(context.getProperty(HOSTNAMES));
    }

    RequestGuard(String hostnames) {
        operatorNames = hostnames == null ? Set.of()
                : Arrays.stream(hostnames.split(",")).map(RequestGuard::normalName).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** Sets the headers, and answers a request that may go no further itself: false when it did. */
    boolean admit(HttpServletRequest http, HttpServletResponse answer) throws IOException {
        SecurityHeaders.apply(http, answer);
        String foreign = foreignHost(http);
        if (foreign != null) {
            refuse(answer, 421, new StorPortException(StorStatus.ACCESS_DENIED, foreign));
            return false;
        }
        String language = http.getHeader("Accept-Language");
        if (language != null && !ACCEPT_LANGUAGE.matcher(language).matches()) {
            // the Web Console would turn it into a locale cookie that Jetty refuses, with a 500 and a trace in the log
            refuse(answer, HttpServletResponse.SC_BAD_REQUEST, StorPortException.invalidParameter(
                    "the Accept-Language header is not a list of language tags (RFC 9110)"));
            return false;
        }
        String filter = invalidFilter(http);
        if (filter != null) {
            refuse(answer, HttpServletResponse.SC_BAD_REQUEST, StorPortException.invalidParameter(filter));
            return false;
        }
        return true;
    }

    /** Why the request's Host is not one of the console's own names, or null. */
    String foreignHost(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (host == null || host.isBlank()) {
            return "a request without a Host header is refused";
        }
        String name;
        int port;
        String h = host.trim();
        int colon = h.lastIndexOf(':');
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0) {
                return "Host '" + printable(host) + "' is not a host name";
            }
            name = h.substring(0, close + 1);
            colon = close + 1 < h.length() && h.charAt(close + 1) == ':' ? close + 1 : -1;
            if (close + 1 < h.length() && colon < 0) {
                return "Host '" + printable(host) + "' is not a host name";
            }
        } else {
            name = colon < 0 ? h : h.substring(0, colon);
        }
        if (colon < 0) {
            port = "https".equalsIgnoreCase(request.getScheme()) ? 443 : 80;
        } else {
            String digits = h.substring(colon + 1);
            if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return "Host '" + printable(host) + "' has no valid port";
            }
            port = Integer.parseInt(digits);
        }
        if (port != request.getLocalPort() || !ownName(normalName(name), request.getLocalAddr())) {
            return "Host '" + printable(host) + "' is not this console (it answers as " + own(request) + "); a name the operator"
                    + " gives it goes in STORPORT_CONSOLE_HOSTNAMES";
        }
        return null;
    }

    private boolean ownName(String name, String localAddress) {
        if (operatorNames.contains(name)) {
            return true;
        }
        InetAddress local = literal(localAddress);
        if (local == null) {
            return false;
        }
        if (local.isLoopbackAddress() && name.equals("localhost")) {
            return true;
        }
        InetAddress asked = literal(name);
        if (asked == null) {
            return false;
        }
        return asked.equals(local) || local.isLoopbackAddress() && asked.isLoopbackAddress();
    }

    /** The address a literal names (no name lookup ever), or null. */
    private static InetAddress literal(String s) {
        if (s == null) {
            return null;
        }
        String bare = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        boolean v4 = bare.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = bare.contains(":") && bare.matches("[0-9A-Fa-f:.]+(%[\\w.]+)?");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String own(HttpServletRequest request) {
        String address = request.getLocalAddr();
        String name = address != null && address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
        return name + ":" + request.getLocalPort();
    }

    private static String normalName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** A header's text as it may be quoted back: printable ASCII only, at most 100 characters. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 100; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
    }

    /** The Web Console's bundles page takes an LDAP filter and fails with a 500 on one that does not parse. */
    private static String invalidFilter(HttpServletRequest request) {
        String uri = request.getRequestURI();
        if (uri == null || !uri.startsWith(ConsoleSecurity.ROOT + "/bundles")) {
            return null;
        }
        String filter;
        try {
            filter = request.getParameter("filter");
        } catch (RuntimeException malformed) {
            return null; // ConsoleSecurity answers parameters that do not decode
        }
        if (filter == null || filter.isEmpty()) {
            return null;
        }
        try {
            FrameworkUtil.createFilter(filter);
            return null;
        } catch (InvalidSyntaxException e) {
            return "filter '" + printable(filter) + "' is not an LDAP filter (" + printable(String.valueOf(e.getMessage())) + ")";
        }
    }

    /** Answers with {@code status} and the reason as a JSON status, never cached. */
    static void refuse(HttpServletResponse response, int status, StorPortException reason) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json;charset=utf-8");
        byte[] body = Documents.failureJson(reason).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }
}
