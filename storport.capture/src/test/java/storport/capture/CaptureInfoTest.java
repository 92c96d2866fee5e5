package storport.capture;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;

import org.junit.Test;

public class CaptureInfoTest {

    private static final CaptureInfo INFO = new CaptureInfo("db-7", "6.1.0-18-amd64", Instant.parse("2026-03-04T05:06:07Z"),
            "0.1.0", "/", 42);

    private static Properties load(byte[] bytes) throws IOException {
        Properties p = new Properties();
        p.load(new ByteArrayInputStream(bytes));
        return p;
    }

    @Test
    public void manifestRoundTrips() throws IOException {
        String text = new String(INFO.manifestBytes(), StandardCharsets.ISO_8859_1);
        assertEquals("# storport host capture: the files a host scan read, as the host showed them\n"
                + "format=storport-capture/1\nhost=db-7\nkernel=6.1.0-18-amd64\ntime=2026-03-04T05:06:07Z\n"
                + "storport-version=0.1.0\nroot=/\nentries=42\n", text);
        assertEquals(INFO, CaptureInfo.read(load(INFO.manifestBytes())));
        assertEquals(INFO, CaptureInfo.read(INFO.toProperties()));
    }

    @Test
    public void oddValuesSurvive() throws IOException {
        CaptureInfo odd = new CaptureInfo(" host=a:b#c!\\ü\n", "", Instant.parse("2026-03-04T05:06:07.123Z"), "1",
                "capture x.tar.gz of host y (t)", 0);
        assertEquals(odd, CaptureInfo.read(load(odd.manifestBytes())));
    }

    @Test
    public void readValidates() {
        assertRefused(without("format"), "the manifest has no format");
        assertRefused(with("format", "storport-capture/2"), "unsupported capture format storport-capture/2");
        assertRefused(with("format", "zip"), "not a storport capture format: format=zip");
        for (String key : new String[] {"host", "kernel", "time", "storport-version", "root", "entries"}) {
            assertRefused(without(key), "the manifest has no " + key);
        }
        assertRefused(with("host", " "), "host is empty");
        assertRefused(with("time", "2026-13-01"), "not an ISO-8601 time: 2026-13-01");
        assertRefused(with("entries", "many"), "entries is not a number: many");
        assertRefused(with("entries", "-1"), "entries is negative");
    }

    @Test
    public void timeWithAnOffsetIsAccepted() throws CaptureException {
        assertEquals(Instant.parse("2026-03-04T04:06:07Z"), CaptureInfo.read(with("time", "2026-03-04T05:06:07+01:00")).time());
    }

    @Test
    public void ofLeavesRootAndEntriesToTheWriter() {
        CaptureInfo of = CaptureInfo.of("h", "k", Instant.EPOCH, "v");
        assertEquals("", of.root());
        assertEquals(0, of.entries());
        assertEquals(new CaptureInfo("h", "k", Instant.EPOCH, "v", "/", 3), of.withRoot("/").withEntries(3));
        assertThrows(IllegalArgumentException.class, () -> CaptureInfo.of(" ", "k", Instant.EPOCH, "v"));
        assertThrows(NullPointerException.class, () -> CaptureInfo.of("h", "k", null, "v"));
    }

    private static Properties without(String key) {
        Properties p = INFO.toProperties();
        p.remove(key);
        return p;
    }

    private static Properties with(String key, String value) {
        Properties p = INFO.toProperties();
        p.setProperty(key, value);
        return p;
    }

    private static void assertRefused(Properties p, String expected) {
        CaptureException e = assertThrows(CaptureException.class, () -> CaptureInfo.read(p));
        assertTrue(e.getMessage(), e.getMessage().contains(expected));
    }
}
