package storport.shell;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import storport.api.backend.Backends;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.view.Documents;
import storport.view.Bound;

/** {@code backend}: shows the backends, or switches the active one. */
@Component(service = Object.class, immediate = true)
@GogoCommand(scope = Shell.SCOPE, function = "backend")
public class BackendCommand {

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Backends backends;

    @Descriptor("list the backends; the active one is marked with *")
    public String backend() {
        return Shell.result(() -> Documents.Backends.of(backends()).text());
    }

    @Descriptor("make a backend the active one (persisted); consumers switch to it at once")
    public String backend(@Descriptor("backend name, e.g. sim or native") String name) {
        return Shell.result(() -> {
            backends().select(name);
            return "backend: " + name + "\n";
        });
    }

    private Backends backends() {
        return Bound.present(backends, "the backend selector is not running");
    }
}
