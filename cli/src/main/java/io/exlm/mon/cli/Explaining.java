package io.exlm.mon.cli;

import io.exlm.mon.config.Setting;
import io.exlm.mon.doctor.CheckResult;
import io.exlm.mon.doctor.Checks;
import io.exlm.mon.doctor.Doctor;
import io.exlm.mon.doctor.DoctorEnv;
import io.exlm.mon.doctor.DoctorSettings;
import io.exlm.mon.explain.Explainer;
import io.exlm.mon.explain.StackProcesses;
import io.exlm.mon.promql.Alert;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.stack.StateDir;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** What {@code alerts --explain} and {@code explain} share: the explainer over this run's settings. */
final class Explaining {
    /** Queries and checks run at once, at most: enough to overlap the waits, few enough for a shared Prometheus. */
    static final int PARALLEL = 4;

    private Explaining() {
    }

    /** The explainer: this run's Prometheus client, the doctor's checks, the stack's pid files, the clock. */
    static Explainer explainer(Context ctx, PrometheusClient prometheus) {
        StateDir state = StateDir.resolve(ctx.settings().path(Setting.STACK_STATE_DIR), ctx.env());
        Explainer.CheckRunner checks = ids -> {
            DoctorEnv env = DoctorSettings.env(ctx.settings(), ctx.http(), null);
            List<CheckResult> all = Doctor.run(Doctor.select(Checks.all(), ids), env,
                    new Doctor.Options(ctx.httpOptions().timeout(), PARALLEL), false).results();
            return all.stream().filter(r -> ids.contains(r.id())).toList();
        };
        // the pid files and the runtime describe the stack started on this machine: a Prometheus elsewhere scrapes
        // processes of its own hosts, and this machine's pid files would speak of other processes, its runtime of
        // another way to start them
        boolean here = io.exlm.mon.http.Loopback.url(prometheus.baseUrl());
        String runtime = here ? state.runtime() : null;
        Explainer.ProcessLookup processes = here ? new StackProcesses(state, runtime)
                : job -> List.of("Prometheus at " + io.exlm.mon.Text.printable(prometheus.baseUrl()) + " is not on"
                        + " this machine: look for job " + io.exlm.mon.Text.printable(job) + "'s process on its host");
        return new Explainer(prometheus, checks, processes, Clock.systemUTC(),
                ctx.httpOptions().timeout(), PARALLEL, runtime);
    }

    /**
     * Alerts in the order {@code alerts} lists them ({@link Alert#pagingOrder}); silences are not known here. The
     * oldest first by their {@code activeAt} itself (the earlier, the larger the key), no clock read: an age against
     * this machine's clock would tie every alert Prometheus's clock has ahead of it.
     */
    static List<Alert> ordered(List<Alert> alerts) {
        List<Alert> out = new ArrayList<>(alerts);
        out.sort(Alert.pagingOrder((Alert a) -> !Alert.BY_DESIGN.equals(a.labels().getOrDefault("severity", "")),
                Alert::state, a -> a.labels().getOrDefault("severity", ""), Explaining::earliness, Alert::name,
                a -> a.labels().getOrDefault("instance", "")));
        return out;
    }

    /** A key that grows the earlier an alert became active: minus its activeAt's epoch second; null without one. */
    private static Long earliness(Alert a) {
        try {
            return a.activeAt() == null ? null : -java.time.OffsetDateTime.parse(a.activeAt()).toEpochSecond();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    static int severityRank(String s) {
        return Alert.severityRank(s);
    }
}
