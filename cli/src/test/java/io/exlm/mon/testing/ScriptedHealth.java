package io.exlm.mon.testing;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A health backend that answers each path from a script: the n-th request to a path gets the n-th answer, the last
 * one repeated after the end. One request per path per attempt, so a script is a check's attempt-by-attempt story.
 */
public final class ScriptedHealth implements AutoCloseable {
    /** One answer: a status and a JSON body. */
    public record Answer(int status, String json) {
    }

    public static final Answer BASIC_OK = new Answer(200, "{\"status\":\"healthy\",\"version\":\"0.1.0\","
            + "\"environment\":\"test\",\"service\":\"exlm-backend\"}");
    public static final Answer BASIC_DOWN = new Answer(503, "{\"status\":\"unhealthy\",\"version\":\"0.1.0\","
            + "\"environment\":\"test\",\"service\":\"exlm-backend\"}");
    public static final Answer READY_OK = new Answer(200, "{\"status\":\"ready\",\"checks\":{\"database\":"
            + "{\"status\":\"ok\"},\"redis\":{\"status\":\"not_configured\"}}}");
    public static final Answer READY_DB_DOWN = new Answer(503, "{\"status\":\"not_ready\",\"checks\":{\"database\":"
            + "{\"status\":\"fail\",\"error\":\"connection refused\"},\"redis\":{\"status\":\"not_configured\"}}}");

    private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
    private final FaultServer server;

    public ScriptedHealth(Map<String, List<Answer>> script) throws IOException {
        server = new FaultServer((req, out, sock) -> {
            List<Answer> answers = script.get(req.path());
            if (answers == null) {
                FaultServer.respond(out, 404, "application/json", "{\"detail\":\"Not Found\"}");
                return;
            }
            int n = served.computeIfAbsent(req.path(), p -> new AtomicInteger()).getAndIncrement();
            Answer a = answers.get(Math.min(n, answers.size() - 1));
            FaultServer.respond(out, a.status(), "application/json", a.json());
        });
    }

    public String url() {
        return server.url();
    }

    /** Requests answered for a path so far. */
    public int served(String path) {
        AtomicInteger n = served.get(path);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
