package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.expo.ExpositionException;
import io.exlm.mon.expo.ParseMode;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.source.Catalog;
import java.io.IOException;
import java.io.InputStream;

/** {@code metrics --file}: an exposition read from a file or standard input as a scrape of the catalog. */
final class ExpositionFiles {
    private ExpositionFiles() {
    }

    /** The body of {@code file} ({@code -} for stdin) as a scrape stamped {@code timeMillis}; failures exit 3. */
    static Scrape read(Context ctx, String file, String format, long timeMillis) {
        try (ExpositionInput input = ExpositionInput.open(file, ctx.in(), ctx.httpOptions().timeout());
                InputStream in = input.stream()) {
            return Scrape.read(in, input.format(format), ParseMode.LENIENT, input.name, timeMillis,
                    Catalog::hasSample, ctx.answerLimits());
        } catch (io.exlm.mon.config.AnswerLimits.Exceeded e) {
            throw new ExitException(ExitCode.UNREACHABLE, (file.equals("-") ? "standard input" : file) + ": "
                    + e.getMessage());
        } catch (IOException e) {
            throw new ExpositionInput.Unreadable("cannot read " + file + ": " + e.getMessage(), e);
        } catch (ExpositionException e) {
            throw new ExitException(ExitCode.UNREACHABLE, e.getMessage() + "; 'exlm-mon metrics check " + file
                    + "' lists every problem", e);
        }
    }
}
