package storport.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;

import org.junit.jupiter.api.io.TempDir;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The manifest ({@value CaptureInfo#FILE_NAME}) and the archive's entries, built the way the
 * writer builds them: every manifest the writer can write reads back as itself; any properties
 * text reads as a manifest or a {@link CaptureException}; an archive of fuzzed names, types and
 * link targets opens and answers, or is refused (see {@link ArchiveContract}).
 */
class CaptureManifestFuzzTest {
    private static final String[] PARTS = {"sys", "devices", "block", "vda", "..", ".", "", "a", "b", "mq", "0", "cpu_list", "\u00e9", "x".repeat(120)};

    @TempDir
    Path dir;

    @FuzzTest(maxDuration = "20s")
    void manifest(FuzzedDataProvider data) throws IOException {
        // Every manifest the writer can write reads back.
        CaptureInfo written = null;
        try {
            written = new CaptureInfo(data.consumeString(40), data.consumeString(40),
                    Instant.ofEpochSecond(data.consumeLong(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
                            data.consumeInt(0, 999_999_999)),
                    data.consumeString(20), data.consumeString(40), data.consumeInt(0, Integer.MAX_VALUE));
        } catch (IllegalArgumentException blank) {
            // host or storport-version blank: the writer cannot write it
        }
        if (written != null) {
            Properties p = new Properties();
            p.load(new ByteArrayInputStream(written.manifestBytes()));
            assertEquals(written, CaptureInfo.read(p));
        }

        // Any properties text.
        byte[] manifest = data.consumeBoolean() && written != null ? written.manifestBytes()
                : data.consumeString(400).getBytes(StandardCharsets.ISO_8859_1);
        Properties p = new Properties();
        try {
            p.load(new ByteArrayInputStream(manifest));
            CaptureInfo read = CaptureInfo.read(p);
            assertTrue(!read.host().isBlank() && read.entries() >= 0);
        } catch (IllegalArgumentException | CaptureException refused) {
            // a malformed \\u escape, or a manifest that is not valid: both refused when an archive is opened
        }

        // An archive of that manifest and fuzzed entries.
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(tar);
        if (data.consumeBoolean()) {
            w.file(CaptureInfo.FILE_NAME, manifest, 0644, 0);
        }
        int entries = data.consumeInt(0, 8);
        for (int i = 0; i < entries; i++) {
            String name = name(data);
            int mode = data.consumeInt(0, 07777);
            switch (data.consumeInt(0, 2)) {
                case 0 -> w.file(name, data.consumeBytes(64), mode, 0);
                case 1 -> w.directory(name, mode, 0);
                default -> w.symlink(name, data.consumeBoolean() ? name(data) : data.consumeString(40), mode, 0);
            }
        }
        w.finish();
        ArchiveContract.openAndCheck(dir.resolve("built.tar.gz"), Trees.gzip(tar.toByteArray()));
    }

    /** A path of a few parts, or any text. */
    private static String name(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            return data.consumeString(60);
        }
        StringBuilder b = new StringBuilder(data.consumeBoolean() ? "/" : "");
        int n = data.consumeInt(1, 6);
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : "/").append(PARTS[data.consumeInt(0, PARTS.length - 1)]);
        }
        return b.toString();
    }
}
