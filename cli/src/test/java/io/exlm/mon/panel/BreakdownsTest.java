package io.exlm.mon.panel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.exlm.mon.expo.ExpositionFormat;
import io.exlm.mon.expo.ParseMode;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.source.Combination;
import io.exlm.mon.source.Snapshot;
import io.exlm.mon.source.Snapshots;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The breakdowns Enter shows: their labels and PromQL from the panel specification, and a scrape's own. */
class BreakdownsTest {
    private static Scrape scrape(String body, long at) throws Exception {
        return Scrape.read(body.getBytes(StandardCharsets.UTF_8), ExpositionFormat.PROMETHEUS_TEXT, ParseMode.LENIENT,
                "t.txt", at);
    }

    private static final String BODY = """
            # TYPE http_requests_total counter
            http_requests_total{method="GET",handler="/a",status="200"} %d
            http_requests_total{method="GET",handler="/a",status="500"} %d
            http_requests_total{method="GET",handler="/b",status="200"} %d
            # TYPE error_count_total counter
            error_count_total{type="database"} %d
            error_count_total{type="timeout"} %d
            # TYPE cpu_usage_percent gauge
            cpu_usage_percent 42
            """;

    private static Snapshot tenSeconds() throws Exception {
        return Snapshots.between(scrape(BODY.formatted(0, 0, 0, 0, 0), 0), scrape(BODY.formatted(50, 50, 100, 30,
                10), 10_000));
    }

    private static Breakdown.Cut cut(Breakdown b, String label) {
        return b.cuts().stream().filter(c -> c.label().equals(label)).findFirst().orElseThrow();
    }

    @Test
    void theScrapesSeriesBrokenDownByEachLabelOfThePanel() throws Exception {
        Snapshot s = tenSeconds();
        Breakdown errors = Breakdowns.fromSnapshot(PanelId.ERROR_RATE, s, "127.0.0.1:8000");
        assertThat(errors.cuts()).extracting(Breakdown.Cut::label).containsExactly("handler", "instance");
        // /a: 5 of 10 req/s are 5xx; /b none
        assertThat(cut(errors, "handler").rows()).extracting(Breakdown.Row::value).containsExactly("/a", "/b");
        assertThat(cut(errors, "handler").rows().get(0).figure()).isCloseTo(0.5, within(1e-12));
        assertThat(cut(errors, "handler").rows().get(1).figure()).isZero();
        // the one instance a scrape reads, with the panel's own figure (5 of 20 req/s), and saying so
        Breakdown.Cut instance = cut(errors, "instance");
        assertThat(instance.rows()).containsExactly(new Breakdown.Row("127.0.0.1:8000", 0.25));
        assertThat(instance.note()).isEqualTo(Breakdowns.ONE_INSTANCE);

        Breakdown rps = Breakdowns.fromSnapshot(PanelId.REQUEST_RATE, s, "x:1");
        assertThat(cut(rps, "status").rows()).containsExactly(new Breakdown.Row("200", 15),
                new Breakdown.Row("500", 5));
        Breakdown types = Breakdowns.fromSnapshot(PanelId.ERRORS_BY_TYPE, s, "x:1");
        assertThat(cut(types, "type").rows()).containsExactly(new Breakdown.Row("database", 3),
                new Breakdown.Row("timeout", 1));
        assertThat(cut(Breakdowns.fromSnapshot(PanelId.LATENCY, s, "x:1"), "handler").reason())
                .startsWith("http_request_duration_seconds is not exposed");
        assertThat(cut(Breakdowns.fromSnapshot(PanelId.CPU, s, "x:1"), "instance").rows())
                .containsExactly(new Breakdown.Row("x:1", 42));
    }

    @Test
    void aFirstScrapeHasNoRatesAndSaysSo() throws Exception {
        Snapshot first = Snapshots.of(scrape(BODY.formatted(1, 1, 1, 1, 1), 0), io.exlm.mon.source.ScrapeSource
                .NEXT_SCRAPE, Combination.defaults());
        assertThat(cut(Breakdowns.fromSnapshot(PanelId.REQUEST_RATE, first, "x:1"), "handler").reason())
                .isEqualTo(io.exlm.mon.source.ScrapeSource.NEXT_SCRAPE);
    }

    @Test
    void moreRowsThanTheCapAreCutAndSaidHighestFirst() {
        java.util.Map<String, Double> values = new java.util.TreeMap<>();
        for (int i = 0; i < PanelId.BREAKDOWN_ROWS + 3; i++) {
            values.put("/h" + i, (double) i);
        }
        values.put("/nan", Double.NaN);
        Breakdown.Cut c = Breakdowns.cut("handler", PanelId.REQUEST_RATE, values, "none");
        assertThat(c.rows()).hasSize(PanelId.BREAKDOWN_ROWS);
        assertThat(c.more()).isTrue();
        assertThat(c.rows().get(0).value()).isEqualTo("/h" + (PanelId.BREAKDOWN_ROWS + 2));
        assertThat(c.rows()).noneMatch(r -> r.value().equals("/nan"));
        assertThat(Breakdowns.cut("handler", PanelId.REQUEST_RATE, java.util.Map.of(), "no series").reason())
                .isEqualTo("no series");
    }

    private static final String JOBS = """
            # TYPE model_training_total counter
            model_training_total{status="started"} 6
            model_training_total{status="completed"} 4
            model_training_total{status="failed"} 2
            # TYPE dataset_processing_total counter
            dataset_processing_total{status="completed"} 9
            dataset_processing_total{status="failed"} 1
            """;

    /**
     * Started, completed and failed count one job at its stages: the jobs by instance are a figure per instance and
     * status (in the order the panel shows the statuses), never their sum (6 + 4 + 2 = 12 counts nothing), from a
     * scrape as from Prometheus; by status they are the panel's own bars.
     */
    @Test
    void theJobsByInstanceKeepTheirStatusApart() throws Exception {
        Snapshot s = Snapshots.of(scrape(JOBS, 0), io.exlm.mon.source.ScrapeSource.NEXT_SCRAPE,
                Combination.defaults());
        Breakdown training = Breakdowns.fromSnapshot(PanelId.TRAINING, s, "x:1");
        assertThat(cut(training, "instance").rows()).containsExactly(new Breakdown.Row("x:1", "started", 6),
                new Breakdown.Row("x:1", "completed", 4), new Breakdown.Row("x:1", "failed", 2));
        assertThat(cut(training, "instance").rows().get(2).name()).isEqualTo("x:1 failed");
        assertThat(cut(training, "instance").notes()).containsExactly(Breakdowns.JOB_TOTALS,
                Breakdowns.ONE_INSTANCE);
        assertThat(cut(training, "status").rows()).containsExactly(new Breakdown.Row("started", 6),
                new Breakdown.Row("completed", 4), new Breakdown.Row("failed", 2));
        assertThat(cut(Breakdowns.fromSnapshot(PanelId.DATASETS, s, "x:1"), "instance").rows()).containsExactly(
                new Breakdown.Row("x:1", "completed", 9), new Breakdown.Row("x:1", "failed", 1));

        // the same cut from Prometheus's answer to the panel's PromQL, two instances: a row per instance and status,
        // each instance's rows together (the one of the highest row first), in the panel's order of statuses
        String m = io.exlm.mon.source.Scope.BACKEND.promql();
        String promql = PanelId.TRAINING.cut("instance", m, PanelId.WINDOW, Combination.defaults());
        assertThat(promql).isEqualTo("sum by (instance, status) (" + io.exlm.mon.source.Formulas.selector(
                io.exlm.mon.source.Catalog.byName("model_training_total"), m) + ")");
        java.util.Map<String, java.util.List<io.exlm.mon.testing.ScriptedPrometheus.Series>> script =
                new java.util.HashMap<>();
        script.put(promql, java.util.List.of(series("5", "a:1", "failed"), series("9", "a:1", "started"),
                series("7", "b:1", "started"), series("2", "b:1", "completed")));
        try (io.exlm.mon.testing.ScriptedPrometheus p = new io.exlm.mon.testing.ScriptedPrometheus(script,
                java.util.List.of());
                io.exlm.mon.http.HttpLayer http = new io.exlm.mon.http.HttpLayer(
                        io.exlm.mon.http.HttpOptions.defaults())) {
            Breakdown b = Breakdowns.fromPrometheus(PanelId.TRAINING, new io.exlm.mon.promql.PrometheusClient(http,
                    p.url()), io.exlm.mon.source.Scope.BACKEND, PanelId.WINDOW, Combination.defaults(),
                    java.util.List.of("instance"), null, null);
            assertThat(p.unknown()).isEmpty();
            assertThat(cut(b, "instance").rows()).containsExactly(new Breakdown.Row("a:1", "started", 9),
                    new Breakdown.Row("a:1", "failed", 5), new Breakdown.Row("b:1", "started", 7),
                    new Breakdown.Row("b:1", "completed", 2));
        }
    }

    @Test
    void aCappedJobsCutKeepsWholeInstancesNeverDroppingTheirFailedRows() throws Exception {
        // four instances of three statuses: twelve rows over the cap of ten; topk would drop two instances' failed
        // (their smallest) rows, which would read as none failed there
        String m = io.exlm.mon.source.Scope.BACKEND.promql();
        String promql = PanelId.TRAINING.cut("instance", m, PanelId.WINDOW, Combination.defaults());
        java.util.List<io.exlm.mon.testing.ScriptedPrometheus.Series> all = new java.util.ArrayList<>();
        for (String i : java.util.List.of("a:1", "b:1", "c:1", "d:1")) {
            all.add(series("90", i, "started"));
            all.add(series("80", i, "completed"));
            all.add(series("1", i, "failed"));
        }
        try (io.exlm.mon.testing.ScriptedPrometheus p = new io.exlm.mon.testing.ScriptedPrometheus(java.util.Map.of(
                promql, all), java.util.List.of());
                io.exlm.mon.http.HttpLayer http = new io.exlm.mon.http.HttpLayer(
                        io.exlm.mon.http.HttpOptions.defaults())) {
            Breakdown b = Breakdowns.fromPrometheus(PanelId.TRAINING, new io.exlm.mon.promql.PrometheusClient(http,
                    p.url()), io.exlm.mon.source.Scope.BACKEND, PanelId.WINDOW, Combination.defaults(),
                    java.util.List.of("instance"), PanelId.BREAKDOWN_ROWS, null);
            assertThat(p.unknown()).isEmpty();
            java.util.List<Breakdown.Row> rows = cut(b, "instance").rows();
            assertThat(rows).hasSize(9);
            assertThat(cut(b, "instance").more()).isTrue();
            java.util.Map<String, Long> perInstance = new java.util.TreeMap<>();
            rows.forEach(r -> perInstance.merge(r.value(), 1L, Long::sum));
            assertThat(perInstance.values()).containsOnly(3L);
            assertThat(rows).filteredOn(r -> "failed".equals(r.part())).hasSize(3);
        }
    }

    private static io.exlm.mon.testing.ScriptedPrometheus.Series series(String value, String instance,
            String status) {
        java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
        labels.put("instance", instance);
        labels.put("status", status);
        return new io.exlm.mon.testing.ScriptedPrometheus.Series(labels, value);
    }

    /**
     * Every panel's cut by every label groups as {@link PanelId#grouping} says, in its PromQL's {@code by}: the label,
     * and the label kept apart only where the panel has one (the jobs' status), never for the status itself.
     */
    @Test
    void theLabelKeptApartIsInEveryCutByAnotherLabel() {
        for (PanelId id : PanelId.values()) {
            for (String label : id.cutLabels()) {
                String q = id.cut(label, "", Duration.ofMinutes(1), Combination.defaults());
                java.util.List<String> g = id.grouping(label);
                assertThat(g.get(0)).isEqualTo(label);
                if (id.apart() == null || id.apart().equals(label)) {
                    assertThat(g).as(id + " by " + label).containsExactly(label);
                } else {
                    assertThat(g).as(id + " by " + label).containsExactly(label, id.apart());
                }
                assertThat(q).as(id + " by " + label).containsPattern("by \\((le, )?" + String.join(", ", g)
                        + "\\)");
            }
        }
        assertThat(PanelId.TRAINING.apart()).isEqualTo("status");
        assertThat(PanelId.TRAINING.targets("", Duration.ofMinutes(1)).get(0).expr()).startsWith(
                "sum by (status) (");
    }

    /** Every label a panel breaks down by is in its PromQL's {@code by}, capped; the matchers reach every selector. */
    @Test
    void eachBreakdownQueryIsThePanelsFigureByItsLabel() {
        for (PanelId id : PanelId.values()) {
            assertThat(id.breakdownLabels()).as(id.toString()).contains(Combination.INSTANCE);
            for (String label : id.breakdownLabels()) {
                String q = id.breakdown(label, "job=\"j\",instance=\"i:1\"", Duration.ofMinutes(1),
                        Combination.defaults());
                assertThat(q).as(id + " by " + label).startsWith("topk(" + (PanelId.BREAKDOWN_ROWS + 1) + ", ")
                        .containsPattern("by \\((le, )?" + String.join(", ", id.grouping(label)) + "\\)");
                int selectors = q.split("\\{job=\"j\",instance=\"i:1\"").length - 1;
                int braces = q.split("\\{").length - 1;
                assertThat(selectors).as(q).isEqualTo(braces);
            }
        }
        assertThat(PanelId.ERROR_RATE.breakdown("handler", "", Duration.ofMinutes(1), Combination.defaults()))
                .isEqualTo("topk(11, " + PanelId.errorRatio("sum by (handler) ", "", Duration.ofMinutes(1)) + ")");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PanelId.CPU.breakdown("handler", "",
                Duration.ofMinutes(1), Combination.defaults())).isInstanceOf(IllegalArgumentException.class);
    }
}
