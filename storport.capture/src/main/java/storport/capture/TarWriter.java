package storport.capture;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a POSIX ustar stream: a name that does not fit the 100-byte name field (or the 155-byte
 * prefix plus name), a link target over 100 bytes, and non-ASCII names go into a PAX extended
 * header ('x') ahead of the entry. Owner 0:0, no user or group names. Ends with two zero blocks,
 * padded to whole 10 KiB records like tar does.
 */
final class TarWriter {

    static final int BLOCK = 512;
    private static final int RECORD = 20 * BLOCK;

    private final OutputStream out;
    private long written;

    TarWriter(OutputStream out) {
        this.out = out;
    }

    void file(String name, byte[] data, int mode, long mtime) throws IOException {
        entry(name, '0', data, "", mode, mtime);
    }

    void directory(String name, int mode, long mtime) throws IOException {
        entry(name.endsWith("/") ? name : name + "/", '5', new byte[0], "", mode, mtime);
    }

    void symlink(String name, String target, int mode, long mtime) throws IOException {
        entry(name, '2', new byte[0], target, mode, mtime);
    }

    /** The end-of-archive marker and the padding to a whole record. */
    void finish() throws IOException {
        write(new byte[2 * BLOCK]);
        long rest = (RECORD - written % RECORD) % RECORD;
        write(new byte[(int) rest]);
        out.flush();
    }

    private void entry(String name, char type, byte[] data, String link, int mode, long mtime) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
        int split = splitAt(nameBytes);
        boolean paxPath = split < 0 || !ascii(nameBytes);
        boolean paxLink = linkBytes.length > 100 || !ascii(linkBytes);
        if (paxPath || paxLink) {
            StringBuilder records = new StringBuilder();
            if (paxPath) {
                records.append(paxRecord("path", name));
            }
            if (paxLink) {
                records.append(paxRecord("linkpath", link));
            }
            byte[] pax = records.toString().getBytes(StandardCharsets.UTF_8);
            write(header(paxName(name), "", 'x', pax.length, "", 0644, mtime));
            writePadded(pax);
        }
        String prefix = "";
        String shortName;
        if (paxPath) {
            shortName = truncate(nameBytes, 100);
        } else if (split == 0) {
            shortName = name;
        } else {
            prefix = new String(nameBytes, 0, split, StandardCharsets.US_ASCII);
            shortName = new String(nameBytes, split + 1, nameBytes.length - split - 1, StandardCharsets.US_ASCII);
        }
        String shortLink = paxLink ? truncate(linkBytes, 100) : link;
        write(header(shortName, prefix, type, data.length, shortLink, mode, mtime));
        writePadded(data);
    }

    /**
     * Where to split a name into prefix '/' name: 0 when it fits the name field whole, the index
     * of the '/' otherwise, -1 when it does not fit ustar at all.
     */
    private static int splitAt(byte[] name) {
        if (name.length <= 100) {
            return 0;
        }
        for (int i = 1; i < name.length - 1; i++) {
            if (name[i] == '/' && i <= 155 && name.length - i - 1 <= 100) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] header(String name, String prefix, char type, long size, String link, int mode, long mtime) {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name);
        octal(h, 100, 8, mode & 07777);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        h[156] = (byte) type;
        put(h, 157, 100, link);
        put(h, 257, 6, "ustar\0");
        put(h, 263, 2, "00");
        octal(h, 329, 8, 0);
        octal(h, 337, 8, 0);
        put(h, 345, 155, prefix);
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String chk = String.format("%06o", sum);
        put(h, 148, 6, chk);
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int at, int length, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, h, at, Math.min(bytes.length, length));
    }

    /** length-1 octal digits and a NUL. */
    private static void octal(byte[] h, int at, int length, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > length - 1) {
            throw new IllegalArgumentException("does not fit a " + length + "-byte tar field: " + value);
        }
        String padded = "0".repeat(length - 1 - digits.length()) + digits;
        put(h, at, length - 1, padded);
        h[at + length - 1] = 0;
    }

    /** A PAX record "<length> key=value\n", the length counting itself. */
    static String paxRecord(String key, String value) {
        int body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
        int length = body + 1;
        while (length != body + Integer.toString(length).length()) {
            length = body + Integer.toString(length).length();
        }
        return length + " " + key + "=" + value + "\n";
    }

    /** The extended header's own (informational) name: PaxHeaders/ and the entry's last component, shortened. */
    private static String paxName(String name) {
        String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        String last = n.substring(n.lastIndexOf('/') + 1);
        StringBuilder ascii = new StringBuilder();
        for (int i = 0; i < last.length() && ascii.length() < 88; i++) {
            char c = last.charAt(i);
            ascii.append(c >= 0x20 && c < 0x7f ? c : '_');
        }
        return "PaxHeaders/" + ascii;
    }

    private static String truncate(byte[] bytes, int max) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < bytes.length && b.length() < max; i++) {
            int c = bytes[i] & 0xff;
            b.append(c >= 0x20 && c < 0x7f ? (char) c : '_');
        }
        return b.toString();
    }

    private static boolean ascii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0x20 || b == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private void writePadded(byte[] data) throws IOException {
        write(data);
        int rest = (BLOCK - data.length % BLOCK) % BLOCK;
        write(new byte[rest]);
    }

    private void write(byte[] bytes) throws IOException {
        out.write(bytes);
        written += bytes.length;
    }
}
