package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.expo.ExpositionException;
import io.exlm.mon.expo.ExpositionFormat;
import io.exlm.mon.expo.ExpositionHandler;
import io.exlm.mon.expo.ExpositionParser;
import io.exlm.mon.expo.ParseMode;
import io.exlm.mon.expo.Problem;
import io.exlm.mon.expo.SampleView;
import io.exlm.mon.source.CatalogCheck;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "check",
        description = {"Validate an exposition strictly against the Prometheus text format 0.0.4 or OpenMetrics 1.0:"
            + " one line per problem, FILE:LINE:COL: message."},
        exitCodeList = {"0:valid", "1:invalid (each problem on its own line)", "3:the input cannot be read"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  exlm-mon metrics check metrics.txt",
            "  curl -s http://127.0.0.1:8000/metrics | exlm-mon metrics check - --catalog"})
public final class MetricsCheckCommand extends BaseCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", defaultValue = "-",
            description = "The exposition to check; - (the default) reads standard input")
    String file;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto", order = 1,
            completionCandidates = Candidates.ExpositionFormats.class,
            description = "auto (default: OpenMetrics when the body ends with '# EOF'), prometheus or openmetrics")
    String format;

    @Option(names = "--catalog", order = 2,
            description = "Also check the documented catalog: every metric present, with its type and labels")
    boolean catalog;

    /** Shared with {@link LeanStart}, which runs the check without picocli. */
    static final String DEFAULT_MAX_PROBLEMS = "1000";

    @Option(names = "--max-problems", paramLabel = "N", defaultValue = DEFAULT_MAX_PROBLEMS, order = 3,
            description = "List at most this many problems (all are counted; default: ${DEFAULT-VALUE})")
    int maxProblems;

    /** Counts samples; a check keeps nothing else. */
    private static final class Counter implements ExpositionHandler {
        long samples;

        @Override
        public void sample(SampleView s) {
            samples++;
        }
    }

    @Override
    int run(Context ctx) {
        ctx.requireFormat(OutputFormat.text, OutputFormat.json);
        return check(ctx, file, format, catalog, maxProblems);
    }

    /** The check itself, also run by {@link LeanStart} for {@code metrics check FILE} without picocli. */
    static int check(Context ctx, String file, String format, boolean catalog, int maxProblems) {
        return FailureDocument.guard(ctx, "metrics check", () -> checked(ctx, file, format, catalog, maxProblems));
    }

    private static int checked(Context ctx, String file, String format, boolean catalog, int maxProblems) {
        try (ExpositionInput input = ExpositionInput.open(file, ctx.in(), ctx.httpOptions().timeout())) {
            ExpositionFormat f = input.format(format);
            ExpositionParser parser = new ExpositionParser(f, ParseMode.STRICT, input.name)
                    .maxProblems(Math.max(0, maxProblems));
            Counter counter = new Counter();
            CatalogCheck check = catalog ? new CatalogCheck() : null;
            ExpositionHandler handler = check == null ? counter : new ExpositionHandler() {
                @Override
                public void sample(SampleView s) {
                    counter.sample(s);
                    check.sample(s);
                }
            };
            try (InputStream in = input.stream()) {
                parser.parse(in, handler);
            } catch (IOException e) {
                throw input.unreadable(e);
            } catch (ExpositionException e) {
                throw new IllegalStateException("a strict parse reports problems instead of throwing", e);
            }
            List<String> catalogProblems = new ArrayList<>();
            if (check != null) {
                for (CatalogCheck.Finding finding : check.findings()) {
                    if (!finding.ok()) {
                        catalogProblems.add(finding.message());
                    }
                }
            }
            // an empty body is a valid exposition, but a check of nothing is a check that did not happen (the command
            // before the pipe failed, the wrong file): it must not pass
            List<Problem> problems = new ArrayList<>(parser.problems());
            int problemCount = parser.problemCount();
            if (parser.bytesRead() == 0 && problemCount == 0) {
                problems.add(new Problem(input.name, 1, 1, "empty: not a single byte to check (did the command that"
                        + " writes it fail?)"));
                problemCount++;
            }
            boolean valid = problemCount == 0 && catalogProblems.isEmpty();
            MetricsCheckOutput.Verdict v = new MetricsCheckOutput.Verdict(input.name, f, parser, problems,
                    problemCount, counter.samples, catalogProblems, catalog, valid);
            if (ctx.format() == OutputFormat.json) {
                Json.write(ctx.out(), MetricsCheckOutput.json(v));
            } else {
                MetricsCheckOutput.text(ctx, v);
            }
            ctx.out().flush();
            ctx.err().flush();
            return valid ? ExitCode.OK : ExitCode.UNHEALTHY;
        }
    }
}
