package io.exlm.mon.source;

import io.exlm.mon.expo.ExpositionException;
import io.exlm.mon.expo.ExpositionFormat;
import io.exlm.mon.expo.ParseMode;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.http.HttpFailure;
import io.exlm.mon.http.HttpLayer;
import java.time.Clock;

/**
 * Scrapes a {@code /metrics} endpoint as Prometheus does: an Accept header that prefers OpenMetrics, the parser
 * chosen by the answer's Content-Type, gzip accepted (the HTTP layer asks for it and inflates within the size cap),
 * the body parsed as it streams in, leniently. Every failure is an {@link HttpFailure}: exit code 3.
 */
public final class Scraper {
    private final HttpLayer http;
    private final Clock clock;

    public Scraper(HttpLayer http) {
        this(http, Clock.systemUTC());
    }

    /** With the clock that stamps each scrape (rates divide by the time between two stamps). */
    public Scraper(HttpLayer http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    /** The metrics URL of a backend base URL. */
    public static String metricsUrl(String backendUrl) {
        String base = backendUrl.endsWith("/") ? backendUrl.substring(0, backendUrl.length() - 1) : backendUrl;
        return base.endsWith("/metrics") ? base : base + "/metrics";
    }

    /** Scrapes every sample. */
    public Scrape scrape(String url) {
        return scrape(url, name -> true);
    }

    /** Scrapes keeping the samples whose names pass the filter (e.g. {@link Catalog#hasSample}). */
    public Scrape scrape(String url, java.util.function.Predicate<String> keep) {
        return http.stream(url, ExpositionFormat.ACCEPT, body -> {
            if (body.status() < 200 || body.status() >= 300) {
                byte[] head = body.stream().readNBytes(4096);
                throw HttpLayer.statusFailure(body.url(), body.status(), body.mediaType(), head);
            }
            if (body.mediaType().contains("html")) {
                throw new HttpFailure(HttpFailure.Kind.NOT_EXPOSITION, body.url(), body.status(), "GET " + body.url()
                        + ": got an HTML page, not metrics (a login page, a proxy, or the wrong path?); check the URL",
                        null);
            }
            ExpositionFormat format = ExpositionFormat.fromContentType(body.contentType());
            long now = clock.millis();
            try {
                return Scrape.read(body.stream(), format, ParseMode.LENIENT, body.url(), now, keep,
                        http.options().limits());
            } catch (io.exlm.mon.config.AnswerLimits.Exceeded e) {
                throw new HttpFailure(HttpFailure.Kind.TOO_LARGE, body.url(), body.status(), "GET " + body.url() + ": "
                        + e.getMessage(), null);
            } catch (ExpositionException e) {
                throw new HttpFailure(HttpFailure.Kind.NOT_EXPOSITION, body.url(), body.status(), "GET " + body.url()
                        + ": not a valid " + (format == ExpositionFormat.OPENMETRICS ? "OpenMetrics" : "Prometheus text")
                        + " exposition: line " + e.problem().line() + ", column " + e.problem().column() + ": "
                        + e.problem().message() + "; check it with 'exlm-mon metrics check'", e);
            }
        });
    }
}
