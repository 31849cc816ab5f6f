package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.expo.ExpositionFormat;
import io.exlm.mon.expo.ParseMode;
import io.exlm.mon.expo.Scrape;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * prometheus.remote-write's verdicts on Prometheus's own remote-storage metrics, as Prometheus 2.42 writes them
 * (names and labels copied from a real one's /metrics), on a fixed clock and a probe that answers as told.
 */
class RemoteWriteChecksTest {
    static final String URL = "http://127.0.0.1:8428/api/v1/write";
    static final Instant START = Instant.parse("2026-01-10T10:00:00Z");
    static final Duration SCRAPE = Duration.ofSeconds(15);
    static final List<RemoteWriteChecks.Configured> ONE = List.of(
            new RemoteWriteChecks.Configured(URL, "exlm-1", Duration.ofSeconds(5)));
    final List<String> probed = new ArrayList<>();

    static Scrape metrics(Double highest, Double sent, double pending, double failed) {
        StringBuilder b = new StringBuilder();
        String q = "{remote_name=\"exlm-1\",url=\"" + URL + "\"}";
        if (highest != null) {
            b.append("# TYPE prometheus_remote_storage_highest_timestamp_in_seconds gauge\n")
                    .append("prometheus_remote_storage_highest_timestamp_in_seconds ").append(highest).append('\n');
        }
        if (sent != null) {
            b.append("# TYPE prometheus_remote_storage_queue_highest_sent_timestamp_seconds gauge\n")
                    .append("prometheus_remote_storage_queue_highest_sent_timestamp_seconds").append(q).append(' ')
                    .append(sent).append('\n');
        }
        b.append("# TYPE prometheus_remote_storage_samples_pending gauge\n")
                .append("prometheus_remote_storage_samples_pending").append(q).append(' ').append(pending).append('\n')
                .append("# TYPE prometheus_remote_storage_samples_failed_total counter\n")
                .append("prometheus_remote_storage_samples_failed_total").append(q).append(' ').append(failed)
                .append('\n')
                .append("# TYPE prometheus_remote_storage_samples_retried_total counter\n")
                .append("prometheus_remote_storage_samples_retried_total").append(q).append(" 3500\n");
        try {
            return Scrape.read(b.toString().getBytes(StandardCharsets.UTF_8), ExpositionFormat.PROMETHEUS_TEXT,
                    ParseMode.LENIENT, "prometheus", 0);
        } catch (io.exlm.mon.expo.ExpositionException e) {
            throw new AssertionError(e);
        }
    }

    static Warmup at(Duration sinceStart) {
        return new Warmup(START.plus(sinceStart), START, SCRAPE, SCRAPE);
    }

    Outcome judge(Scrape m, Warmup w, RemoteWriteChecks.Refusal answer) {
        return judge(m, w, answer, null);
    }

    Outcome judge(Scrape m, Warmup w, RemoteWriteChecks.Refusal answer,
            java.util.Map<String, RemoteWriteChecks.Rejections> lately) {
        return RemoteWriteChecks.judge(ONE, m, w, SCRAPE, url -> {
            probed.add(url);
            return answer;
        }, lately);
    }

    static final double NOW = START.plusSeconds(3600).getEpochSecond();
    static final RemoteWriteChecks.Refusal REFUSED = new RemoteWriteChecks.Refusal(true,
            "refuses connections (127.0.0.1:8428)");
    static final RemoteWriteChecks.Refusal UNRESOLVED = new RemoteWriteChecks.Refusal(false,
            "is a host this machine cannot resolve (host.docker.internal)");

    @Test
    void keepingUpIsOkAndProbesNothing() {
        Outcome o = judge(metrics(NOW, NOW - 4, 120, 0), at(Duration.ofHours(1)), REFUSED);
        assertThat(o.status()).isEqualTo(Status.OK);
        assertThat(o.summary()).contains(URL).contains("4s behind");
        assertThat(probed).isEmpty();
    }

    @Test
    void whatBatchingExplainsIsNotBehind() {
        // 5 s batch deadline + 2 x 15 s: 35 s is still ok, 36 s is behind
        assertThat(judge(metrics(NOW, NOW - 35, 0, 0), at(Duration.ofHours(1)), null).status()).isEqualTo(Status.OK);
        assertThat(judge(metrics(NOW, NOW - 36, 0, 0), at(Duration.ofHours(1)), null).status())
                .isEqualTo(Status.WARN);
    }

    @Test
    void behindWithTheReceiverRefusingFailsAtOnce() {
        Outcome o = judge(metrics(NOW, NOW - 40, 2664, 0), at(Duration.ofHours(1)), REFUSED);
        assertThat(o.status()).isEqualTo(Status.FAIL);
        assertThat(o.summary()).contains("remote write").contains(URL).contains("40s behind")
                .contains("2664 samples waiting").contains("refuses connections");
        assertThat(o.remediation()).contains("start the receiver");
        assertThat(probed).containsExactly(URL);
    }

    @Test
    void behindWithAReceiverThisMachineCannotJudgeWarnsUntilTwoMinutes() {
        // a container's name: no evidence from here either way
        assertThat(judge(metrics(NOW, NOW - 90, 0, 0), at(Duration.ofHours(1)), UNRESOLVED).status())
                .isEqualTo(Status.WARN);
        assertThat(judge(metrics(NOW, NOW - 119, 0, 0), at(Duration.ofHours(1)), null).status())
                .isEqualTo(Status.WARN);
        Outcome o = judge(metrics(NOW, NOW - 121, 0, 0), at(Duration.ofHours(1)), null);
        assertThat(o.status()).isEqualTo(Status.FAIL);
        assertThat(o.summary()).contains("2m1s behind");
    }

    @Test
    void nothingSentIsWarmingUpWhileTheFirstBatchCannotHaveGoneThenFails() {
        // first scrape by start + 5 s + 2 x 15 s + 2 s = 37 s; the first batch 35 s later: 72 s
        Outcome young = judge(metrics(START.getEpochSecond() + 20.0, null, 300, 0), at(Duration.ofSeconds(40)),
                REFUSED);
        assertThat(young.status()).isEqualTo(Status.WARMING);
        assertThat(young.expectedAt()).isEqualTo(START.plusSeconds(72));
        assertThat(probed).isEmpty();
        Outcome old = judge(metrics(NOW, null, 5000, 0), at(Duration.ofHours(1)), REFUSED);
        assertThat(old.status()).isEqualTo(Status.FAIL);
        assertThat(old.summary()).contains("nothing sent since Prometheus started").contains("5000 samples waiting")
                .contains("refuses connections");
    }

    @Test
    void anUnknownAgeNeverMakesNothingSentLookYoung() {
        assertThat(judge(metrics(NOW, null, 10, 0), null, null).status()).isEqualTo(Status.FAIL);
    }

    @Test
    void rejectedSamplesWarnEvenWhenTheQueueKeepsUp() {
        Outcome o = judge(metrics(NOW, NOW - 2, 0, 42), at(Duration.ofHours(1)), null);
        assertThat(o.status()).isEqualTo(Status.WARN);
        assertThat(o.summary()).contains("42 samples rejected by the receiver");
    }

    @Test
    void theQueuesFigureNamesEachQueue() {
        List<RemoteWriteChecks.Configured> two = List.of(ONE.get(0),
                new RemoteWriteChecks.Configured("https://mimir.example.com/api/v1/push", "exlm-2",
                        Duration.ofSeconds(5)));
        Outcome o = RemoteWriteChecks.judge(two, metrics(NOW, NOW - 1, 0, 0), at(Duration.ofHours(1)), SCRAPE,
                url -> null, null);
        // the second queue has no metrics of its own: it has sent nothing in an hour
        assertThat(o.status()).isEqualTo(Status.FAIL);
        assertThat(o.summary()).contains("mimir.example.com").doesNotContain("127.0.0.1:8428/api/v1/write: 1s");
        @SuppressWarnings("unchecked")
        List<RemoteWriteChecks.Queue> queues = (List<RemoteWriteChecks.Queue>) o.figures().get("queues");
        assertThat(queues).extracting(RemoteWriteChecks.Queue::status).containsExactly("ok", "fail");
        assertThat(queues.get(0).behindSeconds()).isEqualTo(1.0);
        assertThat(queues.get(1).behindSeconds()).isNull();
    }

    /**
     * Prometheus 2.42 moves a queue's sent timestamp on past a batch the receiver rejected with a 4xx (the second
     * reader's run against a receiver answering 401): the lag reads 0, and only the rejections tell.
     */
    @Test
    void aReceiverThatRejectsEverySampleFailsThoughTheQueueIsNotBehind() {
        Outcome o = judge(metrics(NOW, NOW, 0, 17345), at(Duration.ofHours(1)), null,
                java.util.Map.of("name exlm-1", new RemoteWriteChecks.Rejections(3045, 3045)));
        assertThat(o.status()).isEqualTo(Status.FAIL);
        assertThat(o.summary()).contains("the receiver rejected 3045 of 3045 samples in the last 1m");
        Outcome some = judge(metrics(NOW, NOW, 0, 17345), at(Duration.ofHours(1)), null,
                java.util.Map.of("name exlm-1", new RemoteWriteChecks.Rejections(10, 3000)));
        assertThat(some.status()).isEqualTo(Status.WARN);
        // rejected long ago, none lately: ok, and it says so
        Outcome past = judge(metrics(NOW, NOW - 2, 0, 42), at(Duration.ofHours(1)), null, java.util.Map.of());
        assertThat(past.status()).isEqualTo(Status.OK);
        assertThat(past.summary()).contains("42 samples rejected by the receiver since Prometheus started (lost), none"
                + " lately");
    }

    @Test
    void nothingSentPastTheFirstBatchIsBehindByThatLongNotAFailureAtOnce() {
        // a long write-ahead log's replay after a restart comes before the first send: 90 s after start with a
        // receiver that connects is a lag of about a minute, a warning; past two minutes, a failure
        Outcome replaying = judge(metrics(NOW, null, 300, 0), at(Duration.ofSeconds(90)), null);
        assertThat(replaying.status()).isEqualTo(Status.WARN);
        assertThat(replaying.summary()).contains("nothing sent since Prometheus started 1m30s ago");
        assertThat(judge(metrics(NOW, null, 300, 0), at(Duration.ofSeconds(200)), null).status())
                .isEqualTo(Status.FAIL);
        assertThat(judge(metrics(NOW, null, 300, 0), at(Duration.ofSeconds(90)), REFUSED).status())
                .isEqualTo(Status.FAIL);
    }

    @Test
    void twoWritesToOneUrlAreTwoQueuesToldApartByName() {
        List<RemoteWriteChecks.Configured> two = List.of(ONE.get(0),
                new RemoteWriteChecks.Configured(URL, "exlm-2", Duration.ofSeconds(5)));
        // only exlm-1's series: exlm-2 has sent nothing in an hour, whatever exlm-1 did
        Outcome o = RemoteWriteChecks.judge(two, metrics(NOW, NOW - 1, 0, 0), at(Duration.ofHours(1)), SCRAPE,
                url -> null, null);
        @SuppressWarnings("unchecked")
        List<RemoteWriteChecks.Queue> queues = (List<RemoteWriteChecks.Queue>) o.figures().get("queues");
        assertThat(queues).extracting(RemoteWriteChecks.Queue::status).containsExactly("ok", "fail");
    }

    @Test
    void theConfigurationsRemoteWritesWithTheirBatchDeadline() {
        String yaml = "global:\n  scrape_interval: 15s\nremote_write:\n- url: " + URL + "\n  name: exlm-1\n"
                + "  queue_config:\n    batch_send_deadline: 10s\n- url: https://mimir.example.com/api/v1/push\n";
        assertThat(RemoteWriteChecks.configured(yaml)).containsExactly(
                new RemoteWriteChecks.Configured(URL, "exlm-1", Duration.ofSeconds(10)),
                new RemoteWriteChecks.Configured("https://mimir.example.com/api/v1/push", null,
                        Duration.ofSeconds(5)));
        assertThat(RemoteWriteChecks.configured("global: {}\n")).isEmpty();
    }

    @Test
    void aConnectionToAPortNothingListensOnIsARefusal() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
            assertThat(RemoteWriteChecks.connect("http://127.0.0.1:" + port + "/api/v1/write",
                    Duration.ofSeconds(2))).isNull();
        }
        RemoteWriteChecks.Refusal r = RemoteWriteChecks.connect("http://127.0.0.1:" + port + "/api/v1/write",
                Duration.ofSeconds(2));
        assertThat(r).isNotNull();
        assertThat(r.refused()).isTrue();
        assertThat(RemoteWriteChecks.connect("http://no-such-host.invalid/api/v1/write", Duration.ofSeconds(2))
                .refused()).isFalse();
    }
}
