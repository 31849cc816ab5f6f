package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.FaultServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootCommandTest {
    @Test
    void versionComesFromTheBuild() {
        Cli.Result r = Cli.exec("--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out().strip()).matches("exlm-mon \\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        Cli.Result r = Cli.exec("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("health", "metrics", "top", "doctor", "alerts", "query", "up", "down", "status", "demo",
                "completion", "--backend-url", "Exit codes", "exlm-mon help COMMAND", "EXLM_NAME", "EXLM_MAX_BODY");
        assertThat(r.out()).containsPattern("3 +could not reach or could not understand an endpoint");
    }

    @Test
    void everySubcommandHasHelp() {
        picocli.CommandLine root = ExlmMon.commandLine(new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(new java.io.StringWriter()), java.util.Map.of());
        assertThat(root.getSubcommands()).isNotEmpty();
        root.getSubcommands().forEach((name, sub) -> {
            Cli.Result r = Cli.exec(name, "--help");
            assertThat(r.exitCode()).as(name + " --help: " + r).isZero();
            assertThat(r.out()).as(name).contains("Usage: exlm-mon " + name);
            assertThat(r.out().lines()).as(name).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
        });
    }

    @Test
    void helpTextsAreValidFormatStrings() {
        // picocli passes help texts through String.format: a lone % makes it print a warning and the raw text
        picocli.CommandLine root = ExlmMon.commandLine(new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(new java.io.StringWriter()), java.util.Map.of());
        java.util.List<picocli.CommandLine> all = new java.util.ArrayList<>();
        all.add(root);
        for (int i = 0; i < all.size(); i++) {
            all.addAll(all.get(i).getSubcommands().values());
        }
        for (picocli.CommandLine cl : all) {
            picocli.CommandLine.Model.UsageMessageSpec u = cl.getCommandSpec().usageMessage();
            java.util.List<String> texts = new java.util.ArrayList<>();
            texts.addAll(java.util.List.of(u.description()));
            texts.addAll(java.util.List.of(u.footer()));
            texts.addAll(java.util.List.of(u.header()));
            cl.getCommandSpec().options().forEach(o -> texts.addAll(java.util.List.of(o.description())));
            for (String t : texts) {
                assertThat(t).as(cl.getCommandName()).satisfies(x -> String.format(x.replace("${", "")));
            }
        }
    }

    @Test
    void theLeanCommandLineOfMainBuildsOnlyTheNamedCommand() {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        String[] args = {"--timeout", "5s", "health", "--check", "live", "--help"};
        picocli.CommandLine lean = ExlmMon.forArgs(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err,
                true), java.util.Map.of(), false, System.in, args);
        assertThat(lean.getSubcommands()).containsOnlyKeys("health");
        assertThat(lean.execute(args)).isZero();
        assertThat(out.toString()).contains("Usage: exlm-mon health", "--check", HelpLayout.GLOBAL_OPTIONS_LINE);

        // a misspelt command keeps its suggestion, even with another command's name further on
        String[] typo = {"qurey", "up"};
        java.io.StringWriter typoErr = new java.io.StringWriter();
        picocli.CommandLine all = ExlmMon.forArgs(new java.io.PrintWriter(new java.io.StringWriter(), true),
                new java.io.PrintWriter(typoErr, true), java.util.Map.of(), false, System.in, typo);
        assertThat(all.execute(typo)).isEqualTo(2);
        assertThat(typoErr.toString()).contains("query");
        assertThat(Subcommands.named(new String[] {"-o", "json", "top", "--once"})).isEqualTo("top");
        assertThat(Subcommands.named(new String[] {"--tenant=a", "up"})).isEqualTo("up");
        assertThat(Subcommands.named(new String[] {"--help"})).isNull();

        String[] none = {"--no-such-option"};
        picocli.CommandLine full = ExlmMon.forArgs(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err,
                true), java.util.Map.of(), false, System.in, none);
        assertThat(full.getSubcommands()).containsKeys("health", "metrics", "up", "down", "status", "demo");
        assertThat(full.execute(none)).isEqualTo(2);
    }

    @Test
    void noCommandIsAShortUsageError() {
        Cli.Result r = Cli.exec();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("exlm-mon: a command is required (see 'exlm-mon --help')");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void misspelledCommandGetsASuggestion() {
        Cli.Result r = Cli.exec("helth");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("exlm-mon: unmatched argument at index 0 'helth'; "
                + "did you mean 'exlm-mon health'? (see 'exlm-mon --help')");
    }

    @Test
    void unknownOptionIsAUsageErrorOnTheSubcommand() {
        Cli.Result r = Cli.exec("health", "--chekc", "ready");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("exlm-mon health: unknown options '--chekc', 'ready'; "
                + "did you mean '--check'? (see 'exlm-mon health --help')");
    }

    @Test
    void everyUsageErrorIsOneLineNamingTheCommandAndItsHelp() {
        java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("health --bogus", "exlm-mon health: unknown option '--bogus' (see 'exlm-mon health --help')");
        expected.put("health --chek", "exlm-mon health: unknown option '--chek'; did you mean '--check'? "
                + "(see 'exlm-mon health --help')");
        // letters swapped, where picocli's letter pairs find nothing: the nearest names within two edits
        expected.put("health --wiat 5s", "exlm-mon health: unknown options '--wiat', '5s'; did you mean '--wait'? "
                + "(see 'exlm-mon health --help')");
        expected.put("health --timeuot=2s", "exlm-mon health: unknown option '--timeuot=2s'; did you mean "
                + "'--timeout'? (see 'exlm-mon health --help')");
        expected.put("health --x", "exlm-mon health: unknown option '--x' (see 'exlm-mon health --help')");
        expected.put("metrics chek", "exlm-mon metrics: unmatched argument at index 1 'chek'; "
                + "did you mean 'exlm-mon metrics check'? (see 'exlm-mon metrics --help')");
        expected.put("health --backend-url", "exlm-mon health: missing required parameter for option "
                + "'--backend-url' (URL) (see 'exlm-mon health --help')");
        expected.put("query", "exlm-mon query: missing required parameter: 'EXPR' (see 'exlm-mon query --help')");
        expected.put("health extra", "exlm-mon health: unmatched argument at index 1 'extra' "
                + "(see 'exlm-mon health --help')");
        expected.forEach((args, line) -> {
            Cli.Result r = Cli.exec(args.split(" "));
            assertThat(r.exitCode()).as(args).isEqualTo(2);
            assertThat(r.errLines()).as(args).containsExactly(line);
            assertThat(r.out()).as(args).isEmpty();
        });
        // a value picocli's converter refuses: its words, on the same one line
        Cli.Result wait = Cli.exec("health", "--wait", "soon");
        assertThat(wait.errLines()).singleElement().asString().startsWith("exlm-mon health: invalid value for "
                + "option '--wait': 'soon' is not a duration").endsWith("(see 'exlm-mon health --help')");
    }

    @Test
    void badDurationIsAUsageError() {
        Cli.Result r = Cli.exec("health", "--wait", "soon");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'soon' is not a duration");
    }

    @Test
    void unsupportedOutputFormatIsAUsageError() {
        Cli.Result r = Cli.exec("demo", "-o", "junit");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("-o junit is not available here");
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheCommand() throws Exception {
        try (FaultServer s = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200, "application/json",
                "{\"status\":\"healthy\"}"))) {
            assertThat(Cli.exec("--backend-url", s.url(), "health", "--check", "basic").exitCode()).isZero();
            assertThat(Cli.exec("health", "--check", "basic", "--backend-url", s.url()).exitCode()).isZero();
        }
    }

    @Test
    void configFileSetsTheBackendOnce(@TempDir Path dir) throws Exception {
        try (FaultServer s = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200, "application/json",
                "{\"status\":\"healthy\"}"))) {
            Path cfg = Files.writeString(dir.resolve("c.properties"), "backend.url = " + s.url() + "\n"
                    + "header.X-From = config\n");
            Cli.Result r = Cli.exec("health", "--check", "basic", "--config", cfg.toString());
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(s.requests().get(0).header("X-From")).isEqualTo("config");

            Cli.Result viaEnv = new Cli().env("EXLM_MON_CONFIG", cfg.toString()).run("health", "--check", "basic");
            assertThat(viaEnv.exitCode()).isZero();

            Path home = dir.resolve("home");
            Files.createDirectories(home.resolve(".config/exlm-mon"));
            Files.copy(cfg, home.resolve(".config/exlm-mon/config.properties"));
            Cli.Result viaDefault = new Cli().env("HOME", home.toString()).run("health", "--check", "basic");
            assertThat(viaDefault.exitCode()).as(viaDefault.toString()).isZero();
        }
    }

    @Test
    void missingNamedConfigFileIsAUsageError(@TempDir Path dir) {
        Cli.Result r = Cli.exec("health", "--config", dir.resolve("absent.properties").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("absent.properties does not exist");
    }
}
