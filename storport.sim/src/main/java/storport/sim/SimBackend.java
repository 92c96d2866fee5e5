package storport.sim;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import storport.api.Host;
import storport.api.StorPort;

/**
 * The simulator as a {@link StorPort} backend. Consumers reach it through the backend selector's
 * dispatch, which switches between backends in memory; the simulator's state lives in
 * {@link SimModel}.
 */
@Component(property = StorPort.BACKEND + "=" + SimHostFactory.BACKEND)
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
