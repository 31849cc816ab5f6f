package io.exlm.mon.cli;

import io.exlm.mon.ExitException;
import io.exlm.mon.doctor.Check;
import io.exlm.mon.doctor.CheckResult;
import io.exlm.mon.doctor.Checks;
import io.exlm.mon.doctor.Doctor;
import io.exlm.mon.doctor.DoctorEnv;
import io.exlm.mon.doctor.DoctorReport;
import io.exlm.mon.doctor.DoctorSettings;
import io.exlm.mon.doctor.DoctorWait;
import io.exlm.mon.doctor.Status;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import io.exlm.mon.push.CheckOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "doctor",
        description = {"The monitoring guide's troubleshooting checklist, as diagnostics.", "",
            "Prometheus (running,"
            + " targets UP with each scrape error explained, configuration, scrape interval, the five alerts,"
            + " Alertmanager, retention), the backend (live, ready, /metrics, the catalog), its dependencies as"
            + " their exporters see them (PostgreSQL, Redis), each dashboard row's"
            + " \"no data\" traced from the backend to the panel, the patterns of the last --since (flapping targets,"
            + " scrapes close to their timeout, clock skew between this host, Prometheus and the backend, catalog"
            + " label cardinality, the disk at the current ingest rate), Grafana (datasource and its timeInterval,"
            + " dashboards, passwords) and this host (memory, disk, CPU).", "",
            "Checks run concurrently; a check whose prerequisite failed is skipped and says which. Each finding"
                + " comes with what to do.", "",
            "Text wraps to the terminal (off one, to COLUMNS, else 100 columns). The checks that are ok are one"
                + " count per group (-v lists each, with its figures); what is not is in full. Failures with one"
                + " root cause are listed under it, with its fix once: a prerequisite that failed, or a fact such as"
                + " the backend not answering, which its DOWN target and its dashboard rows without data follow"
                + " from. JSON names each check's root cause in caused_by."},
        exitCodeList = {"0:nothing failed (warnings allowed unless --strict)", "1:something failed",
            "3:nothing could be reached at all", "4:internal error: a check crashed (a bug)"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  exlm-mon doctor",
            "  exlm-mon doctor --check prometheus --check backend.ready",
            "  exlm-mon doctor --problems                  # only what is not ok",
            "  exlm-mon doctor -o junit > doctor.xml      # a test case per check, for CI",
            "  exlm-mon doctor --wait 2m -o junit > doctor.xml   # right after exlm-mon up",
            "  exlm-mon doctor --check history --since 6h   # flapping, slow scrapes, clocks, ...",
            "  exlm-mon doctor --list-checks",
            "",
            "A young stack is not a broken one: data that cannot exist yet (a target not",
            "scraped yet, a rate with one sample, a rule not evaluated yet) is 'warming up',",
            "with the time it will exist, and fails nothing; --wait waits for it."})
public final class DoctorCommand extends BaseCommand {
    @Option(names = "--check", paramLabel = "ID", split = ",", order = 1,
            description = "Run this check or group (prometheus, alertmanager, backend, dependencies, nodata, history,"
                    + " grafana, host) and what it needs; repeatable, or comma-separated (default: all)")
    List<String> checks = new ArrayList<>();

    @Option(names = "--problems", order = 2, description = "Show only what is not ok: failures, warnings, checks"
            + " warming up, and those skipped because something failed; and the summary. Filters -o json's checks"
            + " and -o junit's test cases too; the status, counts and exit code stay the whole run's")
    boolean problems;

    @Option(names = "--list-checks", order = 3, description = "List the checks (id, prerequisites, title) and exit")
    boolean listChecks;

    @Option(names = "--strict", order = 4, description = "Warnings fail the run (exit 1), as failures do")
    boolean strict;

    @Option(names = "--check-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "5s", order = 5,
            description = "Deadline of each check; one that takes longer fails as timed out (default: ${DEFAULT-VALUE})")
    Duration checkTimeout;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "0", order = 6,
            description = "Checks run at once; 0 (default) runs every check as soon as its prerequisites are done,"
                    + " 1 runs them one by one")
    int jobs;

    @Option(names = "--wait", paramLabel = "DURATION", converter = DurationConverter.class, order = 7,
            description = "On a young stack, run the checks again until none is warming up (the data exists), one"
                    + " fails, or DURATION has passed; the last run is the report")
    Duration wait;

    @Option(names = "--expect-scrape-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            order = 8, description = "The scrape interval Prometheus should use (default: stack.scrape-interval"
                    + " when set, else the guide's 15s)")
    Duration expectScrapeInterval;

    @Option(names = "--since", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = io.exlm.mon.doctor.OverTime.DEFAULT_SINCE_TEXT, order = 9,
            description = "How far back the checks over time (history.*) look: flapping, scrape durations,"
                    + " cardinality, ingest rate; at most the history Prometheus has, which they say"
                    + " (default: ${DEFAULT-VALUE})")
    Duration since;

    @Mixin
    PushOptions push = new PushOptions();

    @Override
    int run(Context ctx) {
        push.validate();
        if (listChecks) {
            ctx.requireFormat(OutputFormat.text, OutputFormat.json);
            return DoctorOutput.list(ctx);
        }
        ctx.requireFormat(OutputFormat.text, OutputFormat.json, OutputFormat.junit);
        if (checkTimeout.isZero() || checkTimeout.isNegative()) {
            throw ExitException.usage("--check-timeout must be positive");
        }
        if (wait != null && (wait.isZero() || wait.isNegative())) {
            throw ExitException.usage("--wait must be positive");
        }
        if (since.isZero() || since.isNegative()) {
            throw ExitException.usage("--since must be positive");
        }
        if (jobs < 0) {
            throw ExitException.usage("--jobs must be 0 (no limit) or more");
        }
        List<Check> selected;
        try {
            selected = Doctor.select(Checks.all(), checks.stream().map(String::strip).toList());
        } catch (IllegalArgumentException e) {
            throw ExitException.usage("--check: " + e.getMessage());
        }
        HttpOptions o = ctx.httpOptions();
        try (HttpLayer http = ctx.newHttp(o.timeout().compareTo(checkTimeout) > 0 ? o.withTimeout(checkTimeout) : o)) {
            DoctorEnv env = DoctorSettings.env(ctx.settings(), http, expectScrapeInterval).withSince(since);
            DoctorReport report = DoctorWait.settled(selected, env, new Doctor.Options(checkTimeout, jobs), strict,
                    wait, ctx.verbose(), line -> {
                        ctx.err().println("exlm-mon: doctor: " + line);
                        ctx.err().flush();
                    });
            DoctorOutput.render(ctx, env, report, problems);
            // a skipped check has no verdict to push
            List<CheckOutcome> outcomes = new ArrayList<>();
            for (CheckResult r : report.results()) {
                if (r.status() != Status.SKIP) {
                    outcomes.add(new CheckOutcome(r.id(), !report.fails(r), r.millis() / 1000.0));
                }
            }
            push.push(ctx, "doctor", outcomes, report.exitCode());
            return report.exitCode();
        }
    }

}
