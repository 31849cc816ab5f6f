// The frame time of the Prometheus source, for scripts/bench-prometheus-scale: one process, one source per URL (as a
// live `top` holds it), FRAMES rounds of one snapshot from each URL in turn over the backend's job (taken side by
// side, so that a busy machine weighs on every URL alike); prints, for each URL in order, the first frame's
// milliseconds (a cold JVM and new connections: what `top --once` pays) and the median of the others (a live view's
// frames).
// Run: java -cp cli/target/exlm-mon.jar scripts/FrameTimes.java FRAMES PROMETHEUS_URL...
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
        int frames = Integer.parseInt(args[0]);
        List<String> urls = List.of(args).subList(1, args.length);
        // a starved server can take longer than the default 10 s; a frame that times out is reported, not hidden
        try (HttpLayer http = new HttpLayer(HttpOptions.defaults().withTimeout(Duration.ofSeconds(60)))) {
            List<PrometheusSource> sources = new ArrayList<>();
            List<List<Long>> ms = new ArrayList<>();
            for (String url : urls) {
                sources.add(new PrometheusSource(new PrometheusClient(http, url), Combination.defaults(),
                        PanelId.WINDOW, Scope.BACKEND, PanelId.queryGroups()).recordings(PanelId.WINDOW));
                ms.add(new ArrayList<>());
            }
            for (int i = 0; i < frames; i++) {
                for (int u = 0; u < urls.size(); u++) {
                    long t = System.nanoTime();
                    Snapshot s = sources.get(u).snapshot();
                    ms.get(u).add((System.nanoTime() - t) / 1_000_000);
                    if (!s.missing().isEmpty()) {
                        throw new IllegalStateException("missing: " + s.missing());
                    }
                }
            }
            StringBuilder out = new StringBuilder();
            for (List<Long> m : ms) {
                List<Long> warm = new ArrayList<>(m.subList(1, m.size()));
                Collections.sort(warm);
                out.append(out.length() == 0 ? "" : " ").append(m.get(0)).append(' ').append(warm.get(warm.size() / 2));
            }
            System.out.println(out);
            sources.forEach(PrometheusSource::close);
        }
    }
}
