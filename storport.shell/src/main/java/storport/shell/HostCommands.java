package storport.shell;

import java.nio.file.Path;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import storport.api.Host;
import storport.api.sim.HostCapture;
import storport.api.StorPort;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.view.Bound;

/** {@code refresh} and {@code capture}: re-read the active backend's host, or capture the real host to a file. */
@Component(service = Object.class, immediate = true)
@GogoCommand(scope = Shell.SCOPE, function = { "refresh", "capture" })
public class HostCommands {

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile StorPort storport;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile HostCapture hostCapture;

    @Descriptor("re-read the active backend's host now (the native backend also does so by itself when the host changes)")
    public String refresh() {
        return Shell.result(() -> {
            Host host = Shell.backend(storport).refresh();
            return host.backend() + ": " + host.topology().processorCount() + " processors, " + host.adapters().size()
                    + " adapters\n";
        });
    }

    @Descriptor("capture this host's inputs (sysfs/procfs files the native backend reads) into a .tar.gz for sim-replay or STORPORT_NATIVE_ROOT")
    public String capture(@Descriptor("the file to write, e.g. host.tar.gz; never overwritten") String file) {
        return Shell.result(() -> {
            HostCapture capture = Bound.present(hostCapture, "capturing needs the native backend, which is not installed");
            return capture.capture(Path.of(file).toAbsolutePath()) + "\n";
        });
    }
}
