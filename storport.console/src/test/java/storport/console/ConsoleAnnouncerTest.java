package storport.console;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class ConsoleAnnouncerTest {

    @Test
    public void printsTheAddressOnceWhenTheRuntimeListens() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleAnnouncer a = new ConsoleAnnouncer(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        Credentials c = new Credentials(Map.of(Credentials.ENV, "pw")::get);
        c.load(null);
        a.credentials = c;
        a.bindRuntime(null, Map.of());
        a.activate();
        assertEquals("no endpoint, nothing said (one-shot runs have HTTP off)", "", bytes.toString(StandardCharsets.UTF_8));
        a.updatedRuntime(null, Map.of("osgi.http.endpoint", new String[] { "http://127.0.0.1:8181/" }));
        a.updatedRuntime(null, Map.of("osgi.http.endpoint", new String[] { "http://127.0.0.1:8181/" }));
        assertEquals("storport console: http://127.0.0.1:8181/system/console/storport (user admin)\n"
                + "storport console: password of admin from STORPORT_CONSOLE_PASSWORD\n", bytes.toString(StandardCharsets.UTF_8));
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
