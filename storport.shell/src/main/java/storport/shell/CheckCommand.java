package storport.shell;

import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import storport.api.StorPort;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.view.Documents;
import storport.view.Findings;

/**
 * {@code check [ADAPTER] [--json] [--fail-on SEVERITY]}: what is wrong with the active backend's maps
 * (DESIGN section 8). With {@code --fail-on} it also fails, after printing the findings, when one is
 * at least that severe, so a script or a monitoring check can act on it.
 */
@Component(service = Object.class, immediate = true)
@GogoCommand(scope = Shell.SCOPE, function = { "check" })
public class CheckCommand {
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile StorPort storport;

    @Descriptor("findings on every adapter's map (no-message, single-vector, cross-node, effective-outside, uneven, idle-message)")
    public String check(
            @Descriptor("print one JSON document instead of text") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("fail when a finding is at least this severe: info, warning or error") @Parameter(names = "--fail-on", absentValue = "") String failOn) {
        return check(json, failOn, null);
    }

    @Descriptor("findings on one adapter's map")
    public String check(
            @Descriptor("print one JSON document instead of text") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("fail when a finding is at least this severe: info, warning or error") @Parameter(names = "--fail-on", absentValue = "") String failOn,
            @Descriptor("adapter id or alias, e.g. nvme0 or 0000:00:02.0") String adapter) {
        Findings.Severity threshold = failOn.isEmpty() ? null : severity(failOn);
        Documents.FindingsView view = Shell.call(() -> Documents.FindingsView.of(Shell.backend(storport).host(), adapter));
        String out = AdapterCommands.render(view, json);
        if (threshold != null && view.reaches(threshold)) {
            // the findings are the point of the run: printed before the failure, which Gogo reports alone
            System.out.print(out);
            System.out.flush();
            long count = view.findings().stream().filter(f -> f.severity().compareTo(threshold) >= 0).count();
            throw new StorPortException(StorStatus.UNSUCCESSFUL, count + " finding" + (count == 1 ? "" : "s") + " at or above "
                    + threshold.word() + " (--fail-on " + threshold.word() + ")");
        }
        return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
    }

    static Findings.Severity severity(String word) {
        try {
            return Findings.Severity.valueOf(word.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw StorPortException.invalidParameter("--fail-on takes info, warning or error, not '" + word + "'");
        }
    }
}
