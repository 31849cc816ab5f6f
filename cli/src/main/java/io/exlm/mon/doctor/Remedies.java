package io.exlm.mon.doctor;

import io.exlm.mon.config.Setting;
import io.exlm.mon.http.HttpFailure;
import io.exlm.mon.http.HttpResponse;
import io.exlm.mon.http.Loopback;
import io.exlm.mon.stack.StackRuntime;
import java.net.URI;
import java.util.function.Function;
import java.util.function.Supplier;

/** Remediations shared by several checks: what to do about an endpoint that failed, by the kind of failure. */
final class Remedies {
    private Remedies() {
    }

    static Reach reach(HttpFailure f) {
        return switch (f.kind()) {
            case REFUSED, DNS, CONNECT_TIMEOUT, TIMEOUT, TLS, PROTOCOL -> Reach.UNREACHABLE;
            default -> Reach.REACHED;
        };
    }

    /** A generic remediation for a failed request; checks that know more say more. */
    static String forFailure(HttpFailure f) {
        return switch (f.kind()) {
            case REFUSED -> "nothing listens on " + hostPort(f.url()) + ": start the service, or point exlm-mon at"
                    + " where it runs (--prometheus-url, --backend-url, --alertmanager-url, --grafana-url)";
            case DNS -> "the host name of " + f.url() + " does not resolve: check the URL";
            case CONNECT_TIMEOUT -> "no connection to " + hostPort(f.url()) + ": a firewall, or a host that is down;"
                    + " check the address and the network";
            case TIMEOUT -> "it accepted the connection but did not answer in time: it is stuck or overloaded; see"
                    + " its log, or raise --timeout";
            case TLS -> "fix the scheme (http or https) in the URL, or trust its certificate with --ca-file";
            case HTTP_STATUS -> f.status() == 401 || f.status() == 403
                    ? "it wants credentials: set --bearer-token-file, EXLM_BEARER_TOKEN, or EXLM_BASIC_AUTH_USER with"
                            + " EXLM_BASIC_AUTH_PASSWORD"
                    : f.status() == 404 ? "no such endpoint: check the URL and any path prefix"
                    : "see the service's log";
            case NOT_JSON, NOT_EXPOSITION -> "this is not the endpoint it should be: check the URL and the port";
            default -> "see the service's log";
        };
    }

    /**
     * Asks a part of the stack on its own health path and judges the answer; a part that does not answer is
     * {@link #notAnswering}.
     */
    static Outcome answering(String what, Setting setting, String url, String runtime, Supplier<HttpResponse> ask,
            Function<HttpResponse, Outcome> judge) {
        HttpResponse r;
        try {
            r = ask.get();
        } catch (HttpFailure f) {
            return notAnswering(what, setting, url, runtime, f);
        }
        return judge.apply(r);
    }

    /**
     * The outcome of a part of the stack that does not answer at {@code url}: what failed, the start advice, and
     * how far the call reached. {@code setting} (Prometheus's, Alertmanager's or Grafana's URL, whose
     * flag is its key with dashes: {@code --prometheus-url}) names the flag and the variable that point elsewhere.
     * {@code runtime} is that of the stack up started where {@code url} points ({@link #runtimeAt}), or null.
     */
    static Outcome notAnswering(String what, Setting setting, String url, String runtime, HttpFailure f) {
        return Outcome.fail(what + " does not answer at " + url + " (" + f.kind().label() + ")").detail(f.getMessage())
                .fix(start(what, "--" + setting.key().replace('.', '-'), setting.env(), url, runtime, f))
                .reach(reach(f)).figure("url", url);
    }

    /**
     * The runtime of the stack exlm-mon up started on this machine ({@code local}, {@code compose}) when {@code url}
     * is on this machine, where that stack listens; null otherwise (a part elsewhere is none of its parts).
     */
    static String runtimeAt(DoctorEnv env, String url) {
        return Loopback.url(url) ? env.stackRuntime() : null;
    }

    /** Start advice for a part of the stack that does not answer. */
    private static String start(String what, String flag, String env, String url, String runtime, HttpFailure f) {
        // a part of the stack up started here: up again, with its runtime; else each way it may run
        String again = StackRuntime.upAgain(runtime);
        String how = switch (what) {
            case "Prometheus" -> again != null ? "start it: " + again : "start it: exlm-mon up (or docker compose up"
                    + " -d prometheus, systemctl start prometheus)";
            case "Alertmanager" -> again != null ? "start it: " + again : "start it: exlm-mon up (or docker compose up"
                    + " -d alertmanager, systemctl start prometheus-alertmanager)";
            case "Grafana" -> again != null ? "start it: " + again : "start it: exlm-mon up (or docker compose up -d"
                    + " grafana, systemctl start grafana-server)";
            default -> "start it (exlm-mon demo runs a reference backend to compare with)";
        };
        if (f.kind() == HttpFailure.Kind.REFUSED || f.kind() == HttpFailure.Kind.CONNECT_TIMEOUT) {
            return what + " is not running at " + url + ": " + how + "; if it runs elsewhere, set " + flag + " or "
                    + env;
        }
        if (f.kind() == HttpFailure.Kind.DNS) {
            return "the host of " + url + " does not resolve: correct " + flag + " or " + env;
        }
        return forFailure(f);
    }

    static String hostPort(String url) {
        try {
            URI u = URI.create(url);
            int port = u.getPort() >= 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
            return u.getHost() + ":" + port;
        } catch (IllegalArgumentException e) {
            return url;
        }
    }
}
