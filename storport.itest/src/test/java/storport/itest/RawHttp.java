package storport.itest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a raw socket, for what {@link java.net.http.HttpClient} cannot send: any Host header
 * and any loopback source address (the console throttles wrong logins per address).
 */
final class RawHttp {
    private RawHttp() {
    }

    /** One answer: status, headers (lower-case names, last value), body. */
    public record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** One HTTP/1.1 request from {@code from} (a loopback address), with exactly these header lines. */
    static Answer send(String from, int port, String method, String path, String body, String... headers) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(30_000);
            StringBuilder q = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                q.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                q.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ").append(content.length).append("\r\n");
            }
            q.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(q.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end < 0 ? text.length() : end).split("\r\n");
            Map<String, String> h = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    h.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
            String b = end < 0 ? "" : text.substring(end + 4);
            if ("chunked".equalsIgnoreCase(h.get("transfer-encoding"))) {
                b = unchunk(b);
            }
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), h, b);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int eol = chunked.indexOf("\r\n", i);
            int size = Integer.parseInt(chunked.substring(i, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }


    /** Header name/value pairs {@code a} followed by {@code more}. */
    static String[] with(String[] a, String... more) {
        String[] out = Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }
}
