package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Ports;
import org.junit.jupiter.api.Test;

/** query's times and ranges that no Prometheus can answer are usage errors, before anything is sent. */
class QueryArgumentsTest {
    static Cli.Result query(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "query";
        all[1] = "up";
        all[2] = "--prometheus-url";
        all[3] = "http://127.0.0.1:" + Ports.closed();
        System.arraycopy(args, 0, all, 4, args.length);
        return Cli.exec(all);
    }

    @Test
    void aTimeBeyondTheYear9999IsRefusedNotClamped() {
        Cli.Result r = query("--time", "99999999999999999999");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("exlm-mon query: --time '99999999999999999999' is outside 1970 to 9999");
        assertThat(query("--time", "253402300800").exitCode()).isEqualTo(2); // 10000-01-01
        assertThat(query("--time", "253402300799").exitCode()).isEqualTo(3); // accepted; the closed port answers
    }

    @Test
    void aRangeReachingBefore1970IsRefusedInsteadOfANegativeStart() {
        Cli.Result r = query("--range", "100000d", "--step", "1d");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("exlm-mon query: --range 100000d reaches back before 1970");
    }
}
