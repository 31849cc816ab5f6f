package io.exlm.mon.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Prometheus HTTP API that answers from a recording: one JSON document with the {@code data} of
 * {@code /api/v1/alerts} ("alerts"), {@code /api/v1/rules} ("rules"), {@code /api/v1/targets} ("targets") and of
 * each instant query, by its expression exactly as the client sends it ("queries"). A query the recording does not
 * have answers an empty vector and is kept in {@link #unknown()}, so that a test sees a query it did not expect.
 */
public final class RecordedPrometheus implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FaultServer server;
    private final List<String> unknown = new CopyOnWriteArrayList<>();

    public RecordedPrometheus(String recording) throws IOException {
        JsonNode rec = JSON.readTree(recording);
        server = new FaultServer((req, out, sock) -> {
            String path = req.path();
            String base = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            JsonNode data = switch (base) {
                case "/api/v1/alerts" -> rec.path("alerts");
                case "/api/v1/rules" -> rec.path("rules");
                case "/api/v1/targets" -> rec.path("targets");
                case "/api/v1/query" -> {
                    String query = null;
                    for (String pair : path.substring(path.indexOf('?') + 1).split("&")) {
                        if (pair.startsWith("query=")) {
                            query = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
                        }
                    }
                    JsonNode d = rec.path("queries").get(query);
                    if (d == null) {
                        unknown.add(query);
                        d = JSON.readTree("{\"resultType\":\"vector\",\"result\":[]}");
                    }
                    yield d;
                }
                default -> null;
            };
            if (data == null || data.isMissingNode()) {
                FaultServer.respond(out, 404, "text/plain", "not found");
                return;
            }
            FaultServer.respond(out, 200, "application/json", "{\"status\":\"success\",\"data\":" + data + "}");
        });
    }

    public String url() {
        return server.url();
    }

    /** The expressions asked that the recording has no answer for. */
    public List<String> unknown() {
        return List.copyOf(unknown);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
