package storport.console;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.view.Documents;

/**
 * Guards all of {@code /system/console} (every Web Console page, ours and its own): the Web
 * Console asks the highest-ranked {@link SecurityProvider} about every request. The product sets
 * the framework property {@code felix.webconsole.security.providers=storport}, so the Web Console
 * serves nothing until this provider is registered, and its built-in admin/admin login refuses
 * everyone. Disabled until {@link ServletFailureGuard} stands in front of the HTTP runtime, so the
 * Web Console is never served without it.
 *
 * <ul>
 * <li>Login: the form at {@value #LOGIN} (a session), or HTTP Basic on each request for scripts.
 * <li>Unauthenticated: 401, with the login form for pages and a JSON status for everything else.
 * <li>{@link MetricsServlet} asks it too, for {@value MetricsServlet#PATH}: the same check, a Basic challenge.
 * <li>Cross-site: 403 for any request a browser marks as coming from another site, except a
 *     plain top-level link to a page; and 403 for a state-changing request (not GET/HEAD) whose
 *     {@code Origin} or {@code Referer} is another origin. The storport endpoints also require the
 *     session's CSRF token on every POST ({@link ConsolePlugin}).
 * </ul>
 */
@Component(enabled = false, service = { SecurityProvider.class, ConsoleSecurity.class }, property = { SecurityProvider.PROPERTY_ID + "=" + ConsoleSecurity.PROVIDER_ID, Constants.SERVICE_RANKING + ":Integer=1000" })
public class ConsoleSecurity implements SecurityProvider {
    static final String PROVIDER_ID = "storport";
    static final String ROOT = "/system/console";
    static final String LOGIN = ROOT + "/login";
    static final String LOGOUT = ROOT + "/logout";
    static final String HOME = ROOT + "/storport";
    static final String USER_ATTRIBUTE = "storport.console.user";
    static final String CSRF_ATTRIBUTE = "storport.console.csrf";
    static final String REALM = "storport console";
    /** HTTP methods the console answers; anything else gets 405. */
    static final Set<String> SERVED_METHODS = Set.of("GET", "HEAD", "POST");

    @Reference
    Credentials credentials;
    /** Security events (failed and throttled logins) go to the OSGi log. */
    @Reference(service = LoggerFactory.class)
    Logger log;
    final LoginThrottle throttle = new LoginThrottle();
    /** How long a login waits for a free lane to check its password before it is told to come back. */
    static final long LANE_WAIT_MILLIS = 2000;

    /** The outcome of checking a password. */
    enum Check { GOOD, WRONG, THROTTLED, BUSY }

    @Override
    public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
        SecurityHeaders.apply(request, response);
        try {
            if (!SERVED_METHODS.contains(request.getMethod())) {
                // The pages, the Web Console's scripts and the API use no other method; others would reach servlet
                // defaults never meant to be served (TRACE echoes credentials and cookies, OPTIONS breaks Web Console pages).
                response.setHeader("Allow", "GET, HEAD, POST");
                deny(request, response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, request.getMethod() + " is not served; use GET or POST");
                return null;
            }
            String refusal = crossSite(request);
            if (refusal != null) {
                deny(request, response, HttpServletResponse.SC_FORBIDDEN, refusal);
                return null;
            }
            if (!parametersReadable(request)) {
                malformed(response);
                return null;
            }
            if (LOGIN.equals(request.getRequestURI())) {
                login(request, response);
                return null;
            }
            if (LOGOUT.equals(request.getRequestURI())) {
                logoutRequest(request, response);
                return null;
            }
            String user = sessionUser(request);
            if (user != null) {
                return user;
            }
            String[] basic = basicCredentials(request);
            if (basic != null) {
                Check check = check(request, basic[0], basic[1], true);
                if (check == Check.GOOD) {
                    return basic[0];
                }
                if (check != Check.WRONG) {
                    throttled(request, response, check);
                    return null;
                }
            }
            deny(request, response, HttpServletResponse.SC_UNAUTHORIZED, "log in first");
        } catch (IOException e) {
            // the client went away; nothing to answer
        }
        return null;
    }

    @Override
    public boolean authorize(Object user, String role) {
        return Credentials.USER.equals(user);
    }

    /**
     * Not reached: {@link #authenticate} answers {@value #LOGOUT} itself, so that only a POST with the
     * session's CSRF token ends a session (a cross-site link must not). Kept for the interface.
     */
    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        try {
            deny(request, response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "log out with a POST that carries the session's CSRF token");
        } catch (IOException e) {
            // the client went away
        }
    }

    /**
     * {@value #LOGOUT}: GET shows a page whose button POSTs the session's token; a POST with the token
     * ends the session and goes to the login page; anything else is refused and changes nothing.
     */
    private void logoutRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean post = "POST".equalsIgnoreCase(request.getMethod());
        String user = sessionUser(request);
        if (user == null) {
            deny(request, response, HttpServletResponse.SC_UNAUTHORIZED, "log in first");
            return;
        }
        if (!post) {
            logoutPage(response, csrfToken(request.getSession(false)));
            return;
        }
        if (!validToken(request)) {
            deny(request, response, HttpServletResponse.SC_FORBIDDEN, "log out with the session's CSRF token (the logout page's button sends it)");
            return;
        }
        try {
            request.getSession(false).invalidate();
        } catch (IllegalStateException | NullPointerException alreadyGone) {
            // ended meanwhile: the outcome is the same
        }
        redirect(response, LOGIN);
    }

    /**
     * Whether a state-changing request carries the session's CSRF token: in the {@value ConsolePlugin#CSRF_HEADER}
     * header or a {@code csrf} field of the form body, never in the URL (which ends up in logs and Referer headers).
     */
    static boolean validToken(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        Object expected;
        try {
            expected = session == null ? null : session.getAttribute(CSRF_ATTRIBUTE);
        } catch (IllegalStateException invalidated) {
            return false;
        }
        String given = request.getHeader(ConsolePlugin.CSRF_HEADER);
        if (given == null && !inQuery(request.getQueryString(), "csrf")) {
            given = request.getParameter("csrf");
        }
        return expected instanceof String e && given != null
                && MessageDigest.isEqual(e.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the raw query string names the parameter (any encoding of its name counts). */
    static boolean inQuery(String query, String name) {
        if (query == null) {
            return false;
        }
        for (String pair : query.split("&")) {
            String key = pair.split("=", 2)[0];
            String decoded;
            try {
                decoded = java.net.URLDecoder.decode(key, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                decoded = key;
            }
            if (decoded.trim().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the query and form parameters decode. The container decodes them all at the first
     * getParameter and throws on malformed URL encoding (bytes that are not UTF-8); thrown from a
     * servlet, that would reach the client as the container's error page with a stack trace.
     */
    static boolean parametersReadable(HttpServletRequest request) {
        try {
            request.getParameter("target");
            return true;
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    /** 400 with the reason, for a request whose parameters do not decode. */
    private static void malformed(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json;charset=utf-8");
        byte[] body = Documents.failureJson(StorPortException.invalidParameter(
                "the request's parameters are not valid URL-encoded UTF-8")).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    /** The session's CSRF token, made on first use; null without a session. */
    static String csrfToken(HttpSession session) {
        if (session == null) {
            return null;
        }
        synchronized (session) {
            Object token = session.getAttribute(CSRF_ATTRIBUTE);
            if (token == null) {
                byte[] bytes = new byte[32];
                new SecureRandom().nextBytes(bytes);
                token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                session.setAttribute(CSRF_ATTRIBUTE, token);
            }
            return (String) token;
        }
    }

    /**
     * Why a request counts as cross-site, or null. Browsers send {@code Sec-Fetch-Site} and, on
     * state-changing requests, {@code Origin}; clients without them (curl, scripts) are not browsers
     * another site could drive.
     */
    static String crossSite(HttpServletRequest request) {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        boolean safe = method.equals("GET") || method.equals("HEAD");
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            boolean topLevelLink = safe && "navigate".equals(request.getHeader("Sec-Fetch-Mode"))
                    && "document".equals(request.getHeader("Sec-Fetch-Dest"));
            if (!topLevelLink) {
                return "cross-site request refused (Sec-Fetch-Site: " + site + ")";
            }
        }
        if (safe) {
            return null;
        }
        String self = ownOrigin(request);
        String origin = request.getHeader("Origin");
        if (origin != null) {
            return origin.equalsIgnoreCase(self) ? null : "cross-site request refused (Origin " + origin + " is not " + self + ")";
        }
        String referer = request.getHeader("Referer");
        if (referer != null && !referer.isEmpty()) {
            String from = originOf(referer);
            return self.equalsIgnoreCase(from) ? null : "cross-site request refused (Referer from " + from + ", not " + self + ")";
        }
        return null;
    }

    /** {@code http://host:port} as the client addressed this server. */
    static String ownOrigin(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (host == null || host.isBlank()) {
            host = request.getServerName() + ":" + request.getServerPort();
        }
        return request.getScheme().toLowerCase(Locale.ROOT) + "://" + host.trim();
    }

    private static String originOf(String url) {
        try {
            URI u = new URI(url);
            if (u.getScheme() == null || u.getRawAuthority() == null) {
                return "null";
            }
            return u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getRawAuthority();
        } catch (URISyntaxException e) {
            return "null";
        }
    }

    private static String sessionUser(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return null;
        }
        try {
            Object user = session.getAttribute(USER_ATTRIBUTE);
            return user instanceof String s ? s : null;
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }

    /** The user and password of an HTTP Basic header, or null. */
    private static String[] basicCredentials(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] { decoded.substring(0, colon), decoded.substring(colon + 1) };
    }

    /**
     * Checks a password through the {@link LoginThrottle}: for HTTP Basic, which sends it with every
     * request, a password that logged in lately is known without hashing; otherwise the client's address
     * must not be in its back-off, and the check waits for a lane. Wrong and throttled attempts are
     * logged as security events.
     */
    Check check(HttpServletRequest request, String user, String password, boolean basic) {
        if (basic && credentials.remembered(user, password)) {
            return Check.GOOD;
        }
        String address = String.valueOf(request.getRemoteAddr());
        if (throttle.retryAfterSeconds(address) > 0) {
            throttle.heldBack(address);
            request.setAttribute(RETRY_AFTER, throttle.retryAfterSeconds(address));
            return Check.THROTTLED;
        }
        boolean good;
        try (LoginThrottle.Permit permit = throttle.enter(address, LANE_WAIT_MILLIS)) {
            if (permit == null) {
                throttle.contended(address);
                request.setAttribute(RETRY_AFTER, 1L);
                int unlogged = throttle.report(address, "busy");
                if (unlogged >= 0) {
                    log.warn("storport console: login from {} refused: another check of its passwords is running or every lane is busy{}", address,
                            unlogged > 0 ? " (" + unlogged + " refusals of it not logged since its last entry)" : "");
                }
                return Check.BUSY;
            }
            good = credentials.verify(user, password);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.BUSY;
        }
        if (good) {
            throttle.succeeded(address);
            return Check.GOOD;
        }
        long backoff = throttle.failed(address, user);
        log.warn("storport console: wrong password for user '{}' from {} ({} wrong for this user in the last {} s{})", RequestGuard.printable(
                String.valueOf(user)), address, throttle.accountFailures(String.valueOf(user)), LoginThrottle.WINDOW_SECONDS,
                backoff > 0 ? "; the address waits " + backoff + " s" : "");
        return Check.WRONG;
    }

    static final String RETRY_AFTER = "storport.console.retryAfter";

    /**
     * Answers held back a moment (while a slot is free), so a client that guesses in a loop sends a few
     * requests a second instead of thousands: its refusals cost the server no CPU either.
     */
    private final java.util.concurrent.Semaphore tarpit = new java.util.concurrent.Semaphore(32);
    static final long TARPIT_MILLIS = 250;

    /** 429 (back-off) or 503 (no lane): Retry-After, the login form for a page, JSON otherwise. */
    private void throttled(HttpServletRequest request, HttpServletResponse response, Check check) throws IOException {
        long seconds = request.getAttribute(RETRY_AFTER) instanceof Long l ? l : 1;
        if (tarpit.tryAcquire()) {
            try {
                Thread.sleep(Math.min(TARPIT_MILLIS, seconds * 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                tarpit.release();
            }
        }
        String reason = check == Check.THROTTLED
                ? "too many wrong passwords from this address: try again in " + seconds + " s"
                : "the console is checking other logins: try again in " + seconds + " s";
        int unlogged = check == Check.THROTTLED ? throttle.report(String.valueOf(request.getRemoteAddr()), "held back") : -1;
        if (unlogged >= 0) {
            log.warn("storport console: login from {} held back {} s after repeated wrong passwords{}", request.getRemoteAddr(), seconds,
                    unlogged > 0 ? " (" + unlogged + " refusals of it not logged since its last entry)" : "");
        }
        response.setHeader("Retry-After", String.valueOf(seconds));
        response.setHeader("Cache-Control", "no-store");
        int status = check == Check.THROTTLED ? 429 : HttpServletResponse.SC_SERVICE_UNAVAILABLE;
        if (LOGIN.equals(request.getRequestURI())) {
            loginPage(response, status, target(request.getParameter("target")), reason);
            return;
        }
        response.setStatus(status);
        response.setContentType("application/json;charset=utf-8");
        byte[] body = Documents.failureJson(new StorPortException(StorStatus.BUSY, reason)).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    /** {@code POST /system/console/login}: on success a new session and a redirect to the page asked for. */
    private void login(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"POST".equalsIgnoreCase(request.getMethod())) {
            if (sessionUser(request) != null) {
                redirect(response, target(request.getParameter("target")));
            } else {
                loginPage(response, HttpServletResponse.SC_UNAUTHORIZED, target(request.getParameter("target")), null);
            }
            return;
        }
        String user = request.getParameter("username");
        String password = request.getParameter("password");
        String target = target(request.getParameter("target"));
        Check check = user == null || password == null ? Check.WRONG : check(request, user, password, false);
        if (check == Check.THROTTLED || check == Check.BUSY) {
            throttled(request, response, check);
            return;
        }
        if (check == Check.WRONG) {
            loginPage(response, HttpServletResponse.SC_UNAUTHORIZED, target, "Wrong user or password.");
            return;
        }
        HttpSession old = request.getSession(false);
        if (old != null) {
            try {
                old.invalidate();
            } catch (IllegalStateException alreadyInvalid) {
                // fine
            }
        }
        HttpSession session = request.getSession(true);
        session.setAttribute(USER_ATTRIBUTE, user);
        csrfToken(session);
        redirect(response, target);
    }

    /** Where to go after logging in: a console path, never another site. */
    static String target(String asked) {
        if (asked == null || !asked.startsWith(ROOT + "/") || asked.startsWith(LOGIN) || asked.contains("//") || asked.contains("\\")
                || asked.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            return HOME;
        }
        return asked;
    }

    private static void redirect(HttpServletResponse response, String target) throws IOException {
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", target);
        response.setContentLength(0);
        response.flushBuffer();
    }

    /** 401, 403 or 405: the login form for a page (401), a JSON status for anything else. */
    private void deny(HttpServletRequest request, HttpServletResponse response, int status, String reason) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        if (status == HttpServletResponse.SC_UNAUTHORIZED) {
            // the console's pages log in with the form; /metrics is for scrapers, which send HTTP Basic
            response.setHeader("WWW-Authenticate", underConsole(request) ? "Form realm=\"" + REALM + "\", action=\"" + LOGIN + "\""
                    : "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        }
        if (status == HttpServletResponse.SC_UNAUTHORIZED && wantsPage(request)) {
            String query = request.getQueryString();
            loginPage(response, status, target(request.getRequestURI() + (query == null ? "" : "?" + query)), null);
            return;
        }
        response.setStatus(status);
        if (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null) {
            // the refused request's body is left unread, so Jetty drops the connection after answering: say so, or a
            // client that keeps connections sends its next request into the closing one (seen: "received no bytes")
            response.setHeader("Connection", "close");
        }
        response.setContentType("application/json;charset=utf-8");
        byte[] body = Documents.failureJson(new StorPortException(status == HttpServletResponse.SC_METHOD_NOT_ALLOWED ? StorStatus.INVALID_DEVICE_REQUEST
                : StorStatus.ACCESS_DENIED, reason)).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    /** A browser asking for a page: a GET for HTML outside the JSON API and the static resources. */
    private static boolean wantsPage(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String accept = request.getHeader("Accept");
        return "GET".equalsIgnoreCase(request.getMethod()) && accept != null && accept.contains("text/html") && underConsole(request)
                && !uri.startsWith(HOME + "/api/") && !uri.contains("/res/");
    }

    /** A request for the Web Console (its pages, ours, the login), not for {@link MetricsServlet}'s {@value MetricsServlet#PATH}. */
    private static boolean underConsole(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return uri != null && (uri.equals(ROOT) || uri.startsWith(ROOT + "/"));
    }

    private static void loginPage(HttpServletResponse response, int status, String target, String error) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/html;charset=utf-8");
        PrintWriter w = response.getWriter();
        w.print("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>storport console: log in</title>"
                + "<meta name='viewport' content='width=device-width, initial-scale=1'>"
                + "<style>body{font:15px system-ui,sans-serif;background:#f3f4f6;color:#111;margin:0}"
                + "main{max-width:22em;margin:12vh auto;background:#fff;padding:1.6em 2em;border-radius:8px;box-shadow:0 1px 4px #0002}"
                + "h1{font-size:1.25em;margin:0 0 1em}label{display:block;margin:.7em 0 .2em}"
                + "input{width:100%;box-sizing:border-box;padding:.45em;font:inherit}"
                + "button{margin-top:1.2em;padding:.5em 1.4em;font:inherit;cursor:pointer}"
                + ".error{color:#b00020;margin:.5em 0}.hint{color:#555;font-size:.85em;margin-top:1.2em}</style></head><body>"
                + "<main><h1>storport console</h1>");
        if (error != null) {
            w.print("<p id='login-error' class='error'>" + html(error) + "</p>");
        }
        w.print("<form id='storport-login' method='post' action='" + LOGIN + "'>"
                + "<input type='hidden' name='target' value='" + html(target) + "'>"
                + "<label for='username'>User</label><input id='username' name='username' value='" + Credentials.USER
                + "' autocomplete='username'>"
                + "<label for='password'>Password</label><input id='password' name='password' type='password'"
                + " autocomplete='current-password' autofocus>"
                + "<button id='login-submit' type='submit'>Log in</button></form>"
                + "<p class='hint'>The password is the one printed when storport first started the console, or "
                + Credentials.ENV + ".</p></main></body></html>\n");
        w.flush();
        response.flushBuffer();
    }

    private static void logoutPage(HttpServletResponse response, String token) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/html;charset=utf-8");
        PrintWriter w = response.getWriter();
        w.print("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>storport console: log out</title></head><body>"
                + "<main><h1>storport console</h1><form id='storport-logout' method='post' action='" + LOGOUT + "'>"
                + "<input type='hidden' name='csrf' value='" + html(token) + "'>"
                + "<button id='logout-submit' type='submit'>Log out</button></form></main></body></html>\n");
        w.flush();
        response.flushBuffer();
    }

    static String html(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
