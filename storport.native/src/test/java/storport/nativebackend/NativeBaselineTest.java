package storport.nativebackend;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static storport.nativebackend.NativeRoots.GOOD;
import static storport.nativebackend.NativeRoots.activate;
import static storport.nativebackend.NativeRoots.capturer;
import static storport.nativebackend.NativeRoots.goodHost;
import static storport.nativebackend.NativeRoots.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import storport.api.Host;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.view.Documents.DriftView;
import storport.view.Findings;
import storport.view.Drift.AdapterDrift;
import storport.view.Drift.Move;
import storport.view.Drift.Status;

/** A capture read back as a baseline (HostCapture.baseline) is the host it was, and storport:diff's drift against it is exact. */
public class NativeBaselineTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aHostIsTheSameAsItsCaptureAndAChangedQueueMapMovesExactlyItsProcessors() throws Exception {
        Path root = goodHost(tmp.newFolder("root").toPath());
        Path file = tmp.getRoot().toPath().resolve("host-a.tar.gz");
        NativeHost host = activate(root);
        try {
            NativeCapture capture = capturer(host);
            capture.capture(file);
            Host baseline = capture.baseline(file);
            assertEquals("native", baseline.backend());
            DriftView same = DriftView.of("host-a.tar.gz", host.host(), baseline, null);
            assertNull(same.topology());
            assertEquals(List.of(new AdapterDrift(GOOD, Status.SAME, List.of(), List.of())), same.adapters());

            // the kernel now maps hctx 0 to CPUs 0 and 2, hctx 1 to 1 and 3; the vectors' affinities stay as they were
            String mq = "sys/devices/pci0000:00/0000:00:01.0/" + GOOD + "/nvme/nvme0/nvme0n1/mq/";
            write(root, mq + "0/cpu_list", "0, 2");
            write(root, mq + "1/cpu_list", "1, 3");
            DriftView moved = DriftView.of("host-a.tar.gz", host.rescan(), baseline, "nvme0");
            assertEquals(List.of(new AdapterDrift(GOOD, Status.CHANGED, List.of(new Move(1, 1, 2), new Move(2, 2, 1)), List.of())),
                    moved.adapters());
        } finally {
            host.deactivate();
        }
    }

    /** The isolated CPUs are in the capture (cpu/isolated, /proc/cmdline), so its replay gives the live host's findings. */
    @Test
    public void aCaptureHoldsTheIsolatedCpusAndGivesTheSameFindings() throws Exception {
        Path root = goodHost(tmp.newFolder("isolated").toPath());
        write(root, "sys/devices/system/cpu/isolated", "2");
        write(root, "proc/cmdline", "root=/dev/vda1 isolcpus=managed_irq,3 quiet");
        Path file = tmp.getRoot().toPath().resolve("isolated.tar.gz");
        NativeHost host = activate(root);
        try {
            NativeCapture capture = capturer(host);
            capture.capture(file);
            List<Findings.Finding> live = Findings.of(host.host());
            assertEquals(List.of("isolated [2] [2, 3]"), live.stream().map(f -> f.code() + " " + f.messages() + " " + f.processors()).toList());
            assertEquals(live, Findings.of(capture.baseline(file)));
        } finally {
            host.deactivate();
        }
    }

    @Test
    public void aMissingOrCorruptFileIsRefusedWithTheReason() throws Exception {
        NativeCapture capture = capturer(new NativeHost());
        Path missing = tmp.getRoot().toPath().resolve("nope.tar.gz");
        assertEquals("cannot read the baseline " + missing + ": no such file", refusal(capture, missing));
        Path text = tmp.newFile("text.tar.gz").toPath();
        Files.writeString(text, "this is not an archive\n");
        String why = refusal(capture, text);
        assertTrue(why, why.startsWith("cannot read the baseline " + text + ": ") && why.contains("not a gzip file") && !why.contains("\n"));
    }

    private static String refusal(NativeCapture capture, Path file) {
        try {
            capture.baseline(file);
            fail("read " + file + " as a baseline");
            return null;
        } catch (StorPortException e) {
            assertEquals(StorStatus.INVALID_PARAMETER, e.status());
            return e.reason();
        }
    }
}
