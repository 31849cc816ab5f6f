package io.exlm.mon;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.FaultServer;
import org.junit.jupiter.api.Test;

class TextTest {
    @Test
    void controlCharactersBecomeQuestionMarks() {
        assertThat(Text.printable("ok\u001b[31mred\u001b[0m\nnext\u0085\u007f\ttab")).isEqualTo(
                "ok?[31mred?[0m?next??\ttab");
        assertThat(Text.printable("plain – ünïcode")).isEqualTo("plain – ünïcode");
        assertThat(Text.printable(null)).isNull();
        assertThat(Text.noEscapes("a: 1\nb:\u001b[2J 2\r\n")).isEqualTo("a: 1\nb:?[2J 2\r\n");
    }

    @Test
    void aServerCannotWriteEscapeSequencesToTheTerminal() throws Exception {
        try (FaultServer s = new FaultServer((req, out, sock) -> FaultServer.respond(out, 503, "application/json",
                "{\"status\":\"DOWN\",\"components\":{\"db\":{\"status\":\"DOWN\",\"details\":{\"error\":"
                        + "\"boom\\u001b[2J\\u001b[H\"}}}}"));
                FaultServer t = new FaultServer((req, out, sock) -> FaultServer.respond(out, 500, "text/plain",
                        "fail\u001b]0;pwned\u0007\nsecond line"))) {
            Cli.Result health = Cli.exec("health", "--url", s.url() + "/actuator/health");
            assertThat(health.exitCode()).isEqualTo(1);
            assertThat(health.out()).contains("db (boom?[2J?[H)").doesNotContain("\u001b");
            Cli.Result error = Cli.exec("health", "--check", "basic", "--backend-url", t.url());
            assertThat(error.exitCode()).isEqualTo(3);
            assertThat(error.errLines()).hasSize(1);
            assertThat(error.err()).doesNotContain("\u001b", "\u0007");
        }
    }
}
