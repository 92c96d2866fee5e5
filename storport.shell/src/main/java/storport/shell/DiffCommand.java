package storport.shell;

import java.nio.file.Path;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import storport.api.Host;
import storport.api.StorPort;
import storport.api.sim.HostCapture;
import storport.view.Bound;
import storport.view.Documents;

/**
 * {@code diff FILE.tar.gz [ADAPTER] [--json]}: what changed on the active backend's host since a
 * capture (the baseline): processors whose message moved, messages whose targets or effective CPUs
 * changed, adapters gone or new. The answer after a kernel upgrade or a BIOS change.
 */
@Component(service = Object.class, immediate = true)
@GogoCommand(scope = Shell.SCOPE, function = { "diff" })
public class DiffCommand {
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile StorPort storport;

    // the capture service reads baselines; without the native bundle diff says so, the other commands work
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile HostCapture hostCapture;

    @Descriptor("what changed against a captured baseline: processors whose message moved, messages whose targets or effective CPUs changed, adapters gone or new")
    public String diff(
            @Descriptor("print one JSON document instead of text") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the baseline, a .tar.gz written by storport:capture") String file) {
        return diff(json, file, null);
    }

    @Descriptor("what changed on one adapter against a captured baseline")
    public String diff(
            @Descriptor("print one JSON document instead of text") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the baseline, a .tar.gz written by storport:capture") String file,
            @Descriptor("adapter id or alias on this host, or in the baseline when it is gone") String adapter) {
        return Shell.result(() -> {
            Path path = Shell.capturePath(file);
            HostCapture capture = Bound.present(hostCapture, "reading a baseline needs the native backend, which is not installed");
            Host baseline = capture.baseline(path);
            Host now = Shell.backend(storport).host();
            return AdapterCommands.render(Documents.DriftView.of(file, now, baseline, adapter), json);
        });
    }
}
