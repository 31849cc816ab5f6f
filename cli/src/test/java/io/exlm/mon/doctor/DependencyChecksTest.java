package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.expo.Labels;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.promql.PromMath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The backend's dependencies as their exporters report them, on Prometheus's answers given in advance. */
class DependencyChecksTest {
    static final DependencyChecks.Watched REDIS = DependencyChecks.WATCHED.get(1);

    static QueryResult series(double value, String... labels) {
        return new QueryResult("vector", List.of(new QueryResult.Series(Labels.of(labels),
                List.of(new PromMath.Point(0, value)))));
    }

    static Outcome check(Map<String, Object> facts, Duration age) {
        return DependencyChecks.check(WarmupTest.env(facts, age), REDIS);
    }

    @Test
    void anExporterWhoseDependencyIsDownFailsNamingItAndWhyWhileItsTargetIsUp() throws Exception {
        Map<String, Object> f = WarmupTest.prometheus();
        f.put("query:redis_up", series(0, "__name__", "redis_up", "job", "redis", "instance", "127.0.0.1:9121"));
        f.put("query:redis_exporter_last_scrape_error == 1", series(1, "job", "redis", "instance", "127.0.0.1:9121",
                "err", "dial tcp 127.0.0.1:6379: connect: connection refused\u001b[2J"));
        Outcome o = check(f, Duration.ofMinutes(5));
        assertThat(o.status()).isEqualTo(Status.FAIL);
        assertThat(o.summary()).isEqualTo("Redis is down: 1 of 1 redis-exporter report redis_up 0 (job redis"
                + " 127.0.0.1:9121)");
        assertThat(o.details()).containsExactly("Redis is unreachable for the exporter at job redis 127.0.0.1:9121:"
                + " dial tcp 127.0.0.1:6379: connect: connection refused?[2J");
        assertThat(o.remediation()).contains("start Redis", "redis.url (EXLM_REDIS_URL)", "backend.ready");
    }

    @Test
    void everyExporterReachingItsDependencyIsOk() throws Exception {
        Map<String, Object> f = WarmupTest.prometheus();
        f.put("query:redis_up", series(1, "job", "redis", "instance", "127.0.0.1:9121"));
        assertThat(check(f, Duration.ofMinutes(5)).status()).isEqualTo(Status.OK);
    }

    @Test
    void noSeriesIsWarmingUpOnAYoungStackAndASkipSayingWhyLater() throws Exception {
        Map<String, Object> f = WarmupTest.prometheus();
        f.put("query:redis_up", new QueryResult("vector", List.of()));
        assertThat(check(f, Duration.ofSeconds(3)).status()).isEqualTo(Status.WARMING);
        Outcome later = check(f, Duration.ofMinutes(5));
        assertThat(later.status()).isEqualTo(Status.SKIP);
        assertThat(later.summary()).contains("no redis-exporter is scraped", "prometheus.targets");
    }

    @Test
    void everyGroupHasItsPlaceInTheRegistry() {
        for (Check c : Checks.all()) {
            assertThat(Checks.groups()).contains(c.group());
        }
        assertThat(Checks.all()).extracting(Check::id).contains("dependencies.postgres", "dependencies.redis");
    }
}
