package storport.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a tar stream (POSIX ustar with PAX extended headers, or GNU tar with long-name entries)
 * strictly: every header's checksum and magic are checked, sizes are checked against the
 * {@link Limits} before anything is allocated, and a stream that ends before the end-of-archive
 * marker is truncated. Entry names and types are passed on as found; the caller judges them.
 */
final class TarReader {

    static final int BLOCK = 512;

    /** What may follow the end-of-archive marker: tar pads to whole records (10 KiB by default, at most a few MiB). */
    static final long MAX_TRAILING = 16 * Limits.MIB;

    /** A file ('0'), directory ('5'), symbolic link ('2') or any other type, for the caller to refuse. */
    record Entry(String name, char type, byte[] data, String linkName, int mode, long offset) {
    }

    private final InputStream in;
    private final String file;
    private final Limits limits;
    private long offset;
    private long total;
    private int entries;

    TarReader(InputStream in, String file, Limits limits) {
        this.in = in;
        this.file = file;
        this.limits = limits;
    }

    /** The next entry, or null after the end-of-archive marker (the rest of the stream is read and dropped). */
    Entry next() throws IOException {
        Map<String, String> pax = new HashMap<>();
        String longName = null;
        String longLink = null;
        while (true) {
            long at = offset;
            byte[] h = block();
            if (allZero(h)) {
                drain();
                return null;
            }
            checkHeader(h, at);
            char type = (char) (h[156] & 0xff);
            String name = name(h);
            long size = number(h, 124, 12, "size", at);
            switch (type) {
                case 'x', 'g', 'L', 'K' -> {
                    byte[] data = data(size, "extended header of " + name, at);
                    if (type == 'x') {
                        pax.putAll(parsePax(data, at));
                    } else if (type == 'L') {
                        longName = cString(data);
                    } else if (type == 'K') {
                        longLink = cString(data);
                    }
                    continue;
                }
                default -> {
                    // an entry
                }
            }
            if (pax.containsKey("path")) {
                name = pax.get("path");
            } else if (longName != null) {
                name = longName;
            }
            String link = pax.containsKey("linkpath") ? pax.get("linkpath")
                    : longLink != null ? longLink : field(h, 157, 100);
            if (pax.containsKey("size")) {
                try {
                    size = Long.parseLong(pax.get("size").trim());
                } catch (NumberFormatException e) {
                    throw new CaptureException(file + ": bad size " + pax.get("size") + " in the extended header at offset " + at);
                }
                if (size < 0) {
                    throw new CaptureException(file + ": bad size " + size + " in the extended header at offset " + at);
                }
            }
            if (++entries > limits.maxEntries()) {
                throw new CaptureException(file + ": too large for a capture: more than " + limits.maxEntries() + " entries");
            }
            int mode = (int) (number(h, 100, 8, "mode", at) & 07777);
            byte[] data = data(size, name, at);
            return new Entry(name, type, data, link, mode, at);
        }
    }

    /** How many bytes of entry content (and extended headers) were read. */
    long total() {
        return total;
    }

    private void checkHeader(byte[] h, long at) throws CaptureException {
        long stored;
        try {
            stored = number(h, 148, 8, "checksum", at);
        } catch (CaptureException unreadable) {
            throw badChecksum(at);
        }
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = i >= 148 && i < 156 ? ' ' : h[i];
            unsigned += b & 0xff;
            signed += b;
        }
        if (stored != unsigned && stored != signed) {
            throw badChecksum(at);
        }
        if (!(h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r')) {
            throw new CaptureException(file + ": not a tar archive (no ustar magic in the header at offset " + at + ")");
        }
    }

    private CaptureException badChecksum(long at) {
        return new CaptureException(file + ": bad tar header checksum at offset " + at + " (corrupted, or not a tar archive)");
    }

    /** The entry's name: POSIX ustar joins prefix and name; GNU tar uses that area for other things. */
    private static String name(byte[] h) {
        String name = field(h, 0, 100);
        boolean posix = h[262] == 0 && h[263] == '0' && h[264] == '0';
        if (posix && h[345] != 0) {
            return field(h, 345, 155) + "/" + name;
        }
        return name;
    }

    private static String field(byte[] h, int at, int length) {
        int end = at;
        while (end < at + length && h[end] != 0) {
            end++;
        }
        return new String(h, at, end - at, StandardCharsets.UTF_8);
    }

    /** An octal field (leading spaces, ending at NUL or space), or GNU base-256 when the high bit is set. */
    private long number(byte[] h, int at, int length, String what, long headerAt) throws CaptureException {
        if ((h[at] & 0x80) != 0) {
            if ((h[at] & 0x40) != 0) {
                throw new CaptureException(file + ": bad tar header at offset " + headerAt + ": negative " + what);
            }
            long value = h[at] & 0x3f;
            for (int i = at + 1; i < at + length; i++) {
                if (value > (Long.MAX_VALUE >> 8)) {
                    return Long.MAX_VALUE;
                }
                value = (value << 8) | (h[i] & 0xff);
            }
            return value;
        }
        int i = at;
        int end = at + length;
        while (i < end && h[i] == ' ') {
            i++;
        }
        long value = 0;
        int digits = 0;
        for (; i < end && h[i] != 0 && h[i] != ' '; i++) {
            int d = h[i] - '0';
            if (d < 0 || d > 7) {
                throw new CaptureException(file + ": bad tar header at offset " + headerAt + ": the " + what
                        + " field is not an octal number");
            }
            value = value * 8 + d;
            digits++;
        }
        if (digits == 0 && !what.equals("mode")) {
            throw new CaptureException(file + ": bad tar header at offset " + headerAt + ": empty " + what + " field");
        }
        return value;
    }

    /** An entry's content and padding, after checking its size against the limits. */
    private byte[] data(long size, String name, long at) throws IOException {
        if (size > limits.maxEntryBytes()) {
            throw new CaptureException(file + ": too large for a capture: entry " + name + " at offset " + at + " is "
                    + size + " bytes (the limit is " + Limits.size(limits.maxEntryBytes()) + " an entry)");
        }
        if (total + size > limits.maxTotalBytes()) {
            throw new CaptureException(file + ": too large for a capture: more than "
                    + Limits.size(limits.maxTotalBytes()) + " uncompressed");
        }
        total += size;
        byte[] data = new byte[(int) size];
        int n = in.readNBytes(data, 0, data.length);
        offset += n;
        if (n < data.length) {
            throw truncated("inside entry " + name);
        }
        long padding = (BLOCK - size % BLOCK) % BLOCK;
        if (padding > 0) {
            byte[] pad = new byte[(int) padding];
            int p = in.readNBytes(pad, 0, pad.length);
            offset += p;
            if (p < pad.length) {
                throw truncated("inside entry " + name);
            }
        }
        return data;
    }

    private byte[] block() throws IOException {
        byte[] h = new byte[BLOCK];
        int n = in.readNBytes(h, 0, BLOCK);
        offset += n;
        if (n == 0) {
            throw truncated("no end-of-archive marker");
        }
        if (n < BLOCK) {
            throw truncated("a header is cut short");
        }
        return h;
    }

    /** Reads what follows the end-of-archive marker (padding), so a cut or corrupted gzip stream is still noticed. */
    private void drain() throws IOException {
        byte[] buffer = new byte[8192];
        long trailing = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            trailing += n;
            if (trailing > MAX_TRAILING) {
                throw new CaptureException(file + ": too large for a capture: more than "
                        + Limits.size(MAX_TRAILING) + " after the end of the tar archive");
            }
        }
    }

    private CaptureException truncated(String where) {
        return new CaptureException(file + ": truncated tar archive (" + where + ", after " + offset + " bytes)");
    }

    private Map<String, String> parsePax(byte[] data, long at) throws CaptureException {
        Map<String, String> records = new HashMap<>();
        int pos = 0;
        while (pos < data.length) {
            int space = pos;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw badPax(at);
            }
            // length > data.length - pos, not pos + length > data.length: that sum overflows for a length near 2^31
            if (space >= data.length || length <= space - pos + 1 || length > data.length - pos
                    || data[pos + length - 1] != '\n') {
                throw badPax(at);
            }
            String record = new String(data, space + 1, pos + length - space - 2, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq <= 0) {
                throw badPax(at);
            }
            records.put(record.substring(0, eq), record.substring(eq + 1));
            pos += length;
        }
        return records;
    }

    private CaptureException badPax(long at) {
        return new CaptureException(file + ": bad PAX extended header at offset " + at);
    }

    private static String cString(byte[] data) {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, 0, end, StandardCharsets.UTF_8);
    }

    private static boolean allZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
