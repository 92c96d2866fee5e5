package storport.sim;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import storport.api.Host;
import storport.api.StorPort;

/**
 * The simulator as a {@link StorPort} backend. Its {@code service.ranking} comes from the
 * configuration {@code storport.backend.sim}, which the backend selector writes. There is
 * deliberately no modified method: a ranking change re-registers the service, and only a new
 * registration makes SCR rebind greedy references (it ignores ranking changes of a registered
 * service). The simulator's state lives in {@link SimModel}, so re-registering costs nothing.
 */
@Component(configurationPid = StorPort.RANKING_PID_PREFIX + SimHostFactory.BACKEND,
        property = StorPort.BACKEND + "=" + SimHostFactory.BACKEND)
public class SimBackend implements StorPort {

    /** Final: a call still running on this instance while SCR deactivates it keeps a model to answer from. */
    private final SimModel model;

    @Activate
    public SimBackend(@Reference SimModel model) {
        this.model = model;
    }


    @Override
    public String backend() {
        return SimHostFactory.BACKEND;
    }

    @Override
    public Host host() {
        return model.host();
    }
}
