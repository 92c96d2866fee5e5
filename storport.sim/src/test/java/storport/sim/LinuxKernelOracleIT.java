package storport.sim;

import static org.junit.Assert.assertEquals;

import java.io.File;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/**
 * Boots real Linux kernels (Debian's newest 6.1 and 6.12 images) under QEMU for every topology of
 * {@code src/test/kernel/linux-oracle.sh} and compares each NVMe blk-mq map with numa-spread (6.12) and
 * numa-spread-legacy (6.1). Twelve boots of 6-13 s each (TCG, no KVM), the two kernels side by side on 2 cores:
 * 67-70 s here, plus the first download of the two kernel packages (~180 MB, 4 s here; cached in
 * ~/.cache/storport-kernels, or $STORPORT_KERNEL_CACHE).
 */
public class LinuxKernelOracleIT {

    @Test(timeout = 900_000)
    public void realKernelsMapQueuesAsTheSimulatorSays() throws Exception {
        File out = File.createTempFile("linux-oracle", ".txt");
        try {
            Process p = new ProcessBuilder("bash", "src/test/kernel/linux-oracle.sh", "record")
                    .redirectOutput(out).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!p.waitFor(14, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("linux-oracle.sh record did not finish in 14 minutes");
            }
            String recorded = Files.readString(out.toPath(), StandardCharsets.US_ASCII);
            assertEquals("linux-oracle.sh record failed:\n" + recorded, 0, p.exitValue());
            List<LinuxOracle.Boot> boots = LinuxOracle.parse(new StringReader(recorded));
            System.out.print(LinuxOracle.describe(boots));
            assertEquals(12, boots.size());
            LinuxKernelParityTest.assertParity(boots);
        } finally {
            out.delete();
        }
    }
}
