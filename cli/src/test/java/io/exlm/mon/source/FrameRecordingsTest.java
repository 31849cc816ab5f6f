package io.exlm.mon.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.panel.PanelId;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.stack.StackFiles;
import io.exlm.mon.testing.Launcher;
import io.exlm.mon.testing.ScriptedPrometheus;
import io.exlm.mon.testing.ScriptedPrometheus.Series;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus source's frame read from its recordings (the rule group exlm-frame): the shipped rules are the
 * frame's queries, a recording serves only its own query and only while it is fresh, and it gives the very reading
 * that its query would. Against a real Prometheus: FrameRecordingsIT.
 */
class FrameRecordingsTest {
    private static final Duration W = PanelId.WINDOW;
    private static final Instant AT = Instant.ofEpochSecond(ScriptedPrometheus.ANSWERED_AT);

    @Test
    void theShippedRulesAreTheFramesQueries() throws Exception {
        String generated = PrometheusSource.frameRules(W, PanelId.queryGroups());
        String committed = Files.readString(Launcher.root().resolve("stack").resolve(StackFiles.FRAME),
                StandardCharsets.UTF_8);
        assertThat(committed).as(StackFiles.FRAME + " is generated from the panel specification: run"
                + " scripts/regenerate-docs").isEqualTo(generated);
        assertThat(StackFiles.text(StackFiles.FRAME)).isEqualTo(committed);
        assertThat(StackFiles.RULES).contains(StackFiles.FRAME);
        // each query of the frame is there, under its fingerprint
        for (PrometheusSource.Query q : PrometheusSource.queries(Scope.BACKEND, Combination.defaults(), W,
                PanelId.queryGroups())) {
            assertThat(committed).contains("record: " + PrometheusSource.recordName(q) + "\n")
                    .contains("expr: '" + PrometheusSource.recordedExpr(q) + "'\n        labels:\n          "
                            + PrometheusSource.FINGERPRINT + ": '" + PrometheusSource.fingerprint(q.promql()) + "'");
        }
    }

    @Test
    void aFingerprintChangesWithItsQuery() {
        List<PrometheusSource.Query> a = PrometheusSource.queries(Scope.BACKEND, Combination.defaults(), W,
                PanelId.queryGroups());
        List<PrometheusSource.Query> b = PrometheusSource.queries(Scope.BACKEND.withInstance("10.0.0.5:8000"),
                Combination.defaults(), W, PanelId.queryGroups());
        List<PrometheusSource.Query> c = PrometheusSource.queries(Scope.BACKEND, Combination.defaults(),
                Duration.ofMinutes(5), PanelId.queryGroups());
        for (int i = 0; i < a.size(); i++) {
            String f = PrometheusSource.fingerprint(a.get(i).promql());
            assertThat(f).matches("[0-9a-f]{12}").isNotEqualTo(PrometheusSource.fingerprint(b.get(i).promql()));
            // a gauge's query has no window: the same query, the same recording
            assertThat(f.equals(PrometheusSource.fingerprint(c.get(i).promql()))).as(a.get(i).promql())
                    .isEqualTo(!a.get(i).promql().contains("[1m]"));
        }
    }

    private static Map<String, List<Series>> parts() {
        Map<String, List<Series>> parts = new LinkedHashMap<>();
        parts.put("cpu_usage_percent:value", List.of(new Series(Map.of(), "93")));
        parts.put("cpu_usage_percent:instances", List.of(new Series(Map.of(), "2")));
        parts.put("cpu_usage_percent:instance", List.of(new Series(Map.of("instance", "a:8000"), "93"),
                new Series(Map.of("instance", "b:8000"), "12")));
        parts.put("error_count:value", List.of(
                new Series(Map.of("__name__", "error_count", "type", "database"), "2"),
                new Series(Map.of("__name__", "error_count_total", "type", "database"), "5")));
        parts.put("error_count:rate", List.of(new Series(Map.of("type", "database"), "0.25")));
        return parts;
    }

    /** Every query of the default frame, as sent. */
    private static List<String> frameQueries() {
        return PrometheusSource.queries(Scope.BACKEND, Combination.defaults(), W, PanelId.queryGroups()).stream()
                .map(PrometheusSource.Query::promql).toList();
    }

    private static Snapshot read(Map<String, List<Series>> script, boolean recordings, Scope scope,
            List<String> asked) throws Exception {
        try (ScriptedPrometheus p = new ScriptedPrometheus(script, List.of("cpu_usage_percent", "error_count"));
                io.exlm.mon.http.HttpLayer http = new io.exlm.mon.http.HttpLayer(
                        io.exlm.mon.http.HttpOptions.defaults());
                PrometheusSource source = new PrometheusSource(new PrometheusClient(http, p.url()),
                        Combination.defaults(), W, scope, PanelId.queryGroups())) {
            if (recordings) {
                source.recordings(W);
            }
            Snapshot s = source.snapshot(AT);
            asked.addAll(p.unknown());
            return s;
        }
    }

    private static String figures(Snapshot s) {
        Snapshot.Reading cpu = s.reading("cpu_usage_percent");
        Snapshot.Reading errors = s.reading("error_count");
        return cpu.present() + " " + cpu.series() + " " + errors.exposedAs() + " " + errors.series();
    }

    @Test
    void aFreshRecordingGivesTheReadingItsQueryWould() throws Exception {
        Map<String, List<Series>> raw = ScriptedPrometheus.frame(Scope.BACKEND, Combination.defaults(), W, parts());
        List<String> askedRaw = new java.util.ArrayList<>();
        Snapshot direct = read(raw, false, Scope.BACKEND, askedRaw);
        assertThat(askedRaw).isEmpty();

        // evaluated 29 s before the frame: read, and the queries themselves never sent
        Map<String, List<Series>> recorded = new LinkedHashMap<>(ScriptedPrometheus.recordedFrame(W, parts(),
                ScriptedPrometheus.ANSWERED_AT - 29));
        recorded.put(PrometheusSource.coverageQuery(Scope.BACKEND, W), List.of());
        List<String> asked = new java.util.ArrayList<>();
        Snapshot fromRecordings = read(recorded, true, Scope.BACKEND, asked);
        assertThat(asked).as("queries sent beside the recordings").isEmpty();
        assertThat(figures(fromRecordings)).isEqualTo(figures(direct)).contains("error_count ").contains("93.0");
        assertThat(fromRecordings.reading("error_count").exposedAs()).isEqualTo("error_count");
        // of the recordings' evaluation, not of the frame's time, and saying so
        int frame = PrometheusSource.queries(Scope.BACKEND, Combination.defaults(), W, PanelId.queryGroups()).size();
        assertThat(fromRecordings.timeMillis()).isEqualTo((ScriptedPrometheus.ANSWERED_AT - 29) * 1000);
        assertThat(fromRecordings.recorded()).isEqualTo(new Snapshot.Recorded(PrometheusSource.FRAME_GROUP, frame,
                frame, (ScriptedPrometheus.ANSWERED_AT - 29) * 1000, AT.toEpochMilli()));
        assertThat(fromRecordings.document().recordings().ageSeconds()).isEqualTo(29.0);
        assertThat(direct.recorded()).isNull();
        assertThat(direct.timeMillis()).isEqualTo(AT.toEpochMilli());
        // the whole snapshot, but for the address of the server that answered and its time
        assertThat(asked(fromRecordings, AT).document().toString().replace(fromRecordings.source(), "URL"))
                .as("the whole snapshot").isEqualTo(direct.document().toString().replace(direct.source(), "URL"));
    }

    /** {@code s} as if asked for at {@code at}, without recordings. */
    private static Snapshot asked(Snapshot s, Instant at) {
        return new Snapshot(s.source(), s.kind(), at.toEpochMilli(), s.window(), s.metrics(), s.latency(),
                s.derived(), s.coverage(), null);
    }

    @Test
    void theOldestRecordingReadIsTheFramesTime() throws Exception {
        // every recording evaluated 5 s before the frame, but the error count's 20 s before it
        Map<String, List<Series>> recorded = new LinkedHashMap<>(ScriptedPrometheus.recordedFrame(W, parts(),
                ScriptedPrometheus.ANSWERED_AT - 5));
        PrometheusSource.Query errors = PrometheusSource.queries(Scope.BACKEND, Combination.defaults(), W,
                PanelId.queryGroups()).stream().filter(q -> q.metrics().get(0).name().equals("error_count"))
                .findFirst().orElseThrow();
        Map<String, List<Series>> older = ScriptedPrometheus.recordedFrame(W, parts(), ScriptedPrometheus
                .ANSWERED_AT - 20);
        recorded.put(PrometheusSource.recordedQuery(errors), older.get(PrometheusSource.recordedQuery(errors)));
        recorded.put(PrometheusSource.coverageQuery(Scope.BACKEND, W), List.of());
        List<String> asked = new java.util.ArrayList<>();
        Snapshot s = read(recorded, true, Scope.BACKEND, asked);
        assertThat(asked).isEmpty();
        assertThat(s.timeMillis()).isEqualTo((ScriptedPrometheus.ANSWERED_AT - 20) * 1000);
        assertThat(s.recorded().age()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void anEmptyRecordingIsTheEmptyAnswerWhenItsEvaluationFoundOtherPanelsSeries() throws Exception {
        // the parts have no Celery series: its recording holds only the part every recording has, and a time
        Map<String, List<Series>> recorded = new LinkedHashMap<>(ScriptedPrometheus.recordedFrame(W, parts(),
                ScriptedPrometheus.ANSWERED_AT - 10));
        recorded.put(PrometheusSource.coverageQuery(Scope.BACKEND, W), List.of());
        PrometheusSource.Query celery = PrometheusSource.queries(Scope.BACKEND, Combination.defaults(), W,
                PanelId.queryGroups()).stream().filter(q -> q.metrics().get(0).name().equals("celery_tasks_pending"))
                .findFirst().orElseThrow();
        assertThat(recorded.get(PrometheusSource.recordedQuery(celery))).extracting(x -> x.labels().get(
                PrometheusSource.PART)).containsExactlyInAnyOrder(PrometheusSource.EVALUATED,
                PrometheusSource.RECORDED_AT);
        List<String> asked = new java.util.ArrayList<>();
        Snapshot s = read(recorded, true, Scope.BACKEND, asked);
        // the same evaluation found the CPU's and the errors' series: Celery's empty recording is its empty answer
        assertThat(asked).as("the query of an empty recording is not sent again").isEmpty();
        assertThat(s.reading("celery_tasks_pending").present()).isFalse();
        assertThat(s.reading("cpu_usage_percent").series().get(0).value()).isEqualTo(93.0);
        assertThat(s.recorded().queries()).isEqualTo(frameQueries().size());

        // an empty recording of another evaluation than those that found series: its query decides
        Map<String, List<Series>> other = new LinkedHashMap<>(recorded);
        other.put(PrometheusSource.recordedQuery(celery), ScriptedPrometheus.recordedFrame(W, parts(),
                ScriptedPrometheus.ANSWERED_AT - 25).get(PrometheusSource.recordedQuery(celery)));
        asked.clear();
        read(other, true, Scope.BACKEND, asked);
        assertThat(asked).containsExactly(celery.promql());

        // a recording of rules from before that part: empty, no time; its query is sent
        Map<String, List<Series>> old = new LinkedHashMap<>(recorded);
        old.put(PrometheusSource.recordedQuery(celery), List.of());
        asked.clear();
        read(old, true, Scope.BACKEND, asked);
        assertThat(asked).containsExactly(celery.promql());
    }

    @Test
    void anEvaluationThatFoundNothingIsNotReadEveryQueryIsSent() throws Exception {
        // every recording of one evaluation empty: it may have come before the store showed samples just written
        // (VictoriaMetrics under load), and a frame of missing panels would be a false red
        Map<String, List<Series>> blind = new LinkedHashMap<>(ScriptedPrometheus.recordedFrame(W, Map.of(),
                ScriptedPrometheus.ANSWERED_AT - 10));
        blind.put(PrometheusSource.coverageQuery(Scope.BACKEND, W), List.of());
        List<String> asked = new java.util.ArrayList<>();
        Snapshot s = read(blind, true, Scope.BACKEND, asked);
        assertThat(asked).as("every query of the frame sent").containsExactlyInAnyOrderElementsOf(frameQueries());
        assertThat(s.recorded()).as("no recording served").isNull();
        assertThat(s.timeMillis()).isEqualTo(AT.toEpochMilli());
    }

    @Test
    void everyRecordingHoldsAPartWhateverItsQueryFinds() {
        for (PrometheusSource.Query q : PrometheusSource.queries(Scope.BACKEND, Combination.defaults(), W,
                PanelId.queryGroups())) {
            assertThat(PrometheusSource.recordedExpr(q)).endsWith(" or label_replace(vector(1), \"" + PrometheusSource
                    .PART + "\", \"" + PrometheusSource.EVALUATED + "\", \"\", \"\")");
        }
    }

    @Test
    void aStaleOrAbsentRecordingIsNotRead() throws Exception {
        // the recordings say 93 %; the queries themselves 55 %: which one was read shows in the figure
        Map<String, List<Series>> newer = new LinkedHashMap<>(parts());
        newer.put("cpu_usage_percent:value", List.of(new Series(Map.of(), "55")));
        Map<String, List<Series>> both = new LinkedHashMap<>(ScriptedPrometheus.frame(Scope.BACKEND, Combination.defaults(), W, newer));
        both.putAll(ScriptedPrometheus.recordedFrame(W, parts(), ScriptedPrometheus.ANSWERED_AT - 31));
        List<String> asked = new java.util.ArrayList<>();
        Snapshot stale = read(both, true, Scope.BACKEND, asked);
        assertThat(asked).isEmpty();
        assertThat(stale.reading("cpu_usage_percent").series().get(0).value()).isEqualTo(55.0);

        // no recordings at all (a Prometheus without the rules): the queries themselves
        Map<String, List<Series>> none = ScriptedPrometheus.frame(Scope.BACKEND, Combination.defaults(), W, newer);
        asked.clear();
        Snapshot absent = read(none, true, Scope.BACKEND, asked);
        assertThat(asked).as("only the recordings were asked for and not found").allSatisfy(q -> assertThat(q)
                .contains(PrometheusSource.FINGERPRINT));
        assertThat(absent.reading("cpu_usage_percent").series().get(0).value()).isEqualTo(55.0);
    }

    @Test
    void anotherScopeNeverAsksForTheRecordings() throws Exception {
        Scope one = Scope.BACKEND.withInstance("a:8000");
        Map<String, List<Series>> raw = ScriptedPrometheus.frame(one, Combination.defaults(), W, parts());
        List<String> asked = new java.util.ArrayList<>();
        Snapshot s = read(raw, true, one, asked);
        assertThat(asked).isEmpty();
        assertThat(s.reading("cpu_usage_percent").series().get(0).value()).isEqualTo(93.0);
    }

    @Test
    void aRecordingsAnswerInItsQuerysForm() {
        io.exlm.mon.promql.QueryResult r = new io.exlm.mon.promql.QueryResult("vector", List.of(
                series(Map.of("__name__", "exlm:frame:error_count", PrometheusSource.FINGERPRINT, "0123456789ab",
                        PrometheusSource.PART, "error_count:value", PrometheusSource.NAME, "error_count_total",
                        "type", "database"), 5),
                series(Map.of(PrometheusSource.PART, PrometheusSource.RECORDED_AT), AT.getEpochSecond() - 10)));
        io.exlm.mon.promql.QueryResult out = PrometheusSource.fromRecording(r, AT);
        assertThat(out).isNotNull();
        assertThat(out.series()).hasSize(1);
        assertThat(out.series().get(0).metric().asMap()).isEqualTo(Map.of("__name__", "error_count_total",
                PrometheusSource.PART, "error_count:value", "type", "database"));
        // 30 s is the most: one evaluation of the group missed
        assertThat(PrometheusSource.fromRecording(withEvaluation(r, AT.getEpochSecond() - 30), AT)).isNotNull();
        assertThat(PrometheusSource.fromRecording(withEvaluation(r, AT.getEpochSecond() - 31), AT)).isNull();
        assertThat(PrometheusSource.fromRecording(new io.exlm.mon.promql.QueryResult("vector", List.of(
                r.series().get(0))), AT)).as("no time of evaluation").isNull();
        assertThat(PrometheusSource.evaluatedAt(r, AT)).isEqualTo(AT.toEpochMilli() - 10_000);
        // the part every recording holds is no series of the answer
        io.exlm.mon.promql.QueryResult withPart = new io.exlm.mon.promql.QueryResult("vector", List.of(
                r.series().get(0), r.series().get(1), series(Map.of("__name__", "exlm:frame:error_count",
                        PrometheusSource.FINGERPRINT, "0123456789ab", PrometheusSource.PART,
                        PrometheusSource.EVALUATED), 1)));
        assertThat(PrometheusSource.fromRecording(withPart, AT).series()).isEqualTo(out.series());
    }

    private static io.exlm.mon.promql.QueryResult withEvaluation(io.exlm.mon.promql.QueryResult r, long at) {
        return new io.exlm.mon.promql.QueryResult("vector", List.of(r.series().get(0),
                series(Map.of(PrometheusSource.PART, PrometheusSource.RECORDED_AT), at)));
    }

    private static io.exlm.mon.promql.QueryResult.Series series(Map<String, String> labels, double v) {
        return new io.exlm.mon.promql.QueryResult.Series(io.exlm.mon.expo.Labels.of(labels), List.of(
                new io.exlm.mon.promql.PromMath.Point(AT.toEpochMilli(), v)));
    }
}
