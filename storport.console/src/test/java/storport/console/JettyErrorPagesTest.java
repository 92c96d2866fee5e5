package storport.console;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.util.BufferUtil;
import org.junit.Test;

public class JettyErrorPagesTest {
    @Test
    public void aRequestJettyCannotParseGetsOneLineWithTheConsolesHeaders() {
        HttpFields.Mutable fields = HttpFields.build();
        String body = BufferUtil.toString(new JettyErrorPages().badMessageError(431, "Request Header Fields Too Large", fields),
                StandardCharsets.UTF_8);
        assertEquals("431 Request Header Fields Too Large\n", body);
        assertEquals("SAMEORIGIN", fields.get("X-Frame-Options"));
        assertEquals("nosniff", fields.get("X-Content-Type-Options"));
        assertEquals(SecurityHeaders.STORPORT_POLICY, fields.get("Content-Security-Policy"));
        assertEquals("no-store", fields.get("Cache-Control"));
        assertEquals("text/plain;charset=utf-8", fields.get("Content-Type"));
    }

    @Test
    public void jettysReasonFollowsTheStatusPrintableAndShort() {
        assertEquals("400 Bad Request: Ambiguous URI empty segment\n", JettyErrorPages.line(400, "Ambiguous URI empty segment"));
        assertEquals("404 Not Found\n", JettyErrorPages.line(404, "Not Found"));
        assertEquals("414 URI Too Long\n", JettyErrorPages.line(414, null));
        assertEquals("400 Bad Request: Illegal character ?<script>?\n", JettyErrorPages.line(400, "Illegal character \u0001<script>\n"));
        assertEquals(4 + "Bad Request: ".length() + 100 + 1, JettyErrorPages.line(400, "x".repeat(5000)).length());
    }
}
