package io.exlm.mon.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exlm.mon.promql.AlertmanagerClient.Matcher;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Matchers as amtool and PromQL write them, read into what Alertmanager's v2 API takes. */
class MatcherParseTest {
    @Test
    void theFourOperatorsQuotedOrBareAndAnAlertNameAlone() {
        assertThat(Matcher.parse("job=exlm-backend")).isEqualTo(new Matcher("job", "exlm-backend", false, true));
        assertThat(Matcher.parse("job!=node")).isEqualTo(new Matcher("job", "node", false, false));
        assertThat(Matcher.parse("instance=~backend:.*")).isEqualTo(new Matcher("instance", "backend:.*", true, true));
        assertThat(Matcher.parse("instance!~\"a|b\"")).isEqualTo(new Matcher("instance", "a|b", true, false));
        assertThat(Matcher.parse(" summary = \"say \\\"hi\\\" \\\\ there\" "))
                .isEqualTo(new Matcher("summary", "say \"hi\" \\ there", false, true));
        assertThat(Matcher.parse("HighErrorRate")).isEqualTo(new Matcher("alertname", "HighErrorRate", false, true));
        assertThat(Matcher.parse("check=")).isEqualTo(new Matcher("check", "", false, true));
        // a value may hold '=' and '!': only the first operator splits
        assertThat(Matcher.parse("q=a=b!c")).isEqualTo(new Matcher("q", "a=b!c", false, true));
        // a backslash before anything but '"', '\\' or n stays, as in Alertmanager's parser: \. means a dot
        assertThat(Matcher.parse("instance=~\"backend\\.example\\.com:\\d+\"").value())
                .isEqualTo("backend\\.example\\.com:\\d+");
        assertThat(Matcher.parse("note=\"two\\nlines\"").value()).isEqualTo("two\nlines");
        // Go's named groups are accepted, as Alertmanager's RE2 takes them
        assertThat(Matcher.parse("a=~(?P<x>b)").value()).isEqualTo("(?P<x>b)");
    }

    @Test
    void whatAlertmanagerWouldRefuseIsRefusedWithTheMatcherNamed() {
        assertThatThrownBy(() -> Matcher.parse("9lives=x")).hasMessageContaining("'9lives' is not a label name");
        assertThatThrownBy(() -> Matcher.parse("a=~(")).hasMessageContaining("'a=~(': not a regular expression");
        assertThatThrownBy(() -> Matcher.parse("a=\"open")).hasMessageContaining("is not closed");
        assertThatThrownBy(() -> Matcher.parse("a=\"x\"y")).hasMessageContaining("text after the closing");
        assertThatThrownBy(() -> Matcher.parse("a=x\"y")).hasMessageContaining("written quoted");
        assertThatThrownBy(() -> Matcher.parse("not a matcher")).hasMessageContaining("is not a matcher");
    }

    @Test
    void aMatcherThatAnAbsentLabelSatisfiesIsSaidToMatchEmpty() {
        assertThat(Matcher.parse("instance=~.*").matchesEmpty()).isTrue();
        assertThat(Matcher.parse("job!=node").matchesEmpty()).isTrue();
        assertThat(Matcher.parse("check=").matchesEmpty()).isTrue();
        assertThat(Matcher.parse("job=node").matchesEmpty()).isFalse();
        assertThat(Matcher.parse("job=~.+").matchesEmpty()).isFalse();
        assertThat(Matcher.parse("job=node").matches(Map.of("job", "node"))).isTrue();
    }

    @Test
    void whatIsWrittenReadsBackAsTheSameMatcher() {
        for (Matcher m : new Matcher[] {new Matcher("job", "node", false, true), new Matcher("job", "foo.*", true,
                false), new Matcher("job", "node", false, false), new Matcher("instance", "a\\.b", true, true),
            new Matcher("note", "say \"hi\" \\ there\nnow", false, true)}) {
            assertThat(Matcher.parse(m.toString())).as(m.toString()).isEqualTo(m);
        }
        assertThat(new Matcher("job", "foo.*", true, false).toString()).isEqualTo("job!~\"foo.*\"");
        assertThat(new Matcher("note", "say \"hi\"", false, true).toString()).isEqualTo("note=\"say \\\"hi\\\"\"");
    }
}
