package storport.shell;

import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import storport.api.BackendInfo;
import storport.api.Backends;
import storport.api.StorPortException;
import storport.api.StorStatus;

/** {@code backend}: shows the backends, or switches the active one. */
@Component(service = Object.class, immediate = true)
@GogoCommand(scope = Shell.SCOPE, function = "backend")
public class BackendCommand {

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Backends backends;

    @Descriptor("list the backends; the active one is marked with *")
    public void backend() {
        Shell.run(() -> {
            List<BackendInfo> infos = backends().backends();
            int width = 0;
            for (BackendInfo b : infos) {
                width = Math.max(width, b.name().length());
            }
            StringBuilder sb = new StringBuilder();
            for (BackendInfo b : infos) {
                sb.append(b.active() ? "* " : "  ").append(b.name()).append(" ".repeat(width - b.name().length() + 2))
                        .append(status(b)).append('\n');
            }
            return sb.toString();
        });
    }

    @Descriptor("make a backend the active one (persisted); consumers switch to it at once")
    public void backend(@Descriptor("backend name, e.g. sim or native") String name) {
        Shell.run(() -> {
            backends().select(name);
            return "backend: " + name + "\n";
        });
    }

    /** {@code active}, {@code available} or {@code unavailable}, then {@code , preferred}, then the reason it is unavailable. */
    static String status(BackendInfo b) {
        String s = b.active() ? "active" : b.available() ? "available" : "unavailable";
        if (b.preferred()) {
            s += ", preferred";
        }
        if (!b.available() && b.reason() != null && !b.reason().isEmpty()) {
            s += ": " + b.reason();
        }
        return s;
    }

    private Backends backends() {
        Backends b = backends;
        if (b == null) {
            throw new StorPortException(StorStatus.INVALID_DEVICE_STATE, "the backend selector is not running");
        }
        return b;
    }
}
