package storport.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import storport.linux.SysfsSource;

/** What the native benchmarks share: the cached synthetic trees and the list of files a scan reads. */
final class Trees {
    private Trees() {
    }

    /** The tree for these sizes, generated once into {@link SyntheticHostTree#defaultCache()}. */
    static SyntheticHostTree tree(int cpus, int controllers) {
        try {
            return SyntheticHostTree.cached(SyntheticHostTree.defaultCache(), cpus, controllers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads every file of {@code paths} (source paths) under {@code root} with Files.readAllBytes: the raw-read floor. */
    static long readAll(Path root, List<String> paths) throws IOException {
        long bytes = 0;
        for (String p : paths) {
            bytes += Files.readAllBytes(root.resolve(p.substring(1))).length;
        }
        return bytes;
    }

    /** A source that passes everything through and keeps the paths of the files read, in order. */
    static final class Recorder implements SysfsSource {
        private final SysfsSource delegate;
        final List<String> files = Collections.synchronizedList(new ArrayList<>());
        int listings;
        int links;

        Recorder(SysfsSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public String read(String path) throws IOException {
            files.add(path);
            return delegate.read(path);
        }

        @Override
        public List<String> list(String path) throws IOException {
            listings++;
            return delegate.list(path);
        }

        @Override
        public String readLink(String path) throws IOException {
            links++;
            return delegate.readLink(path);
        }

        @Override
        public boolean exists(String path) {
            return delegate.exists(path);
        }

        @Override
        public boolean isDirectory(String path) {
            return delegate.isDirectory(path);
        }

        @Override
        public String describe() {
            return delegate.describe();
        }
    }
}
