package io.exlm.mon.cli;

import io.exlm.mon.ExitException;
import picocli.CommandLine.Command;

@Command(name = "silence",
        description = {"Silence alerts in Alertmanager while a cause is understood, list the silences, expire one.",
            "Through Alertmanager's v2 API (--alertmanager-url), as amtool silence does."},
        subcommands = {SilenceAddCommand.class, SilenceListCommand.class, SilenceExpireCommand.class},
        exitCodeList = {"0:done", "2:usage error: a wrong matcher, duration or silence id",
            "3:Alertmanager cannot be reached"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  exlm-mon alerts silence add HighErrorRate instance=backend:8000 \\",
            "      --duration 2h --comment 'deploy 4711 rolling back'",
            "  exlm-mon alerts silence list",
            "  exlm-mon alerts silence expire 2c8a7f4e-1b3d-4c5e-9f6a-7b8c9d0e1f2a"})
public final class SilenceCommand extends BaseCommand {
    @Override
    int run(Context ctx) {
        throw ExitException.usage("alerts silence needs one of add, list or expire");
    }
}
