package storport.console;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.Test;

public class JettyErrorPagesTest {
    /**
     * A real Jetty 12 server with the pages as its error handler: what it cannot parse (a header name
     * with spaces, 20 kB of headers) and what a handler answers with an error status get one line of
     * text with the console's headers, never Jetty's HTML page.
     */
    @Test
    public void jettysOwnAnswersAreOneLineWithTheConsolesHeaders() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setErrorHandler(new JettyErrorPages());
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Response.writeError(request, response, callback, 404);
                return true;
            }
        });
        server.start();
        try {
            int port = connector.getLocalPort();
            assertAnswer(port, "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "404 Not Found\n");
            assertAnswer(port, "GET / HTTP/1.1\r\nHost: x\r\nBad Header Name: x\r\nConnection: close\r\n\r\n", "400 Bad Request");
            assertAnswer(port, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n",
                    "431 Request Header Fields Too Large\n");
        } finally {
            server.stop();
        }
    }

    private static void assertAnswer(int port, String request, String bodyStart) throws Exception {
        String answer;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        String head = answer.substring(0, answer.indexOf("\r\n\r\n"));
        String body = answer.substring(head.length() + 4);
        assertTrue(answer, body.startsWith(bodyStart));
        assertFalse(answer, body.contains("<") || body.contains("org.eclipse"));
        for (Map.Entry<String, String> h : SecurityHeaders.ERROR_PAGE.entrySet()) {
            assertTrue(h + " in " + head, head.contains("\r\n" + h.getKey() + ": " + h.getValue()));
        }
        assertTrue(head, head.contains("\r\nContent-Type: text/plain;charset=utf-8"));
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
