package storport.capture;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;

import storport.linux.SysfsSource;

public class RecordingSourceTest {

    /** Answers from fixed data; the content of /proc/interrupts changes on every read; /bad fails. */
    private static final class Stub implements SysfsSource {
        int interruptsReads;
        final List<String> calls = new ArrayList<>();

        @Override
        public String read(String path) throws IOException {
            calls.add("read " + path);
            if (path.equals("/proc/interrupts")) {
                return "count " + ++interruptsReads + "\n";
            }
            if (path.equals("/sys/a")) {
                return "A\n";
            }
            throw new NoSuchFileException(path);
        }

        @Override
        public List<String> list(String path) throws IOException {
            calls.add("list " + path);
            if (path.equals("/sys")) {
                return new ArrayList<>(List.of("a", "l"));
            }
            throw new NoSuchFileException(path);
        }

        @Override
        public String readLink(String path) throws IOException {
            calls.add("readLink " + path);
            if (path.equals("/sys/l")) {
                return "a";
            }
            throw new NotLinkException(path);
        }

        @Override
        public boolean exists(String path) {
            calls.add("exists " + path);
            return path.startsWith("/sys");
        }

        @Override
        public boolean isDirectory(String path) {
            calls.add("isDirectory " + path);
            return path.equals("/sys");
        }

        @Override
        public String describe() {
            return "stub";
        }
    }

    @Test
    public void passesThroughAndRecords() throws IOException {
        Stub stub = new Stub();
        RecordingSource r = new RecordingSource(stub);
        assertTrue(r.isEmpty());
        assertEquals("A\n", r.read("/sys/a"));
        assertEquals(List.of("a", "l"), r.list("/sys"));
        assertEquals("a", r.readLink("/sys/l"));
        assertTrue(r.exists("/sys/a"));
        assertFalse(r.exists("/nope"));
        assertTrue(r.isDirectory("/sys"));
        assertFalse(r.isDirectory("/sys/a"));
        assertTrue(r.isSymbolicLink("/sys/l"));
        assertFalse(r.isSymbolicLink("/sys/a"));
        assertEquals("stub", r.describe());
        assertSame(stub, r.delegate());

        assertEquals(Map.of("/sys/a", "A\n"), r.reads());
        assertEquals(Map.of("/sys", List.of("a", "l")), r.listings());
        assertEquals(Map.of("/sys/l", "a"), r.links());
        assertEquals(Set.of("/sys/a", "/sys", "/sys/l"), r.probes());
        assertFalse(r.isEmpty());
        assertEquals(List.of("read /sys/a", "list /sys", "readLink /sys/l", "exists /sys/a", "exists /nope",
                "isDirectory /sys", "isDirectory /sys/a", "readLink /sys/l", "readLink /sys/a"), stub.calls);
    }

    @Test
    public void failedCallsAreRethrownAndNotRecorded() {
        Stub stub = new Stub();
        RecordingSource r = new RecordingSource(stub);
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> r.read("/bad"));
        assertEquals("/bad", e.getFile());
        assertThrows(NoSuchFileException.class, () -> r.list("/bad"));
        assertThrows(NotLinkException.class, () -> r.readLink("/sys/a"));
        assertTrue(r.isEmpty());
        assertEquals(List.of("read /bad", "list /bad", "readLink /sys/a"), stub.calls);
    }

    @Test
    public void keepsTheFirstContentSeenAndCopiesListings() throws IOException {
        RecordingSource r = new RecordingSource(new Stub());
        assertEquals("count 1\n", r.read("/proc/interrupts"));
        assertEquals("count 2\n", r.read("/proc/interrupts"));
        assertEquals(Map.of("/proc/interrupts", "count 1\n"), r.reads());

        List<String> names = r.list("/sys");
        names.clear(); // the caller's list is its own; the recording keeps what was returned
        assertEquals(Map.of("/sys", List.of("a", "l")), r.listings());
    }
}
