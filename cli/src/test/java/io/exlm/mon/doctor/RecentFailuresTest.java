package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.testing.FaultServer;
import io.exlm.mon.testing.Ports;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sharded topology's remote-write and Alertmanager checks judge failures over the recent window, as the store
 * scraped the members' and vmalert's counters: one "connection refused" at the start (counted for ever by the
 * process) no longer warns once the window holds none; failures in the window still do, saying so.
 */
class RecentFailuresTest {
    private static final String MEMBER_METRICS = """
            vmagent_remotewrite_errors_total{url="1:secret"} 3
            vmagent_remotewrite_packets_dropped_total{url="1:secret"} 0
            vmagent_remotewrite_requests_total{url="1:secret",status_code="2XX"} 120
            vmagent_remotewrite_pending_data_bytes{url="1:secret"} 0
            """;
    private static final String VMALERT_METRICS = """
            vmalert_alerts_sent_total{addr="%s/api/v2/alerts"} 40
            vmalert_alerts_send_errors_total{addr="%s/api/v2/alerts"} 2
            flag{name="notifier.url", value="%s"} 1
            """;

    private static String recent(String metric) {
        return "query:sum by (instance) (increase(" + metric + "[5m]))";
    }

    private static DoctorEnv env(HttpLayer http, String alertmanager, Map<String, Object> facts) {
        return new DoctorEnv(http, "http://127.0.0.1:" + Ports.closed(), "http://127.0.0.1:8000", alertmanager,
                "http://127.0.0.1:3000", Duration.ofSeconds(1), "test",
                new DoctorEnv.GrafanaSetup("admin", () -> null, null, false), null, null, "local", null,
                new Facts(facts), Clock.systemUTC());
    }

    private static String instance(FaultServer s) {
        return s.url().replaceFirst("^http://", "");
    }

    @Test
    void errorsOnlyBeforeTheWindowDoNotWarnTheRemoteWrite() throws Exception {
        try (FaultServer member = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200, "text/plain",
                MEMBER_METRICS));
                HttpLayer http = new HttpLayer(HttpOptions.defaults())) {
            Sharding sh = new Sharding(List.of(new Sharding.Member("vmagent-0", member.url())), null);
            Map<String, Object> f = new HashMap<>();
            f.put(recent("vmagent_remotewrite_errors_total"), HistoryChecksTest.vector("vmagent", instance(member), 0));
            f.put(recent("vmagent_remotewrite_packets_dropped_total"),
                    HistoryChecksTest.vector("vmagent", instance(member), 0));
            f.put(recent("vm_persistentqueue_bytes_dropped_total"), HistoryChecksTest.EMPTY);
            Outcome o = ShardingChecks.remoteWrite(env(http, "http://127.0.0.1:9093", f), sh);
            assertThat(o.status()).as(o.summary()).isEqualTo(Status.OK);

            Map<String, Object> g = new HashMap<>(f);
            g.put(recent("vmagent_remotewrite_errors_total"), HistoryChecksTest.vector("vmagent", instance(member), 2));
            Outcome w = ShardingChecks.remoteWrite(env(http, "http://127.0.0.1:9093", g), sh);
            assertThat(w.status()).isEqualTo(Status.WARN);
            assertThat(w.summary()).isEqualTo("vmagent-0 had 2 failed writes in the last 5m (retried)");
        }
    }

    @Test
    void sendErrorsOnlyBeforeTheWindowDoNotWarnTheAlertmanager() throws Exception {
        String am = "http://127.0.0.1:9093";
        try (FaultServer vmalert = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200, "text/plain",
                VMALERT_METRICS.formatted(am, am, am)));
                HttpLayer http = new HttpLayer(HttpOptions.defaults())) {
            Sharding sh = new Sharding(List.of(), vmalert.url());
            Map<String, Object> f = new HashMap<>();
            f.put(recent("vmalert_alerts_send_errors_total"), HistoryChecksTest.vector("vmalert", instance(vmalert), 0));
            f.put(recent("vmalert_alerts_sent_total"), HistoryChecksTest.vector("vmalert", instance(vmalert), 10));
            Outcome o = ShardingChecks.alertmanager(env(http, am, f), sh);
            assertThat(o.status()).as(o.summary()).isEqualTo(Status.OK);

            Map<String, Object> g = new HashMap<>(f);
            g.put(recent("vmalert_alerts_send_errors_total"), HistoryChecksTest.vector("vmalert", instance(vmalert), 1));
            Outcome w = ShardingChecks.alertmanager(env(http, am, g), sh);
            assertThat(w.status()).isEqualTo(Status.WARN);
            assertThat(w.summary()).contains("1 of 11 sends failed in the last 5m");
        }
    }
    /**
     * vmalert's -notifier.url read by is_set: newer releases write its value as "secret" whether it is set or not,
     * so a set one is not warned as an Alertmanager named "secret" (its sends' counters name the one it sends to,
     * judged against alertmanager.url) and an unset one still fails; an address with a password is shown without
     * it.
     */
    @Test
    void theNotifierFlagIsReadByWhetherItIsSetNotByItsValue() throws Exception {
        String am = "http://127.0.0.1:9093";
        String[] flag = new String[1];
        String[] addr = {am + "/api/v2/alerts"};
        try (FaultServer vmalert = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200, "text/plain",
                (addr[0] == null ? "" : "vmalert_alerts_sent_total{addr=\"" + addr[0] + "\"} 40\n"
                        + "vmalert_alerts_send_errors_total{addr=\"" + addr[0] + "\"} 0\n") + flag[0]));
                HttpLayer http = new HttpLayer(HttpOptions.defaults())) {
            Sharding sh = new Sharding(List.of(), vmalert.url());
            Map<String, Object> f = new HashMap<>();
            f.put(recent("vmalert_alerts_send_errors_total"), HistoryChecksTest.vector("vmalert", instance(vmalert), 0));
            f.put(recent("vmalert_alerts_sent_total"), HistoryChecksTest.vector("vmalert", instance(vmalert), 10));

            // set and secret: its sends' counters name the Alertmanager, which is alertmanager.url, or another
            flag[0] = "flag{name=\"notifier.url\", value=\"secret\", is_set=\"true\"} 1\n";
            Outcome set = ShardingChecks.alertmanager(env(http, am, new HashMap<>(f)), sh);
            assertThat(set.status()).as(set.summary()).isEqualTo(Status.OK);
            assertThat(set.summary()).isEqualTo("vmalert sends its alerts to " + am);
            addr[0] = "http://10.0.0.9:9093/api/v2/alerts";
            Outcome elsewhere = ShardingChecks.alertmanager(env(http, am, new HashMap<>(f)), sh);
            assertThat(elsewhere.status()).as(elsewhere.summary()).isEqualTo(Status.WARN);
            assertThat(elsewhere.summary()).isEqualTo("vmalert sends to http://10.0.0.9:9093, not to " + am
                    + " (alertmanager.url)");
            // and none named yet: it cannot be seen where they go, which is no ok
            addr[0] = null;
            Outcome unnamed = ShardingChecks.alertmanager(env(http, am, new HashMap<>(f)), sh);
            assertThat(unnamed.status()).as(unnamed.summary()).isEqualTo(Status.WARN);
            assertThat(unnamed.summary()).contains("whose address it keeps secret", "cannot be seen")
                    .doesNotContain("sends to secret");
            addr[0] = am + "/api/v2/alerts";

            flag[0] = "flag{name=\"notifier.url\", value=\"secret\", is_set=\"false\"} 1\n";
            Outcome unset = ShardingChecks.alertmanager(env(http, am, new HashMap<>(f)), sh);
            assertThat(unset.status()).as(unset.summary()).isEqualTo(Status.FAIL);
            assertThat(unset.summary()).contains("-notifier.url is not set");

            flag[0] = "flag{name=\"notifier.url\", value=\"http://ops:hunter2@10.0.0.9:9093\", is_set=\"true\"} 1\n";
            Outcome other = ShardingChecks.alertmanager(env(http, am, new HashMap<>(f)), sh);
            assertThat(other.status()).isEqualTo(Status.WARN);
            assertThat(other.summary()).contains("http://***@10.0.0.9:9093").doesNotContain("hunter2");
            assertThat(other.toString()).doesNotContain("hunter2");
        }
    }
}
