package io.exlm.mon.cli;

import io.exlm.mon.ExitException;
import picocli.CommandLine.Command;

@Command(name = "render",
        description = {"The stack's monitoring for another platform, from up's files.",
            "", "kubernetes: kube-prometheus-stack's objects (PrometheusRule, ServiceMonitor, the dashboard's"
                + " ConfigMap, AlertmanagerConfig)."},
        subcommands = {RenderKubernetesCommand.class},
        exitCodeList = {"0:written", "1:a file could not be written", "2:usage error"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  exlm-mon render kubernetes --namespace exlm | kubectl apply -f -"})
public final class RenderCommand extends BaseCommand {
    @Override
    int run(Context ctx) {
        throw ExitException.usage("a platform is required: kubernetes");
    }
}
