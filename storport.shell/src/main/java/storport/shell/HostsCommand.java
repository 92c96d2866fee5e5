package storport.shell;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.api.fleet.Fleet;
import storport.view.Documents;

/**
 * {@code hosts [--json] [--finding CODE]}: the fleet this storport holds as a console (DESIGN section 9);
 * each host answers as backend {@code host:<host>}. Fails, after printing what it holds, while the
 * broker is not connected.
 */
@Component(service = Object.class, immediate = true)
@GogoCommand(scope = Shell.SCOPE, function = "hosts")
public class HostsCommand {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Fleet fleet;

    @Descriptor("the fleet: every host on the broker, online, last seen, adapters, findings by severity (switch with backend host:NAME)")
    public String hosts(
            @Descriptor("print one JSON document instead of text") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("only the hosts with a finding of this code, e.g. cross-node") @Parameter(names = "--finding", absentValue = "") String finding) {
        Fleet f = fleet;
        if (f == null) {
            throw new StorPortException(StorStatus.INVALID_DEVICE_REQUEST, "this storport holds no fleet: set STORPORT_FLEET (the broker)"
                    + " and STORPORT_FLEET_ROLE=console or both, or the storport.fleet configuration");
        }
        Documents.Hosts hosts = Shell.call(() -> Documents.Hosts.of(f));
        String out = AdapterCommands.render(finding.isEmpty() ? hosts : hosts.withFinding(finding), json);
        if (!f.connected()) {
            // what is known is printed (the hosts' last snapshots still answer), but a script must not take it for live
            System.out.print(out);
            System.out.flush();
            throw new StorPortException(StorStatus.UNSUCCESSFUL, "the fleet is not live: " + hosts.connection());
        }
        return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
    }
}
