package storport.capture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The tar reader on a stream whose headers are well-formed (sizes and checksums right, as
 * {@link Trees#entry} writes them) and whose content is fuzzed: any entry type, names, link
 * targets, PAX records (well-formed ones and raw bytes mixed) and GNU long names. Reading gives
 * entries or a {@link CaptureException}; never anything else.
 */
class TarStreamFuzzTest {
    private static final char[] TYPES = {'0', '\0', '5', '2', 'x', 'g', 'L', 'K', '1', '3', '6', '7'};
    private static final String[] PAX_KEYS = {"path", "linkpath", "size", "mtime", "uid"};

    @DictionaryEntries({"2147483647", "-1", "9223372036854775807", "path=", "size=", "linkpath="})
    @FuzzTest(maxDuration = "20s")
    void tarStream(FuzzedDataProvider data) {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        int entries = data.consumeInt(1, 6);
        for (int i = 0; i < entries; i++) {
            char type = data.consumeBoolean() ? TYPES[data.consumeInt(0, TYPES.length - 1)] : data.consumeChar();
            String name = data.consumeString(40);
            String link = data.consumeString(20);
            byte[] content = type == 'x' || type == 'g' ? pax(data) : data.consumeBytes(80);
            tar.writeBytes(Trees.entry(name, type, content, link));
        }
        if (data.consumeBoolean()) {
            tar.writeBytes(new byte[1024]);
        }
        TarReader reader = new TarReader(new ByteArrayInputStream(tar.toByteArray()), "fuzzed.tar", Limits.DEFAULT);
        try {
            for (TarReader.Entry e = reader.next(); e != null; e = reader.next()) {
                assertTrue(e.data().length >= 0 && e.mode() >= 0 && e.mode() <= 07777);
            }
        } catch (CaptureException refused) {
            assertTrue(refused.getMessage().startsWith("fuzzed.tar: "), refused.getMessage());
        } catch (java.io.IOException e) {
            throw new AssertionError("an IOException that is not a CaptureException: " + e, e);
        }
    }

    /** PAX records: well-formed ones ({@code "<length> <key>=<value>\n"}) and raw bytes, mixed. */
    private static byte[] pax(FuzzedDataProvider data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int records = data.consumeInt(0, 4);
        for (int r = 0; r < records; r++) {
            if (data.consumeBoolean()) {
                String kv = " " + PAX_KEYS[data.consumeInt(0, PAX_KEYS.length - 1)] + "=" + data.consumeString(30) + "\n";
                int body = kv.getBytes(StandardCharsets.UTF_8).length;
                int length = body + Integer.toString(body).length();
                if (Integer.toString(length).length() != Integer.toString(body).length()) {
                    length++;
                }
                out.writeBytes((length + kv).getBytes(StandardCharsets.UTF_8));
            } else {
                out.writeBytes(data.consumeBytes(24));
            }
        }
        return out.toByteArray();
    }
}
