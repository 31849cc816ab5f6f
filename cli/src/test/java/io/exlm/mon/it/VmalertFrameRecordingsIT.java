package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.exlm.mon.demo.DemoServer;
import io.exlm.mon.demo.Scenario;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.source.Catalog;
import io.exlm.mon.source.Combination;
import io.exlm.mon.source.PrometheusSource;
import io.exlm.mon.source.Scope;
import io.exlm.mon.source.Snapshot;
import io.exlm.mon.stack.StackFiles;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Polls;
import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.Tools;
import io.exlm.mon.testing.VictoriaMetrics;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frame read from the shipped recordings (stack/prometheus/rules/exlm-frame.yml) as the sharded topology has them,
 * evaluated by vmalert and stored in VictoriaMetrics (MetricsQL, not PromQL), is the frame its own queries give at
 * the recordings' time of evaluation. VictoriaMetrics scrapes two instances of the demo backend's exposition (of the
 * errors scenario) whose counters and histograms grow at each scrape (rates, an error rate, the cache's hits and
 * misses; the series all there from the first scrape), one under the counters' older spellings, and neither exposing Celery's gauges, so that the Celery panel's recording is one that found nothing
 * (it is read, not asked for again). The two frames agree to VictoriaMetrics' storage precision (12 significant
 * digits, a relative 1e-11; the rest exactly): each panel's figures, the rates and their labels (the past bug:
 * MetricsQL's {@code label_replace} on {@code __name__} put garbage in {@code exlm_name} on the rate parts, which then
 * read as missing), a counter's spelling, the gauges' instances, the percentiles.
 */
class VmalertFrameRecordingsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** VictoriaMetrics keeps 12 significant decimal digits of a value: a recording's figure is its query's to that. */
    private static final double PRECISION = 1e-11;

    @TempDir
    Path dir;

    @Test
    void vmalertsRecordedFrameIsTheQueriedFrame() throws Exception {
        Path vmalertBinary = Tools.require("vmalert");
        Tools.require("victoria-metrics");
        HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<HttpServer> servers = new ArrayList<>();
        Process vmalert = null;
        // the demo's exposition once it has served requests of every status: its series, all there from the first
        // scrape (VictoriaMetrics makes a new series searchable seconds after its first sample, later than a new
        // sample of a known one: a series born just before an evaluation would be in the query and not the recording)
        String body;
        try (DemoServer demo = DemoServer.start(DemoServer.Config.defaults().withPort(0).withScenario(
                Scenario.ERRORS))) {
            java.util.regex.Pattern failed = java.util.regex.Pattern.compile(
                    "(?m)^http_requests_total\\{[^}]*status=\"5\\d\\d\"[^}]*\\} [1-9]");
            String[] served = {""};
            Polls.await(Duration.ofSeconds(60), "a demo exposition with 5xx requests counted", () -> {
                try {
                    served[0] = c.send(HttpRequest.newBuilder(URI.create(demo.url() + "/metrics")).timeout(Duration
                            .ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
                } catch (java.io.IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                return failed.matcher(served[0]).find();
            });
            body = served[0];
        }
        try {
            // counters that move: each scrape of an instance serves its counters and histograms grown by a tenth
            // of that exposition's (the rates, the error rate, the cache's lookups); Celery's gauges left out on
            // both; the second instance with the counters' older spellings (no _total)
            UnaryOperator<String> noCelery = b -> b.replaceAll("(?m)^(# (HELP|TYPE) )?celery_tasks_\\S*.*\\n", "");
            UnaryOperator<String> older = b -> noCelery.apply(b).replaceAll(
                    "(?m)^(error_count|dataset_processing|cache_hits|cache_misses)_total", "$1");
            List<String> targets = new ArrayList<>();
            for (UnaryOperator<String> exposition : List.of(noCelery, older)) {
                HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
                java.util.concurrent.atomic.AtomicInteger scrapes = new java.util.concurrent.atomic.AtomicInteger();
                s.createContext("/metrics", ex -> {
                    byte[] bytes = exposition.apply(grown(body, scrapes.getAndIncrement())).getBytes(
                            StandardCharsets.UTF_8);
                    ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                    ex.sendResponseHeaders(200, bytes.length);
                    ex.getResponseBody().write(bytes);
                    ex.close();
                });
                s.start();
                servers.add(s);
                targets.add("'127.0.0.1:" + s.getAddress().getPort() + "'");
            }
            Path scrape = Files.writeString(dir.resolve("scrape.yml"), "global:\n  scrape_interval: 1s\n"
                    + "scrape_configs:\n  - job_name: " + Catalog.BACKEND_JOB + "\n    static_configs:\n"
                    + "      - targets: [" + String.join(", ", targets) + "]\n");
            Path rules = Files.write(dir.resolve("exlm-frame.yml"), StackFiles.read(StackFiles.FRAME));
            try (VictoriaMetrics vm = new VictoriaMetrics(dir.resolve("vm"), List.of("-promscrape.config=" + scrape,
                    "-search.disableCache"))) {
                // as the sharded topology runs it (LocalRuntime): the store as datasource and remote write
                int port = Ports.free();
                vmalert = new ProcessBuilder(vmalertBinary.toString(), "-httpListenAddr=127.0.0.1:" + port,
                        "-rule=" + rules, "-datasource.url=" + vm.url(), "-remoteWrite.url=" + vm.url(),
                        "-evaluationInterval=15s", "-loggerLevel=WARN").redirectErrorStream(true)
                        .redirectOutput(dir.resolve("vmalert.log").toFile()).redirectInput(new File("/dev/null"))
                        .start();
                compare(vm.url(), vmalert);
            }
        } finally {
            if (vmalert != null) {
                vmalert.destroy();
                if (!vmalert.waitFor(15, TimeUnit.SECONDS)) {
                    vmalert.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            servers.forEach(s -> s.stop(0));
        }
    }

    private void compare(String url, Process vmalert) throws Exception {
        String job = "job=\"" + Catalog.BACKEND_JOB + "\"";
        try (HttpLayer http = new HttpLayer(HttpOptions.defaults())) {
            PrometheusClient client = new PrometheusClient(http, url);
            // a recording evaluated once both instances had been scraped for 10 s (a rate over several samples of
            // each, every series searchable)
            double[] recordedAt = {Double.NaN};
            String[] last = {"nothing"};
            try {
                Polls.await(Duration.ofSeconds(120), () -> {
                    QueryResult firstScrapes = client.query("min(tfirst_over_time(up{" + job + "}[5m])) and on()"
                            + " count(up{" + job + "} == 1) == 2", Instant.now(), client.budget());
                    // an evaluation that found the series (not only the part every recording holds): under load
                    // VictoriaMetrics may answer an evaluation before it shows samples just written
                    QueryResult rec = client.query("min(timestamp(exlm:frame:cpu_usage_percent{" + PrometheusSource.PART
                            + "!=\"" + PrometheusSource.EVALUATED + "\"}))", Instant.now(), client.budget());
                    QueryResult found = client.query("count(count by (__name__) ({__name__=~\"exlm:frame:.+\", "
                            + PrometheusSource.PART + "!=\"" + PrometheusSource.EVALUATED + "\"}))", Instant.now(),
                            client.budget());
                    last[0] = "scrapes " + firstScrapes + ", recording " + rec + ", found " + found;
                    if (!firstScrapes.isEmpty() && !rec.isEmpty() && !found.isEmpty()
                            && found.series().get(0).value() == frameQueries() - 1
                            && rec.series().get(0).value() > firstScrapes.series().get(0).value() + 10) {
                        recordedAt[0] = rec.series().get(0).value();
                        return true;
                    }
                    return false;
                }, vmalert, "vmalert");
            } catch (AssertionError e) {
                throw new AssertionError("no recording of the frame after 10 s of scrapes of each instance; last: "
                        + last[0] + "; vmalert's log: " + Files.readString(dir.resolve("vmalert.log")), e);
            }
            Instant evaluated = Instant.ofEpochMilli(Math.round(recordedAt[0] * 1000));
            // every sample up to the evaluation stored: each instance has a scrape stamped after it
            String after = "count(timestamp(up{" + job + "}) > " + evaluated.getEpochSecond() + ") == 2";
            Polls.await(Duration.ofSeconds(30), "a scrape of both instances after " + evaluated,
                    () -> !client.query(after, Instant.now(), client.budget()).isEmpty());

            List<String> recordedLog = new ArrayList<>();
            Snapshot recorded;
            try (PrometheusSource s = new PrometheusSource(client, Combination.defaults(), PanelId.WINDOW,
                    Scope.BACKEND, PanelId.queryGroups()).recordings(PanelId.WINDOW).log(recordedLog::add)) {
                recorded = s.snapshot(evaluated.plusSeconds(1));
            }
            Snapshot queried;
            try (PrometheusSource s = new PrometheusSource(client, Combination.defaults(), PanelId.WINDOW,
                    Scope.BACKEND, PanelId.queryGroups())) {
                queried = s.snapshot(Instant.ofEpochMilli(recorded.timeMillis()));
            }
            int frame = PrometheusSource.queries(Scope.BACKEND, Combination.defaults(), PanelId.WINDOW,
                    PanelId.queryGroups()).size();
            // every query read from its recording, Celery's empty one too (its evaluation found the other panels'
            // series): none sent
            assertThat(recordedLog).as("every query of the frame read from its recording").anySatisfy(l -> assertThat(
                    l).contains(frame + " read from the " + PrometheusSource.FRAME_GROUP));
            assertThat(recorded.recorded()).isNotNull();
            assertThat(recorded.recorded().queries()).isEqualTo(frame);
            assertThat(recorded.timeMillis()).as("of the recordings' evaluation").isEqualTo(evaluated.toEpochMilli());
            assertThat(queried.missing()).as("the panels' metrics, all there but Celery's").containsExactlyInAnyOrder(
                    "celery_tasks_pending", "celery_tasks_active");
            assertThat(recorded.missing()).isEqualTo(queried.missing());

            // the figures that move, there and not 0 in both
            for (Snapshot s : List.of(queried, recorded)) {
                assertThat(s.derived().requestsPerSecond().value()).as("rps").isPositive();
                assertThat(s.derived().errorRatio().value()).as("error rate").isPositive();
                assertThat(s.derived().cacheHitRatio().available()).as("cache hit ratio").isTrue();
                assertThat(s.reading("http_requests_total").series()).as("request rates").allSatisfy(x -> assertThat(
                        x.rate().available()).as(x.labels().toString()).isTrue()).isNotEmpty();
                assertThat(s.reading("cache_hits").series()).allSatisfy(x -> assertThat(x.rate().available())
                        .isTrue()).isNotEmpty();
                assertThat(s.derived().gauges().get("cpu_usage_percent").instances()).isEqualTo(2);
            }
            assertThat(recorded.reading("error_count").exposedAs()).isEqualTo(queried.reading("error_count")
                    .exposedAs());
            assertThat(recorded.reading("http_requests_total").series().stream().map(Snapshot.Series::labels)
                    .toList()).isEqualTo(queried.reading("http_requests_total").series().stream().map(
                            Snapshot.Series::labels).toList());

            // the whole document, to VictoriaMetrics' precision; but a counter's lifetime total, which a recording
            // stamped T holds as VictoriaMetrics had it up to its -search.latencyOffset (1 s, LocalRuntime's)
            // before T: its query's answer at T, or at most one scrape (1 s) before that, so between the queries'
            // totals at T minus two scrapes and at T (the rates, over the window, do not change with the counters'
            // steady growth)
            Snapshot before;
            try (PrometheusSource s = new PrometheusSource(client, Combination.defaults(), PanelId.WINDOW,
                    Scope.BACKEND, PanelId.queryGroups())) {
                before = s.snapshot(Instant.ofEpochMilli(recorded.timeMillis()).minusSeconds(2));
            }
            ObjectNode a = JSON.valueToTree(recorded.document());
            a.remove("recordings");
            JsonNode b = JSON.valueToTree(queried.document());
            List<String> differences = new ArrayList<>();
            diff("", a, b, JSON.valueToTree(before.document()), differences);
            assertThat(differences).as("the recorded frame against the queried one").isEmpty();

            // and through the command, as on-call runs it against the sharded topology's store
            Cli.Result viaRecordings = Cli.exec("metrics", "--source", "prometheus", "--prometheus-url", url, "-o",
                    "json", "-v");
            assertThat(viaRecordings.exitCode()).as(viaRecordings.toString()).isZero();
            // at this moment's evaluation, which finds the series now that they exist: every query read
            assertThat(viaRecordings.err()).contains(frame + " read from the " + PrometheusSource.FRAME_GROUP);
            JsonNode doc = JSON.readTree(viaRecordings.out());
            assertThat(doc.at("/recordings/queries").asInt()).isEqualTo(frame);
            // read, and read right: an empty recording taken for an empty answer where the series exist would show
            // here as a panel's metric missing
            List<String> missing = new ArrayList<>();
            doc.path("missing").forEach(m -> missing.add(m.asText()));
            assertThat(missing).as(viaRecordings.out()).containsExactlyInAnyOrder("celery_tasks_pending",
                    "celery_tasks_active");
        }
    }

    /**
     * {@code body} at its {@code n}th scrape: the samples of its counters and histograms (not their _created) grown
     * by a tenth of their value at each scrape, a histogram's +Inf bucket and count by 0.0003 more, so that no
     * percentile's rank falls exactly on a bucket's count (where the percentile jumps to the next bucket's bound,
     * and VictoriaMetrics' 12 digits would decide which).
     */
    private static String grown(String body, int n) {
        StringBuilder out = new StringBuilder();
        String type = "";
        for (String line : body.split("\n", -1)) {
            if (line.startsWith("# TYPE ")) {
                String[] w = line.split(" ");
                type = w.length > 3 ? w[3] : "";
            } else if (!line.startsWith("#") && !line.isEmpty() && (type.equals("counter")
                    || type.equals("histogram")) && !line.contains("_created")) {
                int sp = line.lastIndexOf(' ');
                String name = line.substring(0, sp);
                boolean all = type.equals("histogram") && (name.contains("le=\"+Inf\"")
                        || name.replaceFirst("\\{.*", "").endsWith("_count"));
                line = name + " " + (Double.parseDouble(line.substring(sp + 1)) * (1 + n / 10.0)
                        + (all ? 0.0003 * n : 0));
            }
            out.append(line).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    /** A counter's lifetime total in a snapshot's document: a counter's value or sum, a count by a label. */
    private static final java.util.regex.Pattern TOTAL = java.util.regex.Pattern.compile(
            "/metrics/(http_requests_total|http_request_duration_seconds|model_training_total|dataset_processing_total"
            + "|error_count)/\\d+/(value|sum)|/metrics/(cache_hits|cache_misses)|/derived/(errors_by_type"
            + "|training_jobs|dataset_jobs)/.*");

    /**
     * The differences of {@code a} from {@code b}: numbers to {@link #PRECISION} (relative), all else exactly; a
     * counter's total ({@link #TOTAL}) between {@code low}'s and {@code b}'s.
     */
    private static void diff(String path, JsonNode a, JsonNode b, JsonNode low, List<String> out) {
        if (a.isNumber() && b.isNumber()) {
            double x = a.asDouble();
            double y = b.asDouble();
            double slack = PRECISION * Math.max(1, Math.max(Math.abs(x), Math.abs(y)));
            if (TOTAL.matcher(path).matches() && low != null && low.isNumber()) {
                if (x < low.asDouble() - slack || x > y + slack) {
                    out.add(path + ": " + x + " not within " + low.asDouble() + ".." + y);
                }
            } else if (Math.abs(x - y) > slack) {
                out.add(path + ": " + x + " != " + y);
            }
            return;
        }
        if (a.isObject() && b.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!b.has(e.getKey())) {
                    out.add(path + "/" + e.getKey() + ": only recorded");
                } else {
                    diff(path + "/" + e.getKey(), e.getValue(), b.get(e.getKey()), low == null ? null
                            : low.get(e.getKey()), out);
                }
            }
            b.fieldNames().forEachRemaining(k -> {
                if (!a.has(k)) {
                    out.add(path + "/" + k + ": only queried");
                }
            });
            return;
        }
        if (a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                diff(path + "/" + i, a.get(i), b.get(i), low == null ? null : low.get(i), out);
            }
            return;
        }
        if (!a.equals(b)) {
            out.add(path + ": " + a + " != " + b);
        }
    }

    private static int frameQueries() {
        return PrometheusSource.queries(Scope.BACKEND, Combination.defaults(), PanelId.WINDOW, PanelId.queryGroups())
                .size();
    }
}
