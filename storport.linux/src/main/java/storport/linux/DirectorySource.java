package storport.linux;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.Deque;
import java.util.List;

/**
 * Reads a tree rooted at a folder: {@code /} for the live host, or an unpacked capture.
 *
 * <p>Every path stays inside the root: symlinks are followed by this class, component by component,
 * taking absolute targets relative to the root and relative ones from the link's folder, and a
 * target that climbs above the root is an error. The operating system never follows a link here
 * (no {@code toRealPath}, and files are opened with NOFOLLOW_LINKS), so a capture with a hostile
 * link cannot make it read outside the root. Nothing is ever opened for writing.
 */
public final class DirectorySource implements SysfsSource {
    /** sysfs and procfs attributes are small; anything bigger is not what we are looking for. */
    public static final int MAX_FILE_BYTES = 1 << 20;
    /** The kernel's own limit on links followed for one path (MAXSYMLINKS). */
    static final int MAX_LINKS = 40;

    private final Path root;

    public DirectorySource(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String read(String path) throws IOException {
        Entry file = resolve(path, true);
        // Only regular files: a directory is an error, and a FIFO or device in a capture would block or stream forever.
        if (!file.attributes().isRegularFile()) {
            throw new LinuxInputException(path, file.attributes().isDirectory() ? "is a directory, not a file" : "is not a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file.path(), LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new LinuxInputException(path, "file too large (over " + MAX_FILE_BYTES + " bytes)");
        }
        // Malformed bytes become U+FFFD: the parser of the file then names the garbage.
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public List<String> list(String path) throws IOException {
        Entry dir = resolve(path, true);
        if (!dir.attributes().isDirectory()) {
            throw new NotDirectoryException(path);
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir.path())) {
            for (Path e : entries) {
                names.add(e.getFileName().toString());
            }
        }
        names.sort(null);
        return names;
    }

    @Override
    public String readLink(String path) throws IOException {
        Entry link = resolve(path, false);
        if (!link.attributes().isSymbolicLink()) {
            throw new NotLinkException(path);
        }
        return Files.readSymbolicLink(link.path()).toString();
    }

    @Override
    public boolean exists(String path) {
        try {
            resolve(path, false);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean isDirectory(String path) {
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
