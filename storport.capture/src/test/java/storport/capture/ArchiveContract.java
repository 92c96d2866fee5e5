package storport.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import storport.api.Adapter;
import storport.api.Host;
import storport.linux.LinuxHostScanner;
import storport.linux.LinuxInputException;

/**
 * What the capture fuzz tests check: a file opens as a capture or is refused with a
 * {@link CaptureException} naming it; an open capture answers every question about every path it
 * lists with content or an {@link IOException}, and a host scan of it gives a Host or a
 * {@link LinuxInputException}. Anything else escapes as a finding.
 */
final class ArchiveContract {
    /** Deeper than any capture: sysfs paths are about 12 levels. */
    private static final int MAX_DEPTH = 32;

    private ArchiveContract() {
    }

    /** Writes the bytes to {@code file}, opens them, checks an open capture; null when refused. */
    static CaptureArchive openAndCheck(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        CaptureArchive archive;
        try {
            archive = CaptureArchive.open(file);
        } catch (CaptureException e) {
            assertTrue(e.getMessage().contains(file.toString()), "the refusal names the file: " + e.getMessage());
            return null;
        }
        assertTrue(archive.entries() >= 0);
        walk(archive, "/", 0);
        try {
            Host host = new LinuxHostScanner(1).scan(archive);
            for (Adapter a : host.adapters()) {
                assertTrue(a.unavailableReason() != null || a.messageCount() > 0, a.id());
            }
        } catch (LinuxInputException expected) {
            assertTrue(expected.getMessage().startsWith("/"), expected.getMessage());
        }
        return archive;
    }

    /** Lists, reads, reads links and resolves everything below {@code path}, not following links into folders. */
    private static void walk(CaptureArchive archive, String path, int depth) {
        List<String> names;
        try {
            names = archive.list(path);
        } catch (IOException e) {
            return;
        }
        assertEquals(names.stream().sorted().toList(), names, "a listing is sorted");
        for (String name : names) {
            assertTrue(!name.isEmpty() && name.indexOf('/') < 0, "a child's name: '" + name + "'");
            String child = path.equals("/") ? "/" + name : path + "/" + name;
            assertTrue(archive.exists(child), child + " is listed but does not exist");
            boolean link = archive.isSymbolicLink(child);
            try {
                archive.readLink(child);
            } catch (IOException notALink) {
                assertTrue(!link, child);
            }
            boolean folder = archive.isDirectory(child);
            try {
                archive.read(child);
            } catch (IOException unreadable) {
                // a folder, an unreadable file, a dangling or looping link: all said with an IOException
            }
            if (folder && !link && depth < MAX_DEPTH) {
                walk(archive, child, depth + 1);
            }
        }
    }
}
