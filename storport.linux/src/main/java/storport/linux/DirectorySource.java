package storport.linux;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Reads a tree rooted at a folder: {@code /} for the live host, or an unpacked capture.
 *
 * <p>Every path stays inside the root: symlinks are followed by this class, component by component,
 * taking absolute targets relative to the root and relative ones from the link's folder, and a
 * target that climbs above the root is an error. The operating system never follows a link here
 * (no {@code toRealPath}, and files are opened with NOFOLLOW_LINKS), so a capture with a hostile
 * link cannot make it read outside the root. Nothing is ever opened for writing.
 *
 * <p>That costs an {@code lstat} per path component. A {@link #session()} (one scan or change check)
 * remembers the folders it has resolved, so a read there costs one {@code lstat} of the file and
 * its open: on a large host the scan reads tens of thousands of files in a few hundred folders.
 *
 * <p>The live root {@code /} needs none of it: no link can lead out of it, and sysfs and procfs
 * hold no FIFOs, so there (and in a {@link #trusted} root) the operating system resolves paths and
 * a read is one open. Whatever fails that way is tried again the checked way, which names the
 * missing or wrong part.
 */
public final class DirectorySource implements SysfsSource {
    /** sysfs and procfs attributes are small; anything bigger is not what we are looking for. */
    public static final int MAX_FILE_BYTES = 1 << 20;
    /** The kernel's own limit on links followed for one path (MAXSYMLINKS). */
    static final int MAX_LINKS = 40;

    private final Path root;
    /** Source folder -> the host folder it resolved to (links followed, checked); null outside a session. */
    private final Map<String, Path> folders;
    /** Whether the operating system may resolve paths here (links and all): the live root, or a tree made here. */
    private final boolean trusted;
    /** The root as a string prefix for source paths: empty for {@code /}. */
    private final String prefix;

    /** A root read the checked way, except the live root {@code /}, which is {@link #trusted}. */
    public DirectorySource(Path root) {
        this(root.toAbsolutePath().normalize(), null, isFileSystemRoot(root.toAbsolutePath().normalize()));
    }

    private DirectorySource(Path root, Map<String, Path> folders, boolean trusted) {
        this.root = root;
        this.folders = folders;
        this.trusted = trusted;
        this.prefix = isFileSystemRoot(root) ? "" : root.toString();
    }

    /**
     * A root whose paths the operating system resolves, links and all, as for the live root
     * {@code /}: only for a tree made on this machine (a generated tree), never for a capture from
     * elsewhere. Its links must stay inside it (absolute targets lead to the real {@code /}) and it
     * must hold no FIFOs or devices (reading one would block).
     */
    public static DirectorySource trusted(Path root) {
        return new DirectorySource(root.toAbsolutePath().normalize(), null, true);
    }

    private static boolean isFileSystemRoot(Path p) {
        return p.getNameCount() == 0 && p.getRoot() != null;
    }

    /**
     * A view for one pass over the tree that remembers the folders it resolved: the tree is taken
     * not to change during the pass (a link or folder replaced meanwhile may still be read through
     * its old resolution, never outside the root). Safe for concurrent use within the pass.
     */
    @Override
    public SysfsSource session() {
        return new DirectorySource(root, new ConcurrentHashMap<>(), trusted);
    }

    @Override
    public String read(String path) throws IOException {
        return text(path, open(path));
    }

    /** Streams the file: {@code /proc/interrupts} outgrows {@link #MAX_FILE_BYTES} on large hosts; a line may not. */
    @Override
    public void lines(String path, Predicate<String> more) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(open(path), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.length() > MAX_FILE_BYTES) {
                    throw new LinuxInputException(path, "a line over " + MAX_FILE_BYTES + " characters");
                }
                if (!more.test(line)) {
                    return;
                }
            }
        }
    }

    /** The file opened for reading, checked as {@link #read} promises. */
    private InputStream open(String path) throws IOException {
        if (trusted && plain(path)) {
            try {
                return new FileInputStream(prefix + path);
            } catch (IOException e) {
                // the checked way says what is wrong
            }
        }
        Entry file = resolve(path, true);
        // Only regular files: a directory is an error, and a FIFO or device in a capture would block or stream forever.
        if (!file.attributes().isRegularFile()) {
            throw new LinuxInputException(path, file.attributes().isDirectory() ? "is a directory, not a file" : "is not a regular file");
        }
        try {
            return Files.newInputStream(file.path(), LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path);
        }
    }

    /** The content of an opened file: reads until the end, closes it. */
    private static String text(String path, InputStream opened) throws IOException {
        byte[] buf = new byte[512];
        int n = 0;
        try (InputStream in = opened) {
            while (true) {
                if (n == buf.length) {
                    if (n > MAX_FILE_BYTES) {
                        throw new LinuxInputException(path, "file too large (over " + MAX_FILE_BYTES + " bytes)");
                    }
                    buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_FILE_BYTES + 1));
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        }
        // Malformed bytes become U+FFFD: the parser of the file then names the garbage.
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public List<String> list(String path) throws IOException {
        if (trusted && plain(path)) {
            try {
                return names(root.resolve(path.substring(1)));
            } catch (IOException e) {
                // the checked way says what is wrong
            }
        }
        Entry dir = resolve(path, true);
        if (!dir.attributes().isDirectory()) {
            throw new NotDirectoryException(path);
        }
        return names(dir.path());
    }

    /** The sorted names in a folder: java.io lists plain strings, without a Path per entry (a folder may hold thousands). */
    private static List<String> names(Path dir) throws IOException {
        String[] names = dir.toFile().list();
        if (names == null) {
            // not a folder or unreadable: the NIO listing says which
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                List<String> out = new ArrayList<>();
                for (Path e : entries) {
                    out.add(e.getFileName().toString());
                }
                out.sort(null);
                return out;
            }
        }
        Arrays.sort(names);
        return new ArrayList<>(Arrays.asList(names));
    }

    @Override
    public String readLink(String path) throws IOException {
        if (trusted && plain(path)) {
            try {
                return Files.readSymbolicLink(root.resolve(path.substring(1))).toString();
            } catch (IOException e) {
                // the checked way says what is wrong
            }
        }
        Entry link = resolve(path, false);
        if (!link.attributes().isSymbolicLink()) {
            throw new NotLinkException(path);
        }
        return Files.readSymbolicLink(link.path()).toString();
    }

    @Override
    public boolean exists(String path) {
        if (trusted && plain(path)) {
            return Files.exists(root.resolve(path.substring(1)), LinkOption.NOFOLLOW_LINKS);
        }
        try {
            resolve(path, false);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean isDirectory(String path) {
        if (trusted && plain(path)) {
            return Files.isDirectory(root.resolve(path.substring(1)));
        }
        try {
            return resolve(path, true).attributes().isDirectory();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String describe() {
        return root.toString();
    }

    /** A resolved path and what {@code lstat} says about it. */
    private record Entry(Path path, BasicFileAttributes attributes) {
    }

    /**
     * The host path of a source path, with every symlink on the way replaced by its target
     * (the last one too when {@code followLast}), never leaving the root. One lstat per component.
     *
     * @throws NoSuchFileException naming the source path, with the missing part as the reason
     */
    private Entry resolve(String path, boolean followLast) throws IOException {
        if (folders != null) {
            Entry known = resolveInSession(path, followLast);
            if (known != null) {
                return known;
            }
        }
        return resolveStepByStep(path, followLast);
    }

    /**
     * The fast way, in a session: the folder from the session's memory (resolved once, step by step),
     * then one lstat of the last component. Null when it does not apply (an unusual path, a link
     * to follow at the end, anything missing): the step-by-step way then answers, naming what is wrong.
     */
    private Entry resolveInSession(String path, boolean followLast) {
        int slash = path.lastIndexOf('/');
        if (slash < 0 || !plain(path)) {
            return null;
        }
        Path dir = folder(slash == 0 ? "/" : path.substring(0, slash));
        if (dir == null) {
            return null;
        }
        Path here = dir.resolve(path.substring(slash + 1));
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(here, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return attributes.isSymbolicLink() && followLast ? null : new Entry(here, attributes);
    }

    /** The host folder of a source folder in this session, resolved and remembered; null when it is not a folder. */
    private Path folder(String dir) {
        if (dir.equals("/")) {
            return root;
        }
        Path known = folders.get(dir);
        if (known != null) {
            return known;
        }
        try {
            Entry e = resolve(dir, true);
            if (!e.attributes().isDirectory()) {
                return null;
            }
            folders.put(dir, e.path());
            return e.path();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** An absolute path of plain names: no empty, {@code .} or {@code ..} component, no NUL, no trailing slash. */
    private static boolean plain(String path) {
        int n = path.length();
        if (n < 2 || path.charAt(0) != '/' || path.charAt(n - 1) == '/') {
            return false;
        }
        int start = 1;   // of the current component
        for (int i = 1; i <= n; i++) {
            char c = i < n ? path.charAt(i) : '/';
            if (c == '\0') {
                return false;
            }
            if (c == '/') {
                int len = i - start;
                if (len == 0 || (len == 1 && path.charAt(start) == '.') || (len == 2 && path.charAt(start) == '.'
                        && path.charAt(start + 1) == '.')) {
                    return false;
                }
                start = i + 1;
            }
        }
        return true;
    }

    private Entry resolveStepByStep(String path, boolean followLast) throws IOException {
        Deque<String> pending = new ArrayDeque<>(SysfsPaths.split(path));
        List<String> done = new ArrayList<>();
        int links = 0;
        BasicFileAttributes attributes = null;   // of the last component in done; null: not read yet
        while (!pending.isEmpty()) {
            String c = pending.removeFirst();
            if (c.equals("..")) {
                if (done.isEmpty()) {
                    throw new LinuxInputException(path, "leads outside the root " + root + " (through a symbolic link or ..)");
                }
                done.remove(done.size() - 1);
                attributes = null;
                continue;
            }
            done.add(c);
            Path here = hostPath(path, done);
            try {
                attributes = Files.readAttributes(here, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                // Name the missing part: for a dangling link that is its target, which says more than the path asked for.
                String missing = "/" + String.join("/", done);
                throw new NoSuchFileException(path, null, missing.equals(path) ? null : missing + " does not exist");
            }
            if (!attributes.isSymbolicLink() || (pending.isEmpty() && !followLast)) {
                continue;
            }
            if (++links > MAX_LINKS) {
                throw new LinuxInputException(path, "too many levels of symbolic links");
            }
            String target = Files.readSymbolicLink(here).toString();
            done.remove(done.size() - 1);
            if (target.startsWith("/")) {
                done.clear();
            }
            String[] parts = target.split("/");
            for (int i = parts.length - 1; i >= 0; i--) {
                if (!parts[i].isEmpty() && !parts[i].equals(".")) {
                    pending.addFirst(parts[i]);
                }
            }
            attributes = null;
        }
        Path resolved = hostPath(path, done);
        if (attributes == null) {
            // Ended on a folder reached by "..", a link to "/" or ".", or the root itself: all real directories.
            attributes = done.isEmpty() ? Files.readAttributes(root, BasicFileAttributes.class)
                    : Files.readAttributes(resolved, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        return new Entry(resolved, attributes);
    }

    private Path hostPath(String path, List<String> components) throws LinuxInputException {
        try {
            return components.isEmpty() ? root : root.resolve(String.join("/", components));
        } catch (InvalidPathException e) {
            throw new LinuxInputException(path, "not a valid path: " + e.getReason());
        }
    }
}
