package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code render kubernetes} as a command: its output held to a golden file (what the objects are is
 * KubernetesManifestsTest's), one file per object with --output-dir and none replaced without --force, and names
 * Kubernetes would refuse refused here in one line with exit 2.
 */
class RenderKubernetesCommandTest {
    @TempDir
    Path tmp;

    @Test
    void anEmptyReleaseOrSelectorValueWouldBeIgnoredByTheChartAndIsAUsageError() {
        Cli.Result release = Cli.exec("render", "kubernetes", "--namespace", "exlm", "--release", "");
        assertThat(release.exitCode()).as(release.toString()).isEqualTo(2);
        assertThat(release.errLines()).singleElement().asString().contains("--release is empty");
        Cli.Result selector = Cli.exec("render", "kubernetes", "--namespace", "exlm", "--selector", "app=");
        assertThat(selector.exitCode()).as(selector.toString()).isEqualTo(2);
    }

    @Test
    void filesAreReadableByOthersAndAReplacedOneKeepsItsPermissions() throws Exception {
        Path dir = tmp.resolve("perm");
        assertThat(Cli.exec("render", "kubernetes", "--namespace", "exlm", "--output-dir", dir.toString())
                .exitCode()).isZero();
        Path rule = dir.resolve("prometheusrule-exlm-mon-rules.yaml");
        assertThat(java.nio.file.Files.getPosixFilePermissions(rule)).isEqualTo(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        java.nio.file.Files.setPosixFilePermissions(rule,
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));
        assertThat(Cli.exec("render", "kubernetes", "--namespace", "exlm", "--output-dir", dir.toString(), "--force")
                .exitCode()).isZero();
        assertThat(java.nio.file.Files.getPosixFilePermissions(rule)).isEqualTo(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));
    }

    @Test
    void stdoutIsTheGoldenStream() throws Exception {
        Cli.Result r = Cli.exec("render", "kubernetes", "--namespace", "exlm");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        Golden.assertMatches("render-kubernetes.yaml", r.out(), "render kubernetes");
    }

    @Test
    void theOptionsReachTheObjects() {
        Cli.Result r = Cli.exec("render", "kubernetes", "--namespace", "exlm-prod", "--release", "monitoring",
                "--selector", "app=exlm", "--selector", "tier=api", "--port", "metrics", "--datasource-uid", "prom-1",
                "--webhook-secret", "pager.hook");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("  namespace: exlm-prod\n", "    release: monitoring\n",
                "    matchLabels:\n      app: exlm\n      tier: api\n", "  - port: metrics\n",
                "\"uid\": \"prom-1\"", "        name: pager.hook\n", "        namespace: exlm-prod\n")
                .doesNotContain("kube-prometheus-stack", "exlm-prometheus", "app.kubernetes.io/name");
    }

    @Test
    void oneFilePerObjectAndNoneReplacedWithoutForce() throws Exception {
        Path dir = tmp.resolve("deploy/monitoring");
        Cli.Result first = Cli.exec("render", "kubernetes", "--namespace", "exlm", "--output-dir", dir.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        List<String> files = List.of("prometheusrule-exlm-mon-rules.yaml", "servicemonitor-exlm-backend.yaml",
                "configmap-exlm-mon-dashboards.yaml", "alertmanagerconfig-exlm-mon-routing.yaml");
        try (var list = Files.list(dir)) {
            assertThat(list.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(files);
        }
        // the files together are the stream of stdout
        StringBuilder joined = new StringBuilder();
        for (String f : files) {
            joined.append("---\n").append(Files.readString(dir.resolve(f)));
        }
        assertThat(joined.toString()).isEqualTo(Cli.exec("render", "kubernetes", "--namespace", "exlm").out());

        Files.writeString(dir.resolve(files.get(1)), "mine\n");
        Cli.Result again = Cli.exec("render", "kubernetes", "--namespace", "exlm", "--output-dir", dir.toString());
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(2);
        assertThat(again.errLines()).hasSize(1);
        assertThat(again.err()).contains(files.get(0), files.get(1), "--force");
        assertThat(Files.readString(dir.resolve(files.get(1)))).as("nothing replaced").isEqualTo("mine\n");

        Cli.Result forced = Cli.exec("render", "kubernetes", "--namespace", "exlm", "--output-dir", dir.toString(),
                "--force");
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(Files.readString(dir.resolve(files.get(1)))).startsWith("# ServiceMonitor exlm-backend");
        try (var list = Files.list(dir)) {
            assertThat(list.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrderElementsOf(files);
        }
    }

    @Test
    void aDirectoryThatCannotBeMadeIsExit1InOneLine() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        Cli.Result r = Cli.exec("render", "kubernetes", "--namespace", "exlm", "--output-dir", file.resolve("sub")
                .toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("cannot write", file.toString()).doesNotContain("\tat ");
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--namespace=Exlm", "--namespace=exlm_prod", "--release=-x", "--port=8000",
        "--port=a-very-long-port-name", "--selector=app", "--selector=app=a b", "--datasource-uid=a/b",
        "--webhook-secret=Hook", "--force", "-o=json"})
    void aValueKubernetesRefusesIsAUsageError(String option) {
        Cli.Result r = option.startsWith("--namespace") ? Cli.exec("render", "kubernetes", option)
                : Cli.exec("render", "kubernetes", "--namespace=exlm", option);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void withoutANamespaceOrAPlatform() {
        Cli.Result none = Cli.exec("render", "kubernetes");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("--namespace");
        Cli.Result platform = Cli.exec("render");
        assertThat(platform.exitCode()).isEqualTo(2);
        assertThat(platform.err()).contains("kubernetes");
    }
}
