// The frame time of the Prometheus source, for scripts/bench-prometheus-scale: one process, one source (as a live
// `top` holds it), FRAMES snapshots one after another over the backend's job; prints the first frame's milliseconds
// (a cold JVM and new connections: what `top --once` pays) and the median of the others (a live view's frames).
// Run: java -cp cli/target/exlm-mon.jar scripts/FrameTimes.java PROMETHEUS_URL [FRAMES]
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.source.Combination;
import io.exlm.mon.source.PrometheusSource;
import io.exlm.mon.source.Scope;
import io.exlm.mon.source.Snapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

public class FrameTimes {
    public static void main(String[] args) {
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 11;
        // a starved server can take longer than the default 10 s; a frame that times out is reported, not hidden
        try (HttpLayer http = new HttpLayer(HttpOptions.defaults().withTimeout(Duration.ofSeconds(60)));
                PrometheusSource source = new PrometheusSource(new PrometheusClient(http, args[0]),
                        Combination.defaults(), Duration.ofMinutes(1), Scope.BACKEND, PanelId.queryGroups())) {
            List<Long> ms = new ArrayList<>();
            for (int i = 0; i < frames; i++) {
                long t = System.nanoTime();
                Snapshot s = source.snapshot();
                ms.add((System.nanoTime() - t) / 1_000_000);
                if (!s.missing().isEmpty()) {
                    throw new IllegalStateException("missing: " + s.missing());
                }
            }
            List<Long> warm = new ArrayList<>(ms.subList(1, ms.size()));
            Collections.sort(warm);
            System.out.println(ms.get(0) + " " + warm.get(warm.size() / 2));
        }
    }
}
