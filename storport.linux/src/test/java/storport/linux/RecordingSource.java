package storport.linux;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A source that remembers every path read, listed or link-read, to check what a scan costs. */
final class RecordingSource implements SysfsSource {
    private final SysfsSource delegate;
    final List<String> reads = Collections.synchronizedList(new ArrayList<>());

    RecordingSource(SysfsSource delegate) {
        this.delegate = delegate;
    }

    long count(String path) {
        return reads.stream().filter(path::equals).count();
    }

    @Override
    public String read(String path) throws IOException {
        reads.add(path);
        return delegate.read(path);
    }

    @Override
    public List<String> list(String path) throws IOException {
        reads.add(path);
        return delegate.list(path);
    }

    @Override
    public String readLink(String path) throws IOException {
        reads.add(path);
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
