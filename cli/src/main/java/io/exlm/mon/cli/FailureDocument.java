package io.exlm.mon.cli;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.http.EndpointFailure;
import io.exlm.mon.http.HttpFailure;
import io.exlm.mon.promql.PrometheusApiException;
import java.util.Locale;

/**
 * The JSON document of a command that failed before it had one of its own ({@code metrics}, {@code query},
 * {@code alerts}): with {@code -o json} a script reads one document on stdout whatever the exit code, as
 * {@code health}, {@code doctor} and {@code top} already give. The one-line error on stderr stays: the central
 * handler writes it, from the exception this rethrows.
 *
 * <p>A usage error (exit 2) writes no document: the invocation was not understood, and picocli's own usage errors,
 * found before any command runs, could not write one either.
 */
final class FailureDocument {
    private FailureDocument() {
    }

    /** What a command does before it can render: fetch, read, parse. */
    @FunctionalInterface
    interface Work<T, E extends Exception> {
        T get() throws E;
    }

    /**
     * {@code work}'s result; when it fails with -o json (other than a usage error), the failure's document is written
     * to stdout first and the failure rethrown, for its line on stderr and its exit code.
     */
    static <T, E extends Exception> T guard(Context ctx, String command, Work<T, E> work) throws E {
        try {
            return work.get();
        } catch (RuntimeException e) {
            if (ctx.format() == OutputFormat.json && !(e instanceof ExitException x && x.exitCode() == ExitCode.USAGE)) {
                Json.write(ctx.out(), of(command, e));
            }
            throw e;
        } catch (OutOfMemoryError e) {
            // what filled the heap is garbage once the work has unwound: room for the document; Main writes the line
            if (ctx.format() == OutputFormat.json) {
                Json.write(ctx.out(), of(command, new ExitException(ExitCode.INTERNAL, io.exlm.mon.OutOfMemory.line())));
                ctx.out().flush();
            }
            throw e;
        }
    }

    /**
     * Exit 3 is two things: nothing answered (refused, no such host, no answer in time, TLS, a file that cannot be
     * read), or something answered that is not understood (a failure status, not JSON, too large, an API error).
     */
    private static String status(int code, Throwable failure) {
        if (code != ExitCode.UNREACHABLE) {
            return Vocabulary.FAILURE_ERROR;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ExpositionInput.Unreadable) {
                return Vocabulary.FAILURE_UNREACHABLE;
            }
            if (t instanceof PrometheusApiException) {
                return Vocabulary.FAILURE_NOT_UNDERSTOOD;
            }
            if (t instanceof HttpFailure h) {
                return switch (h.kind()) {
                    case REFUSED, DNS, CONNECT_TIMEOUT, TIMEOUT, TLS, IO -> Vocabulary.FAILURE_UNREACHABLE;
                    default -> Vocabulary.FAILURE_NOT_UNDERSTOOD;
                };
            }
        }
        // neither an HTTP call nor a read failed: a file that does not parse is not understood
        return Vocabulary.FAILURE_NOT_UNDERSTOOD;
    }

    /**
     * The document, field by field: the contract the README's "JSON on failure" states, which the golden files of
     * {@code FailureJsonGoldenTest} hold. {@code status} is one of {@link Vocabulary}'s failure words;
     * {@code error_kind} (the HTTP layer's class of failure), {@code url} and {@code http_status} are null when no
     * HTTP call failed. Fields in record order, snake_case, nulls included.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Document(String command, String status, int exitCode, String error, String errorKind, String url,
            Integer httpStatus) {
    }

    static Document of(String command, RuntimeException failure) {
        int code = failure instanceof ExitException e ? e.exitCode() : ExitCode.INTERNAL;
        String url = null;
        Integer status = null;
        String kind = null;
        // the HTTP layer's classification, also when a reader wrapped it in words of its own
        for (Throwable t = failure; t != null && url == null; t = t.getCause()) {
            if (t instanceof EndpointFailure f) {
                url = f.url();
                status = f.status() == 0 ? null : f.status();
                kind = f instanceof HttpFailure h ? h.kind().name().toLowerCase(Locale.ROOT) : null;
            }
        }
        return new Document(command, status(code, failure), code, failure instanceof ExitException
                ? failure.getMessage() : "internal error: " + failure, kind, url, status);
    }
}
