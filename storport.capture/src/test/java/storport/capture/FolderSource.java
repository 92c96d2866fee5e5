package storport.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import storport.linux.SysfsSource;

/** A tiny SysfsSource over a folder, for tests: paths stay inside the root (no "..", links must resolve inside). */
final class FolderSource implements SysfsSource {

    private final Path root;

    FolderSource(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    private Path at(String path) throws IOException {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("not absolute: " + path);
        }
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                throw new IOException("leaves the root: " + path);
            }
        }
        return path.equals("/") ? root : root.resolve(path.substring(1));
    }

    private Path inside(String path) throws IOException {
        Path p = at(path);
        if (!Files.exists(p)) {
            throw new NoSuchFileException(path);
        }
        if (!p.toRealPath().startsWith(root.toRealPath())) {
            throw new IOException("leaves the root: " + path);
        }
        return p;
    }

    @Override
    public String read(String path) throws IOException {
        return Files.readString(inside(path));
    }

    @Override
    public List<String> list(String path) throws IOException {
        Path p = inside(path);
        if (!Files.isDirectory(p)) {
            throw new NotDirectoryException(path);
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.map(c -> c.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Override
    public String readLink(String path) throws IOException {
        return Files.readSymbolicLink(at(path)).toString();
    }

    @Override
    public boolean isSymbolicLink(String path) {
        try {
            return Files.isSymbolicLink(at(path));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean exists(String path) {
        try {
            return Files.exists(at(path), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean isDirectory(String path) {
        try {
            return Files.isDirectory(inside(path));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String describe() {
        return "folder " + root;
    }
}
