package storport.capture;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Properties;

/**
 * The manifest of a capture, {@value #FILE_NAME} at the top of the archive:
 * {@code format}, {@code host}, {@code kernel}, {@code time} (ISO-8601), {@code storport-version},
 * {@code root} (what was captured, {@link storport.linux.SysfsSource#describe()}) and
 * {@code entries} (how many files, directories and links the archive holds besides the manifest).
 *
 * <p>A writer passes host, kernel, time and version ({@link #of}); {@link CaptureWriter} fills in
 * root and entries.
 */
public record CaptureInfo(String host, String kernel, Instant time, String storportVersion, String root, int entries) {

    /** The only format this version reads and writes. */
    public static final String FORMAT = "storport-capture/1";

    /** The manifest's name, at the top of the archive. */
    public static final String FILE_NAME = "storport-capture.properties";

    static final String FORMAT_FAMILY = "storport-capture/";

    public CaptureInfo {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(storportVersion, "storportVersion");
        Objects.requireNonNull(root, "root");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (storportVersion.isBlank()) {
            throw new IllegalArgumentException("storport-version is empty");
        }
        if (entries < 0) {
            throw new IllegalArgumentException("entries is negative: " + entries);
        }
    }

    /** What a writer knows before the capture: root and entries are filled in when it is written. */
    public static CaptureInfo of(String host, String kernel, Instant time, String storportVersion) {
        return new CaptureInfo(host, kernel, time, storportVersion, "", 0);
    }

    public CaptureInfo withRoot(String newRoot) {
        return new CaptureInfo(host, kernel, time, storportVersion, newRoot, entries);
    }

    public CaptureInfo withEntries(int newEntries) {
        return new CaptureInfo(host, kernel, time, storportVersion, root, newEntries);
    }

    /** The manifest as properties (every key, format included). */
    public Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("host", host);
        p.setProperty("kernel", kernel);
        p.setProperty("time", time.toString());
        p.setProperty("storport-version", storportVersion);
        p.setProperty("root", root);
        p.setProperty("entries", Integer.toString(entries));
        return p;
    }

    /**
     * Reads and validates a manifest: the format must be exactly {@value #FORMAT}; host,
     * kernel, time, storport-version, root and entries must be present and well-formed. Unknown
     * keys are ignored.
     *
     * @throws CaptureException saying which key is missing or wrong (the caller adds the file)
     */
    public static CaptureInfo read(Properties p) throws CaptureException {
        String format = p.getProperty("format");
        if (format == null) {
            throw new CaptureException("the manifest has no format (expected format=" + FORMAT + ")");
        }
        if (!format.equals(FORMAT)) {
            if (format.startsWith(FORMAT_FAMILY)) {
                throw new CaptureException("unsupported capture format " + format + ": this storport reads " + FORMAT
                        + " only (captured by a different storport version?)");
            }
            throw new CaptureException("not a storport capture format: format=" + format + " (expected " + FORMAT + ")");
        }
        String host = required(p, "host");
        if (host.isBlank()) {
            throw new CaptureException("the manifest's host is empty");
        }
        String kernel = required(p, "kernel");
        Instant time = parseTime(required(p, "time"));
        String version = required(p, "storport-version");
        if (version.isBlank()) {
            throw new CaptureException("the manifest's storport-version is empty");
        }
        String root = required(p, "root");
        String entriesText = required(p, "entries").trim();
        int entries;
        try {
            entries = Integer.parseInt(entriesText);
        } catch (NumberFormatException e) {
            throw new CaptureException("the manifest's entries is not a number: " + entriesText);
        }
        if (entries < 0) {
            throw new CaptureException("the manifest's entries is negative: " + entries);
        }
        return new CaptureInfo(host, kernel, time, version, root, entries);
    }

    /** The manifest file's bytes: fixed key order, no date comment, so equal infos give equal bytes. */
    byte[] manifestBytes() {
        StringBuilder b = new StringBuilder("# storport host capture: the files a host scan read, as the host showed them\n");
        line(b, "format", FORMAT);
        line(b, "host", host);
        line(b, "kernel", kernel);
        line(b, "time", time.toString());
        line(b, "storport-version", storportVersion);
        line(b, "root", root);
        line(b, "entries", Integer.toString(entries));
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append(key).append('=');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\f' -> b.append("\\f");
                case ' ' -> b.append(i == 0 ? "\\ " : " ");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('\n');
    }

    private static String required(Properties p, String key) throws CaptureException {
        String value = p.getProperty(key);
        if (value == null) {
            throw new CaptureException("the manifest has no " + key);
        }
        return value;
    }

    private static Instant parseTime(String text) throws CaptureException {
        String t = text.trim();
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return OffsetDateTime.parse(t).toInstant();
            } catch (DateTimeParseException e) {
                throw new CaptureException("the manifest's time is not an ISO-8601 time: " + text);
            }
        }
    }
}
