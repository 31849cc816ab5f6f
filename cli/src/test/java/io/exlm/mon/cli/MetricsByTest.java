package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.ExitCode;
import io.exlm.mon.panel.Breakdowns;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code metrics --by LABEL} from the scrape source's figures, over two fixed expositions ten seconds apart
 * ({@code inputs/by-a.prom}, {@code inputs/by-b.prom}): four handlers, of which /api/v1/models/train fails 40 % of
 * its requests and /api/v1/predict 3 %. The text and the JSON are golden files; the figures are checked against
 * what the bodies say by hand.
 */
class MetricsByTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    // relative to the test's working directory (the module's), so that the golden text's columns, which are as wide
    // as the file's name, do not depend on where the checkout lives
    private static final Path INPUTS = Path.of("").toAbsolutePath().relativize(Golden.DIR.resolve("inputs"));
    private static final String A = INPUTS.resolve("by-a.prom").toString();
    private static final String B = INPUTS.resolve("by-b.prom").toString();

    @TempDir
    Path dir;

    private static Cli.Result window(String... more) {
        List<String> args = new ArrayList<>(List.of("metrics", "--file", A, "--file", B, "--window", "10s"));
        args.addAll(List.of(more));
        Cli.Result r = Cli.exec(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private static String normalised(String out) {
        return out.replace(INPUTS.toString(), "INPUTS").replaceAll("\"time_ms\" : \\d+", "\"time_ms\" : 0");
    }

    @Test
    void textAndJsonAreGolden() throws Exception {
        Golden.assertMatches("metrics-by-files.txt", normalised(window("--by", "handler,type", "--by", "status",
                "--by", "instance").out()), "metrics --by as text");
        Golden.assertMatches("metrics-by-files.json", normalised(window("--by", "handler,status,type,instance",
                "-o", "json").out()), "metrics --by as JSON");
    }

    @Test
    void everyTableHasANameOfItsOwn() throws Exception {
        // by instance, the Jobs row is two tables (the job counts kept apart by status, and Celery): their groups are
        // one, their names are not; a name is unique in the whole document, whatever --by asks
        JsonNode by = JSON.readTree(window("--by", "handler,status,type,instance", "-o", "json").out()).get("by");
        List<String> names = by.findValuesAsText("name");
        assertThat(names).hasSize(by.size()).doesNotHaveDuplicates();
        assertThat(names).containsExactly("handler: http", "status: http", "status: application", "type: errors",
                "instance: System", "instance: HTTP traffic", "instance and status: Jobs", "instance: Jobs",
                "instance: Errors");
    }

    @Test
    void theFailingHandlerComesFirstWithItsFigures() throws Exception {
        JsonNode doc = JSON.readTree(window("--by", "handler", "-o", "json").out());
        assertThat(doc.get("by")).hasSize(1);
        JsonNode t = doc.get("by").get(0);
        assertThat(t.get("label").asText()).isEqualTo("handler");
        assertThat(t.get("columns").findValuesAsText("panel")).containsExactly("rps", "latency", "error_rate");
        assertThat(t.get("rows").findValuesAsText("value")).containsExactly("/api/v1/models/train",
                "/api/v1/predict", "/api/v1/users", "/api/v1/datasets");
        JsonNode train = t.get("rows").get(0);
        // 12 + 8 requests in 10 s, 8 of them 5xx; 10 of its 20 observations above 0.5 s: p95 in the +Inf bucket
        assertThat(train.get("rps").asDouble()).isCloseTo(2.0, within(1e-12));
        assertThat(train.get("error_rate").asDouble()).isCloseTo(0.4, within(1e-12));
        assertThat(train.get("latency").asDouble()).isCloseTo(0.5, within(1e-12));
        JsonNode predict = t.get("rows").get(1);
        assertThat(predict.get("error_rate").asDouble()).isCloseTo(0.1 / 3.1, within(1e-12));
        // 95 of 100 observations: 5 of the 10 between 0.1 and 0.5 s, interpolated as histogram_quantile does
        assertThat(t.get("rows").get(2).get("latency").asDouble()).isCloseTo(0.3, within(1e-12));
        // a 404 is no server error
        assertThat(t.get("rows").get(3).get("error_rate").asDouble()).isZero();
        assertThat(t.get("notes").get(0).asText()).startsWith("left out, no label handler: CPU, Memory");
        // the rest of the document is metrics -o json's, unchanged
        assertThat(doc.get("source").asText()).isEqualTo(B);
        assertThat(doc.at("/derived/error_ratio").asDouble()).isCloseTo(0.9 / 20.3, within(1e-12));
    }

    @Test
    void aLabelOfSomeMetricsLeavesTheOthersOutWithOneNoteNotZeroes() throws Exception {
        Cli.Result text = window("--by", "type");
        assertThat(text.out()).contains("by type: error_count", "database    0.80/s")
                .doesNotContain("CPU  ", "REQUESTS")
                .containsOnlyOnce("left out, no label type: CPU, Memory, Disk, Users, Requests/s, Latency");
        JsonNode doc = JSON.readTree(window("--by", "status", "-o", "json").out());
        // a request's status and a job's are two tables
        assertThat(doc.get("by").findValuesAsText("group")).containsExactly("http", "application");
        assertThat(doc.get("by").get(1).get("rows").get(0).get("datasets").isNull()).as("no started datasets")
                .isTrue();
        // job counts are totals on any window, as their panels' are, and the table says so (not a window's)
        assertThat(doc.get("by").get(1).get("notes").toString()).isEqualTo("[\"" + Breakdowns.JOB_TOTALS + "\"]");
    }

    /**
     * By instance, the jobs are a row per instance and status (by-b.prom: training 6 started, 4 completed, 2 failed;
     * datasets 9 completed, 1 failed), in text, JSON and CSV: never one figure that adds the statuses up (12).
     */
    @Test
    void theJobsByInstanceKeepTheirStatusApart() throws Exception {
        assertThat(window("--by", "instance").out()).contains("by instance and status: Jobs")
                .containsPattern("\\S+by-b\\.prom +started +6 +-\n\\S+by-b\\.prom +completed +4 +9\n"
                        + "\\S+by-b\\.prom +failed +2 +1\n");
        JsonNode doc = JSON.readTree(window("--by", "instance", "-o", "json").out());
        List<JsonNode> jobs = new ArrayList<>();
        doc.get("by").forEach(t -> {
            if (t.get("group").asText().equals("Jobs")) {
                jobs.add(t);
            }
        });
        assertThat(jobs).hasSize(2);
        JsonNode t = jobs.get(0);
        assertThat(t.get("apart").asText()).isEqualTo("status");
        assertThat(t.get("columns").findValuesAsText("panel")).containsExactly("training", "datasets");
        assertThat(t.get("rows").findValuesAsText("status")).containsExactly("started", "completed", "failed");
        assertThat(t.get("rows").findValues("training")).extracting(JsonNode::asDouble).containsExactly(6.0, 4.0,
                2.0);
        assertThat(t.at("/rows/0/datasets").isNull()).isTrue();
        // Celery's queue has no status: its own table, a row per instance
        assertThat(jobs.get(1).get("apart").isNull()).isTrue();
        assertThat(jobs.get(1).get("columns").findValuesAsText("panel")).containsExactly("celery");
        List<String> csv = window("--by", "instance", "-o", "csv").out().lines().toList();
        assertThat(csv).anyMatch(l -> l.matches("instance,\\S+by-b\\.prom,training,training jobs,count,2,status,"
                + "failed")).noneMatch(l -> l.matches("instance,.*,training,.*,12(,.*)?"));
    }

    @Test
    void aLabelTheCatalogDoesNotHaveIsAUsageErrorNamingTheLabels() {
        for (String format : new String[] {"text", "json"}) {
            Cli.Result r = Cli.exec("metrics", "--file", B, "--by", "handler,job", "-o", format);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.USAGE);
            assertThat(r.err()).contains("--by 'job' is not a label of the catalog's metrics; the labels are"
                    + " handler, method, status, type, instance");
            assertThat(r.out()).isEmpty();
        }
        assertThat(Cli.exec("metrics", "--file", B, "--by", "").exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(Cli.exec("metrics", "--file", B, "-o", "csv").err()).contains("use one of: text, json");
    }

    @Test
    void oneBodyGivesLifetimeTotalsAndSaysSo() throws Exception {
        Cli.Result r = Cli.exec("metrics", "--file", B, "--by", "handler");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("(one scrape: lifetime figures)", "HANDLER               REQUESTS  P95",
                Breakdowns.LIFETIME).doesNotContain("/s ");
        // the lifetime 5xx share of /api/v1/models/train: 58 of 170
        assertThat(r.out()).containsPattern("/api/v1/models/train +170 +500ms +34\\.1%\n");
        // by instance on the same footing: the one instance's lifetime totals, not "-" for want of a rate
        Cli.Result instance = Cli.exec("metrics", "--file", B, "--by", "instance");
        assertThat(instance.out()).containsPattern("REQUESTS +P95 +IN PROGRESS\n\\S+by-b\\.prom +2170 +390ms +4\n")
                .containsPattern("ERROR RATIO +ERRORS +CACHE HIT RATIO\n\\S+by-b\\.prom +3\\.0% +65 ");
    }

    @Test
    void moreRowsThanAScreenAreCutInTextAndAllThereInJsonAndCsv() throws Exception {
        StringBuilder sb = new StringBuilder("# TYPE http_requests_total counter\n");
        for (int i = 0; i < 14; i++) {
            sb.append("http_requests_total{method=\"GET\",handler=\"/h").append(i).append("\",status=\"500\"} ")
                    .append(i).append('\n');
            sb.append("http_requests_total{method=\"GET\",handler=\"/h").append(i).append("\",status=\"200\"} ")
                    .append(100).append('\n');
        }
        Path p = Files.writeString(dir.resolve("many.prom"), sb);
        Cli.Result text = Cli.exec("metrics", "--file", p.toString(), "--by", "handler");
        assertThat(text.out()).contains("/h13 ", "4 more (every value in -o json or -o csv)").doesNotContain("/h3 ");
        JsonNode doc = JSON.readTree(Cli.exec("metrics", "--file", p.toString(), "--by", "handler", "-o", "json")
                .out());
        assertThat(doc.at("/by/0/rows")).hasSize(14);
        assertThat(doc.at("/by/0/rows/0/value").asText()).isEqualTo("/h13");
        Cli.Result csv = Cli.exec("metrics", "--file", p.toString(), "--by", "handler", "-o", "csv");
        assertThat(csv.exitCode()).as(csv.toString()).isZero();
        List<String> lines = csv.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("label,label_value,panel,figure,unit,value,apart,apart_value");
        // each handler's request count and 5xx share; no p95 (no histogram), nothing invented for it
        assertThat(lines).hasSize(1 + 14 * 2).contains("handler,/h13,rps,requests,count,113,,",
                "handler,/h0,error_rate,error ratio,ratio,0,,");
        // what the text says under its tables is said beside the CSV too, on stderr: these are lifetime totals
        assertThat(csv.err()).contains("exlm-mon: note: " + Breakdowns.LIFETIME);
    }

    @Test
    void labelValuesFromTheServerArePrintableInEveryOutput() throws Exception {
        Path p = Files.writeString(dir.resolve("evil.prom"), "# TYPE http_requests_total counter\n"
                + "http_requests_total{method=\"GET\",handler=\"" + "/x\u001b]0;PWNED\u0007\u001b[31mred"
                + "\",status=\"500\"} 3\n");
        for (String format : new String[] {"text", "json", "csv"}) {
            Cli.Result r = Cli.exec("metrics", "--file", p.toString(), "--by", "handler", "-o", format);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).as(format).doesNotContain("\u001b", "\u0007").contains("/x?]0;PWNED??[31mred");
        }
    }
}
