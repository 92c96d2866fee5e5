package storport.capture;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.io.TempDir;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Capture archives from bytes (see {@link ArchiveContract} for what is checked). The first byte
 * says what the rest is: even, the file itself (the gzip layer is fuzzed); odd, the tar stream,
 * which this test gzips after fixing every header's checksum, so the fuzzer gets past the checksum
 * and into names, sizes, types, PAX and GNU long-name records and the manifest.
 */
class CaptureArchiveFuzzTest {
    @TempDir
    Path dir;

    // tar's keywords and the boundary numbers of its fields, as a libFuzzer dictionary
    @DictionaryEntries({"ustar\u000000", "ustar  \u0000", "path=", "linkpath=", "size=", "././@LongLink", "././@PaxHeader",
        "storport-capture.properties", "format=storport-capture/1", "2147483647", "4294967295", "77777777777", "9223372036854775807"})
    @FuzzTest(maxDuration = "20s")
    void archive(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        byte[] rest = Arrays.copyOfRange(input, 1, input.length);
        byte[] file = (input[0] & 1) == 0 ? rest : Trees.gzip(withChecksums(rest));
        ArchiveContract.openAndCheck(dir.resolve("fuzzed.tar.gz"), file);
    }

    /** The tar with the checksum of every 512-byte block that carries the ustar magic recomputed. */
    static byte[] withChecksums(byte[] tar) {
        byte[] t = tar.clone();
        for (int at = 0; at + 512 <= t.length; at += 512) {
            if (t[at + 257] == 'u' && t[at + 258] == 's' && t[at + 259] == 't' && t[at + 260] == 'a' && t[at + 261] == 'r') {
                Arrays.fill(t, at + 148, at + 156, (byte) ' ');
                int sum = 0;
                for (int i = at; i < at + 512; i++) {
                    sum += t[i] & 0xff;
                }
                byte[] octal = String.format("%06o", sum).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                System.arraycopy(octal, 0, t, at + 148, 6);
                t[at + 154] = 0;
            }
        }
        return t;
    }
}
