package storport.console;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.dto.RequestInfoDTO;
import org.osgi.service.servlet.runtime.dto.RuntimeDTO;
import org.osgi.service.servlet.runtime.dto.ServletContextDTO;
import org.osgi.service.servlet.runtime.dto.ServletDTO;

public class ConsoleAnnouncerTest {
    private static final Map<String, Object> LISTENING = Map.of("osgi.http.endpoint", new String[] { "http://127.0.0.1:8181/" });
    private static final String PRINTED = "storport console: http://127.0.0.1:8181/system/console/storport (user admin)\n"
            + "storport console: password of admin from STORPORT_CONSOLE_PASSWORD\n";

    /** A runtime serving the servlets with these service ids. */
    private static final class Runtime implements HttpServiceRuntime {
        volatile long[] served = {};

        @Override
        public RuntimeDTO getRuntimeDTO() {
            ServletContextDTO context = new ServletContextDTO();
            context.servletDTOs = new ServletDTO[served.length];
            for (int i = 0; i < served.length; i++) {
                context.servletDTOs[i] = new ServletDTO();
                context.servletDTOs[i].serviceId = served[i];
            }
            RuntimeDTO dto = new RuntimeDTO();
            dto.servletContextDTOs = new ServletContextDTO[] { context };
            return dto;
        }

        @Override
        public RequestInfoDTO calculateRequestInfoDTO(String path) {
            throw new UnsupportedOperationException();
        }
    }

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ConsoleAnnouncer announcer = new ConsoleAnnouncer(new PrintStream(bytes, true, StandardCharsets.UTF_8), Runnable::run);
    private final Runtime runtime = new Runtime();

    {
        Credentials c = new Credentials(Map.of(Credentials.ENV, "pw")::get);
        c.load(null);
        announcer.credentials = c;
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void printsTheAddressOnceTheRuntimeServesTheConfiguredWebConsole() {
        announcer.bindRuntime(runtime, Map.of());
        announcer.activate();
        assertEquals("no endpoint, nothing said (one-shot runs have HTTP off)", "", printed());
        announcer.updatedRuntime(runtime, LISTENING);
        assertEquals("listening, but the Web Console's servlet is not registered yet", "", printed());
        announcer.bindWebConsole(null, Map.of(Constants.SERVICE_ID, 42L));
        assertEquals("registered, but the runtime does not serve it yet", "", printed());
        runtime.served = new long[] { 7, 42 };
        announcer.updatedRuntime(runtime, LISTENING);
        assertEquals(PRINTED, printed());
        announcer.updatedRuntime(runtime, LISTENING);
        announcer.bindWebConsole(null, Map.of(Constants.SERVICE_ID, 43L));
        assertEquals("once", PRINTED, printed());
    }

    @Test
    public void aServletThatWentAwayDoesNotCount() {
        announcer.activate();
        runtime.served = new long[] { 42 };
        announcer.bindWebConsole(null, Map.of(Constants.SERVICE_ID, 41L));
        announcer.unbindWebConsole(null, Map.of(Constants.SERVICE_ID, 41L));
        announcer.bindRuntime(runtime, LISTENING);
        assertEquals("", printed());
        announcer.bindWebConsole(null, Map.of(Constants.SERVICE_ID, 42L));
        assertEquals(PRINTED, printed());
    }

    @Test
    public void nothingAfterDeactivation() {
        announcer.activate();
        announcer.deactivate();
        runtime.served = new long[] { 42 };
        announcer.bindRuntime(runtime, LISTENING);
        announcer.bindWebConsole(null, Map.of(Constants.SERVICE_ID, 42L));
        announcer.announceIfServed();
        assertEquals("", printed());
    }

    /** The filter matches the Web Console's servlet only with a password of its own, as WebConsoleLockdown leaves it. */
    @Test
    public void theConfiguredWebConsoleFilter() throws Exception {
        var filter = FrameworkUtil.createFilter(ConsoleAnnouncer.CONFIGURED_WEB_CONSOLE);
        assertTrue(filter.matches(Map.of("osgi.http.whiteboard.servlet.pattern", "/", "password", WebConsoleLockdown.unusablePassword())));
        assertEquals(false, filter.matches(Map.of("osgi.http.whiteboard.servlet.pattern", "/", "password", WebConsoleLockdown.WELL_KNOWN)));
        assertEquals(false, filter.matches(Map.of("osgi.http.whiteboard.servlet.pattern", "/", "password", "admin")));
        assertEquals(false, filter.matches(Map.of("osgi.http.whiteboard.servlet.pattern", "/")));
        assertEquals("not the storport page or other servlets", false,
                filter.matches(Map.of("felix.webconsole.label", "storport", "password", "x")));
    }

    @Test
    public void endpointsOfEveryShape() {
        assertEquals(List.of("http://10.0.0.1:80/system/console/storport"), ConsoleAnnouncer.urls("http://10.0.0.1:80/"));
        assertEquals(List.of("http://a:1/system/console/storport", "http://b:1/system/console/storport"),
                ConsoleAnnouncer.urls(List.of("http://a:1/", "http://b:1")));
        assertEquals(List.of(), ConsoleAnnouncer.urls(null));
        assertEquals(List.of(), ConsoleAnnouncer.urls(new String[0]));
    }
}
