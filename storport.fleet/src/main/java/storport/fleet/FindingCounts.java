package storport.fleet;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import storport.view.Findings;
import storport.view.Json;

/**
 * A host's findings counted by severity (every severity, zeros included) and by code: what an agent's
 * {@code state} says and what a console lists for the host, counted one way for both.
 */
record FindingCounts(Map<String, Integer> severities, Map<String, Integer> codes) {
    /** Most severe first, as the state and the hosts document write them. */
    static final List<Findings.Severity> ORDER = List.of(Findings.Severity.ERROR, Findings.Severity.WARNING, Findings.Severity.INFO);

    FindingCounts {
        severities = Map.copyOf(severities);
        codes = Map.copyOf(codes);
    }

    static FindingCounts of(List<Findings.Finding> findings) {
        Map<String, Integer> severities = new TreeMap<>();
        Map<String, Integer> codes = new TreeMap<>();
        for (Findings.Severity s : ORDER) {
            severities.put(s.word(), 0);
        }
        for (Findings.Finding f : findings) {
            severities.merge(f.severity().word(), 1, Integer::sum);
            codes.merge(f.code(), 1, Integer::sum);
        }
        return new FindingCounts(severities, codes);
    }

    /** {@code "findings":{"error":0,"warning":2,"info":1},"codes":{"cross-node":2,...}} into an open object. */
    Json write(Json j) {
        j.name("findings").object();
        for (Findings.Severity s : ORDER) {
            j.field(s.word(), severities.get(s.word()));
        }
        j.end().name("codes").object();
        new TreeMap<>(codes).forEach(j::field);
        return j.end();
    }
}
