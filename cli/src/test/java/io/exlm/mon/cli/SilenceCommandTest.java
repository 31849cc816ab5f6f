package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.FaultServer;
import io.exlm.mon.testing.Golden;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * {@code alerts silence add|list|expire} against a scripted Alertmanager that keeps its silences as the v2 API
 * does: the requests sent (method, path, body) and the JSON documents (golden files) written. The real Alertmanager
 * applying and ending a silence is DoctorStackIT's.
 */
class SilenceCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "2c8a7f4e-1b3d-4c5e-9f6a-7b8c9d0e1f2a";
    private static final String OTHER = "9f0e1d2c-3b4a-5968-7a6b-5c4d3e2f1a0b";
    private static final String ALERTS = "[{\"labels\":{\"alertname\":\"HighErrorRate\",\"instance\":\"backend:8000\","
            + "\"job\":\"exlm-backend\",\"severity\":\"critical\"},\"annotations\":{},\"startsAt\":"
            + "\"2026-01-07T09:59:00.000Z\",\"status\":{\"state\":\"active\",\"silencedBy\":[],\"inhibitedBy\":[]},"
            + "\"receivers\":[{\"name\":\"webhook\"}],\"fingerprint\":\"7b6a5c4d3e2f1a09\"},"
            + "{\"labels\":{\"alertname\":\"HighErrorRate\",\"instance\":\"backend:8001\",\"job\":\"exlm-backend\","
            + "\"severity\":\"critical\"},\"annotations\":{},\"startsAt\":\"2026-01-07T09:59:30.000Z\",\"status\":"
            + "{\"state\":\"active\",\"silencedBy\":[],\"inhibitedBy\":[]},\"receivers\":[],\"fingerprint\":\"1\"}]";

    /** An Alertmanager of one silence store; times are fixed, so that the documents are. */
    private static final class ScriptedAlertmanager {
        final Map<String, String> states = new ConcurrentHashMap<>(Map.of(OTHER, "expired"));
        final FaultServer server;

        ScriptedAlertmanager() throws Exception {
            server = new FaultServer((req, out, sock) -> {
                String p = req.path();
                if (req.method().equals("POST") && p.equals("/api/v2/silences") && req.body().contains("(?=")) {
                    // what Alertmanager answers for a regular expression RE2 cannot read
                    FaultServer.respond(out, 400, "application/json", "\"silence invalid: invalid label matcher 0:"
                            + " error parsing regexp: invalid or unsupported Perl syntax: `(?=`\"");
                } else if (req.method().equals("POST") && p.equals("/api/v2/silences")) {
                    states.put(ID, "active");
                    FaultServer.respond(out, 200, "application/json", "{\"silenceID\":\"" + ID + "\"}");
                } else if (req.method().equals("DELETE") && p.startsWith("/api/v2/silence/")) {
                    String id = p.substring("/api/v2/silence/".length());
                    if (states.containsKey(id)) {
                        states.put(id, "expired");
                        FaultServer.respond(out, 200, "application/json", "");
                    } else {
                        FaultServer.respond(out, 404, "application/json", "\"silence not found\"");
                    }
                } else if (p.startsWith("/api/v2/silence/")) {
                    String id = p.substring("/api/v2/silence/".length());
                    if (states.containsKey(id)) {
                        FaultServer.respond(out, 200, "application/json", silence(id));
                    } else {
                        FaultServer.respond(out, 404, "application/json", "\"silence not found\"");
                    }
                } else if (p.startsWith("/api/v2/silences")) {
                    StringBuilder sb = new StringBuilder("[");
                    for (String id : new java.util.TreeSet<>(states.keySet())) {
                        {
                            sb.append(sb.length() > 1 ? "," : "").append(silence(id));
                        }
                    }
                    FaultServer.respond(out, 200, "application/json", sb.append(']').toString());
                } else if (p.startsWith("/api/v2/alerts")) {
                    // Alertmanager's own verdict: the first alert is held by our silence while it is active
                    FaultServer.respond(out, 200, "application/json", "active".equals(states.get(ID))
                            ? ALERTS.replaceFirst("\"silencedBy\":\\[\\]", "\"silencedBy\":[\"" + ID + "\"]") : ALERTS);
                } else {
                    FaultServer.respond(out, 404, "text/plain", "404 page not found");
                }
            });
        }

        String silence(String id) {
            boolean ours = id.equals(ID);
            String ends = states.get(id).equals("expired") ? "2026-01-07T10:30:00.000Z" : "2026-01-07T12:00:00.000Z";
            return "{\"id\":\"" + id + "\",\"status\":{\"state\":\"" + states.get(id) + "\"},\"updatedAt\":"
                    + "\"2026-01-07T10:00:00.000Z\",\"comment\":\"" + (ours ? "rollback under way" : "old") + "\","
                    + "\"createdBy\":\"ops\",\"startsAt\":\"2026-01-07T10:00:00.000Z\",\"endsAt\":\"" + ends + "\","
                    + "\"matchers\":[{\"name\":\"alertname\",\"value\":\"HighErrorRate\",\"isRegex\":false,"
                    + "\"isEqual\":true}" + (ours ? ",{\"name\":\"instance\",\"value\":\"backend:800[0]\",\"isRegex\":"
                    + "true,\"isEqual\":true}" : "") + "]}";
        }

        String url() {
            return server.url();
        }
    }

    private static Cli.Result exlm(ScriptedAlertmanager am, String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--alertmanager-url";
        all[args.length + 1] = am.url();
        return Cli.exec(all);
    }

    private static void golden(String name, Cli.Result r, ScriptedAlertmanager am) throws Exception {
        Golden.assertMatches(name, r.out().replace(am.url(), "http://127.0.0.1:ALERTMANAGER"), name);
    }

    @Test
    void addSendsTheMatchersTheWindowTheAuthorAndTheCommentAndSaysWhatItHolds() throws Exception {
        ScriptedAlertmanager am = new ScriptedAlertmanager();
        try (am.server) {
            Instant before = Instant.now();
            Cli.Result r = exlm(am, "alerts", "silence", "add", "HighErrorRate", "instance=~\"backend:800[0]\"",
                    "--duration", "2h", "--comment", "rollback under way", "--author", "ops", "-o", "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            golden("alerts-silence-add.json", r, am);
            FaultServer.Request post = am.server.requests().stream().filter(q -> q.method().equals("POST"))
                    .findFirst().orElseThrow();
            JsonNode body = JSON.readTree(post.body());
            assertThat(body.path("matchers").toString()).isEqualTo("[{\"name\":\"alertname\",\"value\":"
                    + "\"HighErrorRate\",\"isRegex\":false,\"isEqual\":true},{\"name\":\"instance\",\"value\":"
                    + "\"backend:800[0]\",\"isRegex\":true,\"isEqual\":true}]");
            assertThat(body.path("createdBy").asText()).isEqualTo("ops");
            assertThat(body.path("comment").asText()).isEqualTo("rollback under way");
            Instant start = Instant.parse(body.path("startsAt").asText());
            assertThat(start).isBetween(before, Instant.now());
            assertThat(Duration.between(start, Instant.parse(body.path("endsAt").asText())))
                    .isEqualTo(Duration.ofHours(2));

            Cli.Result text = exlm(am, "alerts", "silence", "add", "HighErrorRate", "instance=~\"backend:800[0]\"",
                    "--comment", "rollback under way");
            assertThat(text.exitCode()).as(text.toString()).isZero();
            assertThat(text.out()).contains("silenced until 2026-01-07T12:00:00.000Z (1h): alertname=\"HighErrorRate\","
                    + " instance=~\"backend:800[0]\"", "id " + ID + ", by ops: rollback under way",
                    "holds 1 of the alerts Alertmanager has now: HighErrorRate on backend:8000",
                    "end it early: exlm-mon alerts silence expire " + ID);
        }
    }

    @Test
    void listShowsActiveSilencesAndWithExpiredTheOthersToo() throws Exception {
        ScriptedAlertmanager am = new ScriptedAlertmanager();
        try (am.server) {
            am.states.put(ID, "active");
            Cli.Result r = exlm(am, "alerts", "silence", "list", "-o", "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            golden("alerts-silence-list.json", r, am);
            Cli.Result all = exlm(am, "alerts", "silence", "list", "--expired");
            assertThat(all.out()).contains(ID, OTHER, "expired", "rollback under way");
            assertThat(exlm(am, "alerts", "silence", "list").out()).contains(ID).doesNotContain(OTHER);
        }
    }

    @Test
    void expireDeletesAndSaysWhatItEndedOnceOnly() throws Exception {
        ScriptedAlertmanager am = new ScriptedAlertmanager();
        try (am.server) {
            am.states.put(ID, "active");
            Cli.Result r = exlm(am, "alerts", "silence", "expire", ID, OTHER, "-o", "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            golden("alerts-silence-expire.json", r, am);
            // the one already expired is not deleted again
            assertThat(am.server.requests().stream().filter(q -> q.method().equals("DELETE")).map(
                    FaultServer.Request::path)).containsExactly("/api/v2/silence/" + ID);
            assertThat(exlm(am, "alerts", "silence", "expire", ID.toUpperCase(java.util.Locale.ROOT)).out())
                    .startsWith("already expired (at 2026-01-07T10:30:00.000Z) " + ID);
        }
    }

    @Test
    void oneUnknownIdEndsNoSilence() throws Exception {
        ScriptedAlertmanager am = new ScriptedAlertmanager();
        try (am.server) {
            am.states.put(ID, "active");
            Cli.Result r = exlm(am, "alerts", "silence", "expire", ID, "00000000-0000-0000-0000-000000000000");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).contains("has no silence 00000000-0000-0000-0000-000000000000 (none was expired)");
            assertThat(am.server.requests()).noneMatch(q -> q.method().equals("DELETE"));
            assertThat(am.states.get(ID)).isEqualTo("active");
        }
    }

    @Test
    void aSilenceIsNamedByTheBeginningOfItsIdWhenThatNamesOne() throws Exception {
        ScriptedAlertmanager am = new ScriptedAlertmanager();
        try (am.server) {
            am.states.put(ID, "active");
            // as git takes a commit's: what a narrow list or a chat message shows
            Cli.Result r = exlm(am, "alerts", "silence", "expire", ID.substring(0, 8).toUpperCase(java.util.Locale.ROOT));
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).startsWith("expired " + ID);
            assertThat(am.states.get(ID)).isEqualTo("expired");
            // a beginning no silence has: nothing is expired, and it says so
            am.states.put(ID, "active");
            Cli.Result none = exlm(am, "alerts", "silence", "expire", ID, "abcd");
            assertThat(none.exitCode()).as(none.toString()).isEqualTo(2);
            assertThat(none.err()).contains("has no silence whose id begins with abcd (none was expired)");
            assertThat(am.states.get(ID)).isEqualTo("active");
            // a beginning two silences share is no choice to make for the user
            am.states.put("2c8a0000-0000-4000-8000-000000000000", "active");
            Cli.Result two = exlm(am, "alerts", "silence", "expire", "2c8a");
            assertThat(two.exitCode()).as(two.toString()).isEqualTo(2);
            assertThat(two.errLines()).singleElement().asString().contains("2c8a begins 2 silences' ids ("
                    + "2c8a0000-0000-4000-8000-000000000000, " + ID + "; none was expired): give more of it");
            assertThat(am.states.get(ID)).isEqualTo("active");
            // beside an ended silence Alertmanager still keeps, the one not ended is the one meant; named twice, once
            am.states.put("2c8a0000-0000-4000-8000-000000000000", "expired");
            Cli.Result current = exlm(am, "alerts", "silence", "expire", "2c8a", ID);
            assertThat(current.exitCode()).as(current.toString()).isZero();
            assertThat(current.out().lines().filter(l -> l.contains(ID)).count()).isEqualTo(1);
            assertThat(am.server.requests().stream().filter(q -> q.method().equals("DELETE")).count())
                    .isEqualTo(2); // the first test's, and this one
            // fewer than four characters are refused before any request
            int before = am.server.requests().size();
            Cli.Result shortOne = exlm(am, "alerts", "silence", "expire", "2c8");
            assertThat(shortOne.exitCode()).isEqualTo(2);
            assertThat(shortOne.err()).contains("at least its first 4 characters");
            assertThat(am.server.requests()).hasSize(before);
        }
    }

    @Test
    void wrongInputIsAUsageErrorBeforeAnyRequest() throws Exception {
        ScriptedAlertmanager am = new ScriptedAlertmanager();
        try (am.server) {
            String[][] cases = {
                {"add", "instance=~\".*\"", "--comment", "x"},
                {"add", "a=~\"(\"", "--comment", "x"},
                {"add", "9lives=x", "--comment", "x"},
                {"add", "a=\"unclosed", "--comment", "x"},
                {"add", "HighErrorRate", "--comment", "  "},
                {"add", "HighErrorRate", "--comment", "x", "--duration", "0s"},
                {"add", "HighErrorRate"},
                {"expire", "nosuch"},
                {},
            };
            for (String[] c : cases) {
                String[] args = new String[c.length + 2];
                args[0] = "alerts";
                args[1] = "silence";
                System.arraycopy(c, 0, args, 2, c.length);
                Cli.Result r = exlm(am, args);
                assertThat(r.exitCode()).as(String.join(" ", c) + "\n" + r).isEqualTo(2);
                assertThat(r.errLines()).as(r.toString()).hasSize(1);
            }
            assertThat(am.server.requests()).isEmpty();
            // what only Alertmanager can judge, it says; still the command line's fault
            Cli.Result refused = exlm(am, "alerts", "silence", "add", "alertname=~\"(?=High).*\"", "--comment", "x");
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
            assertThat(refused.err()).contains("refused the silence: silence invalid: invalid label matcher 0:");
            Cli.Result unknown = exlm(am, "alerts", "silence", "expire", "03aaca3e-b65b-41a1-9fa0-ffe314f4b399");
            assertThat(unknown.exitCode()).isEqualTo(2);
            assertThat(unknown.err()).contains("has no silence 03aaca3e-b65b-41a1-9fa0-ffe314f4b399");
        }
    }
}
