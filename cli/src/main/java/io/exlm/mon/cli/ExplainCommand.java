package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.explain.Explainer;
import io.exlm.mon.explain.Explanation;
import io.exlm.mon.explain.Runbooks;
import io.exlm.mon.promql.Alert;
import io.exlm.mon.promql.PrometheusClient;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "explain",
        description = {"Explain an alert: its age, meaning, diagnosis and runbook.", "",
            "How long it has been pending or firing (on Prometheus's clock), what it means, the diagnosis run for it"
                + " (the queries that narrow its cause, scoped to its job and instance, and doctor's checks), and its"
                + " runbook's steps (docs/runbooks/ALERT.md).",
            "An alert neither firing nor pending: its runbook. alerts --explain explains every active alert."},
        exitCodeList = {"0:explained (or not active: its runbook)",
            "2:an alert neither active nor in the stack's rules", "3:Prometheus cannot be reached"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  exlm-mon explain HighErrorRate",
            "  exlm-mon explain ServiceDown -o json"})
public final class ExplainCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "ALERT", completionCandidates = Alerts.class,
            description = "The alert's name, as its rule writes it (HighErrorRate, ServiceDown, ...)")
    String alert;

    /** The alerts of the stack's rules, for completion. */
    static final class Alerts implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Arrays.stream(Explanation.values()).map(Explanation::alert).iterator();
        }
    }

    @Override
    int run(Context ctx) {
        ctx.requireFormat(OutputFormat.text, OutputFormat.json);
        String name = alert.strip();
        PrometheusClient prom = new PrometheusClient(ctx.http(), ctx.prometheusUrl());
        Explainer.Report report = FailureDocument.guard(ctx, "explain", () -> {
            List<Alert> active = Explaining.ordered(prom.alerts()).stream().filter(a -> a.name().equals(name))
                    .toList();
            if (active.isEmpty() && Explanation.of(name) == null) {
                throw ExitException.usage("no alert '" + io.exlm.mon.Text.printable(name) + "' is firing or"
                        + " pending, and the stack's rules have none of that name; they have: " + String.join(", ",
                                Arrays.stream(Explanation.values()).map(Explanation::alert).toList()));
            }
            return Explaining.explainer(ctx, prom).explain(active);
        });
        Runbooks.Runbook runbook = Runbooks.of(name, null);
        if (ctx.format() == OutputFormat.json) {
            Json.write(ctx.out(), ExplainOutput.json(prom.baseUrl(), report, name, runbook));
        } else if (report.alerts().isEmpty()) {
            ExplainOutput.quiet(ctx, name, prom.baseUrl(), runbook);
        } else {
            ExplainOutput.text(ctx, report);
        }
        return ExitCode.OK;
    }
}
