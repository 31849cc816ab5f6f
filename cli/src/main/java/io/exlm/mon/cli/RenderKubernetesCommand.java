package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.kubernetes.KubernetesManifests;
import io.exlm.mon.kubernetes.KubernetesManifests.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "kubernetes",
        description = {"Write the monitoring for kube-prometheus-stack (the Prometheus Operator and Grafana's"
                + " dashboard sidecar).", "",
            "Four objects, made from the stack's files: a PrometheusRule with every rule of prometheus/rules/ (each"
                + " alert also labelled with the namespace, which the operator routes an AlertmanagerConfig's alerts"
                + " by), a ServiceMonitor that scrapes the backend's Service at prometheus.yml's path and interval"
                + " and keeps the job name exlm-backend that the rules select, the generated dashboard in a"
                + " ConfigMap labelled grafana_dashboard: \"1\", and alertmanager.yml's routes, receivers and"
                + " inhibitions as an AlertmanagerConfig (v1alpha1).",
            "",
            "Every webhook reads its URL from the Secret named by --webhook-secret (key url); create it before"
                + " applying: kubectl -n NAMESPACE create secret generic exlm-alert-webhook --from-literal=url=URL.",
            "",
            "To stdout as one multi-document YAML stream, or with --output-dir one file per object; an existing file"
                + " is only replaced with --force."},
        exitCodeList = {"0:written", "1:a file could not be written",
            "2:usage error: a name Kubernetes refuses, or a file that exists without --force"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  exlm-mon render kubernetes --namespace exlm | kubectl apply -f -",
            "  exlm-mon render kubernetes --namespace exlm --release monitoring \\",
            "      --selector app=exlm-backend --port metrics --output-dir deploy/monitoring"})
public final class RenderKubernetesCommand extends BaseCommand {
    /** A namespace, or a Secret's name: an RFC 1123 label (a Secret may be a subdomain; a label is always one). */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(
            "(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** A label value: at most 63 characters, alphanumeric at both ends, '-', '_' and '.' between. */
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?");
    /** A label key: an optional DNS subdomain prefix and '/', then a name like a non-empty label value. */
    private static final Pattern LABEL_KEY = Pattern.compile(
            "((?=[^/]{1,253}/)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
                    + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    /** The name of a Service's port (an IANA service name): at most 15 characters, a letter among them. */
    private static final Pattern PORT_NAME = Pattern.compile("(?=.{1,15}$)(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    @Option(names = "--namespace", paramLabel = "NAMESPACE", required = true, order = 1,
            description = "The backend's namespace: every object goes there, the ServiceMonitor selects the backend's"
                    + " Service in it, and every alert carries it as its namespace label")
    String namespace;

    @Option(names = "--release", paramLabel = "NAME", defaultValue = KubernetesManifests.DEFAULT_RELEASE, order = 2,
            description = "kube-prometheus-stack's Helm release: its Prometheus selects PrometheusRules and"
                    + " ServiceMonitors labelled release: NAME (default: ${DEFAULT-VALUE}, the chart's usual name)")
    String release;

    @Option(names = "--selector", paramLabel = "KEY=VALUE", order = 3,
            description = "A label of the backend's Service that the ServiceMonitor selects it by; repeatable, all"
                    + " must match (default: " + KubernetesManifests.DEFAULT_SELECTOR + ")")
    List<String> selector = new ArrayList<>();

    @Option(names = "--port", paramLabel = "NAME", defaultValue = KubernetesManifests.DEFAULT_PORT, order = 4,
            description = "The name of the backend Service's port that serves the metrics (default: ${DEFAULT-VALUE})")
    String port;

    @Option(names = "--datasource-uid", paramLabel = "UID", defaultValue = KubernetesManifests.DEFAULT_DATASOURCE_UID,
            order = 5, description = "The uid of Grafana's Prometheus datasource that the dashboard's panels query"
                    + " (default: ${DEFAULT-VALUE}, the one kube-prometheus-stack provisions)")
    String datasourceUid;

    @Option(names = "--webhook-secret", paramLabel = "NAME", defaultValue = KubernetesManifests.DEFAULT_WEBHOOK_SECRET,
            order = 6, description = "The Secret in the namespace whose key url every receiver's webhook posts to"
                    + " (default: ${DEFAULT-VALUE})")
    String webhookSecret;

    @Option(names = "--output-dir", paramLabel = "DIR", order = 7,
            description = "Write one file per object into DIR (created if missing) instead of to stdout")
    Path outputDir;

    @Option(names = "--force", order = 8, description = "With --output-dir: replace files that exist")
    boolean force;

    @Override
    int run(Context ctx) {
        ctx.requireFormat(OutputFormat.text);
        List<Manifest> manifests = KubernetesManifests.render(options());
        if (outputDir == null) {
            if (force) {
                throw ExitException.usage("--force only applies with --output-dir");
            }
            ctx.out().print(KubernetesManifests.yaml(manifests));
            ctx.out().flush();
            return ExitCode.OK;
        }
        write(ctx, manifests);
        return ExitCode.OK;
    }

    KubernetesManifests.Options options() {
        check(DNS_LABEL, namespace, "--namespace", "a lowercase RFC 1123 label (a-z, 0-9, '-', at most 63)");
        check(LABEL_VALUE, release, "--release", "a label value (at most 63 of A-Z, a-z, 0-9, '-', '_', '.')");
        if (release.isEmpty()) {
            // release: "" is a label no chart's selector matches: the objects would be ignored without a word
            throw ExitException.usage("--release is empty; give the Helm release of kube-prometheus-stack (default "
                    + KubernetesManifests.DEFAULT_RELEASE + ")");
        }
        check(PORT_NAME, port, "--port", "a Service port's name (at most 15 of a-z, 0-9, '-', with a letter)");
        check(DNS_SUBDOMAIN, webhookSecret, "--webhook-secret", "a Secret's name (a lowercase RFC 1123 subdomain)");
        if (datasourceUid.isEmpty() || datasourceUid.length() > 40 || !datasourceUid.matches("[A-Za-z0-9_-]+")) {
            throw ExitException.usage("--datasource-uid '" + io.exlm.mon.Text.printable(
                    datasourceUid) + "' is not a Grafana uid (at most 40 of A-Z, a-z, 0-9, '-', '_')");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (String s : selector.isEmpty() ? List.of(KubernetesManifests.DEFAULT_SELECTOR) : selector) {
            int eq = s.indexOf('=');
            String key = eq < 0 ? s : s.substring(0, eq);
            if (eq < 0 || !LABEL_KEY.matcher(key).matches() || !LABEL_VALUE.matcher(s.substring(eq + 1)).matches()
                    || s.substring(eq + 1).isEmpty()) {
                throw ExitException.usage("--selector '" + io.exlm.mon.Text.printable(s)
                        + "' is not KEY=VALUE with a Kubernetes label key and value (app.kubernetes.io/name=exlm)");
            }
            if (labels.put(key, s.substring(eq + 1)) != null) {
                throw ExitException.usage("--selector names " + key + " twice");
            }
        }
        return new KubernetesManifests.Options(namespace, release, labels, port, datasourceUid, webhookSecret);
    }

    private static void check(Pattern p, String value, String option, String what) {
        if (!p.matcher(value).matches()) {
            throw ExitException.usage(option + " '" + io.exlm.mon.Text.printable(value)
                    + "' is not " + what);
        }
    }

    /** Every file, or none: the files that exist are refused before anything is written. */
    private void write(Context ctx, List<Manifest> manifests) {
        List<String> existing = new ArrayList<>();
        for (Manifest m : manifests) {
            Path file = outputDir.resolve(m.fileName());
            if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !force) {
                existing.add(file.toString());
            }
        }
        if (!existing.isEmpty()) {
            throw ExitException.usage(String.join(", ", existing) + (existing.size() == 1
                    ? " exists" : " exist") + "; add --force to replace, or choose another --output-dir");
        }
        for (Manifest m : manifests) {
            Path file = outputDir.resolve(m.fileName());
            try {
                Files.createDirectories(outputDir);
                // a name of its own beside the file, so that no file of the user's is the temporary one
                Path tmp = Files.createTempFile(outputDir, "." + m.fileName() + ".", ".tmp");
                Files.writeString(tmp, m.yaml(), StandardCharsets.UTF_8);
                // a temporary file is its owner's only; a manifest is for a repository and CI to read: a replaced
                // file keeps its permissions, a new one gets rw-r--r-- (group and others may read, as a shell's
                // umask 022 gives)
                try {
                    Files.setPosixFilePermissions(tmp, Files.exists(file) ? Files.getPosixFilePermissions(file)
                            : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                } catch (UnsupportedOperationException e) {
                    // no POSIX permissions here: the file system's own
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new ExitException(ExitCode.UNHEALTHY, "cannot write " + file + ": " + e.getClass()
                        .getSimpleName() + " " + e.getMessage() + "; check the directory's permissions and free space");
            }
            ctx.out().println("wrote " + file);
        }
        ctx.out().flush();
    }
}
