package storport.capture;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import storport.linux.SysfsSource;

/**
 * A capture ({@code .tar.gz} written by {@link CaptureWriter}) read whole into memory and served
 * read-only as a {@link SysfsSource}, so it replays without unpacking. Regular files, directories
 * (listed as their sorted direct children; folders only implied by entries count too) and symbolic
 * links, which are resolved lexically inside the archive: a relative target against the link's
 * folder, an absolute one against the archive root, and a target leading out of the root with
 * {@code ..} is an error, never followed. A file without read permission (one the scan listed but
 * never read) reads as {@link AccessDeniedException}, as on the host.
 *
 * <p>Opening validates strictly and refuses, with a {@link CaptureException} naming the file:
 * anything not gzip, a truncated or corrupted stream, bad header checksums, absolute names or names
 * with {@code ..}, duplicate or conflicting entries, hard links, devices and other entry types,
 * entries over 16 MiB, over 256 MiB in all or over 200,000 entries, and an archive without a valid
 * {@value CaptureInfo#FILE_NAME}. Immutable once open, so safe for concurrent readers.
 */
public final class CaptureArchive implements SysfsSource {

    private static final char FILE = '0';
    private static final char DIR = '5';
    private static final char LINK = '2';

    /** A file (data, mode), directory (children) or symbolic link (target). */
    private static final class Node {
        final char kind;
        final byte[] data;
        final String target;
        final int mode;
        final TreeSet<String> children;
        final boolean explicit;

        Node(char kind, byte[] data, String target, int mode, boolean explicit) {
            this.kind = kind;
            this.data = data;
            this.target = target;
            this.mode = mode;
            this.children = kind == DIR ? new TreeSet<>() : null;
            this.explicit = explicit;
        }
    }

    private final Path file;
    private final Map<String, Node> nodes;
    private final CaptureInfo info;
    private final int entries;
    private final String description;

    private CaptureArchive(Path file, Map<String, Node> nodes, CaptureInfo info, int entries) {
        this.file = file;
        this.nodes = nodes;
        this.info = info;
        this.entries = entries;
        this.description = "capture " + file.getFileName() + " of host " + info.host() + " (" + info.time() + ")";
    }

    /**
     * Opens and validates a capture.
     *
     * @throws CaptureException when the file is not a valid capture (the message says why)
     * @throws IOException      when the file cannot be read at all (missing, unreadable)
     */
    public static CaptureArchive open(Path file) throws IOException {
        return open(file, Limits.DEFAULT);
    }

    static CaptureArchive open(Path file, Limits limits) throws IOException {
        String name = file.toString();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 != 0x1f || b1 != 0x8b) {
                throw new CaptureException(name + ": not a gzip file" + (b0 < 0 ? " (it is empty)" : "")
                        + "; a capture is a .tar.gz written by storport");
            }
            GZIPInputStream gunzip;
            try {
                gunzip = new GZIPInputStream(raw, 64 * 1024);
            } catch (EOFException e) {
                throw new CaptureException(name + ": truncated gzip file (it ends inside the gzip header)", e);
            } catch (ZipException e) {
                throw new CaptureException(name + ": corrupted gzip file (" + e.getMessage() + ")", e);
            }
            try {
                return read(file, new TarReader(gunzip, name, limits));
            } catch (EOFException e) {
                throw new CaptureException(name + ": truncated gzip file (the compressed data ends early)", e);
            } catch (ZipException e) {
                throw new CaptureException(name + ": corrupted gzip data (" + e.getMessage() + ")", e);
            }
        }
    }

    private static CaptureArchive read(Path file, TarReader tar) throws IOException {
        String name = file.toString();
        Map<String, Node> nodes = new HashMap<>();
        nodes.put("", new Node(DIR, null, null, 0555, true));
        int count = 0;
        for (TarReader.Entry e = tar.next(); e != null; e = tar.next()) {
            String rel = normalize(e.name(), name);
            Node node = switch (e.type()) {
                case '0', '\0' -> new Node(FILE, e.data(), null, e.mode(), true);
                case '5' -> new Node(DIR, null, null, e.mode(), true);
                case '2' -> {
                    if (e.linkName().isEmpty() || e.linkName().indexOf('\0') >= 0) {
                        throw new CaptureException(name + ": symbolic link " + e.name() + " has no valid target");
                    }
                    yield new Node(LINK, null, e.linkName(), e.mode(), true);
                }
                case '1' -> throw new CaptureException(name + ": entry " + e.name()
                        + " is a hard link; a capture holds only files, directories and symbolic links");
                case '3', '4', '6' -> throw new CaptureException(name + ": entry " + e.name() + " is a "
                        + (e.type() == '6' ? "FIFO" : "device")
                        + "; a capture holds only files, directories and symbolic links");
                default -> throw new CaptureException(name + ": entry " + e.name() + " has the unknown tar type '"
                        + printable(e.type()) + "'; a capture holds only files, directories and symbolic links");
            };
            if (rel.isEmpty()) {
                if (node.kind != DIR) {
                    throw new CaptureException(name + ": entry " + e.name() + " names the root but is not a directory");
                }
                continue;
            }
            add(nodes, rel, node, name);
            count++;
        }
        Node manifest = nodes.get(CaptureInfo.FILE_NAME);
        if (manifest == null || manifest.kind != FILE) {
            throw new CaptureException("not a storport capture: " + name + " has no " + CaptureInfo.FILE_NAME);
        }
        Properties p = new Properties();
        try {
            p.load(new ByteArrayInputStream(manifest.data));
        } catch (IllegalArgumentException e) {
            throw new CaptureException(name + ": unreadable " + CaptureInfo.FILE_NAME + " (" + e.getMessage() + ")", e);
        }
        CaptureInfo info;
        try {
            info = CaptureInfo.read(p);
        } catch (CaptureException e) {
            throw new CaptureException(name + ": " + e.getMessage(), e);
        }
        return new CaptureArchive(file, Collections.unmodifiableMap(nodes), info, count - 1);
    }

    private static void add(Map<String, Node> nodes, String rel, Node node, String name) throws CaptureException {
        String parent = "";
        int from = 0;
        while (true) {
            int slash = rel.indexOf('/', from);
            if (slash < 0) {
                break;
            }
            String folder = rel.substring(0, slash);
            Node existing = nodes.get(folder);
            if (existing == null) {
                existing = new Node(DIR, null, null, 0555, false);
                nodes.put(folder, existing);
                nodes.get(parent).children.add(folder.substring(parent.isEmpty() ? 0 : parent.length() + 1));
            } else if (existing.kind != DIR) {
                throw new CaptureException(name + ": entry " + rel + " lies inside " + folder + ", which is a "
                        + (existing.kind == LINK ? "symbolic link" : "file") + " in the capture");
            }
            parent = folder;
            from = slash + 1;
        }
        Node existing = nodes.get(rel);
        if (existing != null) {
            if (existing.explicit) {
                throw new CaptureException(name + ": duplicate entry " + rel);
            }
            if (node.kind != DIR) {
                throw new CaptureException(name + ": conflicting entries: " + rel + " is a "
                        + (node.kind == LINK ? "symbolic link" : "file") + " but other entries lie inside it");
            }
            nodes.put(rel, node);
            node.children.addAll(existing.children);
            return;
        }
        nodes.put(rel, node);
        nodes.get(parent).children.add(rel.substring(parent.isEmpty() ? 0 : parent.length() + 1));
    }

    /** A relative entry name without "." or empty components; absolute names and ".." are refused. */
    static String normalize(String entry, String name) throws CaptureException {
        if (entry.isEmpty()) {
            throw new CaptureException(name + ": an entry has an empty name");
        }
        if (entry.startsWith("/")) {
            throw new CaptureException(name + ": entry " + entry
                    + " has an absolute name; a capture holds only names relative to its root");
        }
        if (entry.indexOf('\0') >= 0) {
            throw new CaptureException(name + ": entry " + entry.replace('\0', '?') + " has a NUL in its name");
        }
        List<String> parts = new ArrayList<>();
        for (String part : entry.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new CaptureException(name + ": entry " + entry
                        + " escapes the capture with '..'; a capture holds only names inside its root");
            }
            parts.add(part);
        }
        return String.join("/", parts);
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\%03o", (int) c);
    }

    /** The manifest. */
    public CaptureInfo info() {
        return info;
    }

    /** The capture file. */
    public Path file() {
        return file;
    }

    /** How many entries (files, directories, links) the archive holds besides the manifest. */
    public int entries() {
        return entries;
    }

    @Override
    public String read(String path) throws IOException {
        Node node = node(path, true);
        if (node.kind == DIR) {
            throw new IOException(path + ": is a directory in " + describe());
        }
        if ((node.mode & 0444) == 0) {
            throw new AccessDeniedException(path, null,
                    "not readable: the host scan listed it but did not read it, so " + describe() + " has no content for it");
        }
        return new String(node.data, StandardCharsets.UTF_8);
    }

    @Override
    public List<String> list(String path) throws IOException {
        Node node = node(path, true);
        if (node.kind != DIR) {
            throw new NotDirectoryException(path + " in " + describe());
        }
        return List.copyOf(node.children);
    }

    @Override
    public String readLink(String path) throws IOException {
        Node node = node(path, false);
        if (node.kind != LINK) {
            throw new NotLinkException(path, null, "not a symbolic link in " + describe());
        }
        return node.target;
    }

    @Override
    public boolean isSymbolicLink(String path) {
        try {
            return node(path, false).kind == LINK;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a file, directory or symbolic link (even one whose target is not in the capture) is at the path. */
    @Override
    public boolean exists(String path) {
        try {
            node(path, false);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean isDirectory(String path) {
        try {
            return node(path, true).kind == DIR;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return describe();
    }

    private Node node(String path, boolean followLast) throws IOException {
        String rel = PathWalk.resolve(path, followLast, this::linkTarget, describe());
        Node node = nodes.get(rel);
        if (node == null) {
            throw new NoSuchFileException(path, null, "not in " + describe());
        }
        return node;
    }

    private String linkTarget(String rel) {
        Node node = nodes.get(rel);
        return node != null && node.kind == LINK ? node.target : null;
    }
}
