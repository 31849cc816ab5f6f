package io.exlm.mon;

import io.exlm.mon.cli.ExlmMon;
import io.exlm.mon.cli.LeanStart;
import java.io.PrintWriter;
import java.util.Map;

public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, false);
        PrintWriter err = new PrintWriter(System.err, true);
        Map<String, String> env = System.getenv();
        boolean terminal = System.console() != null;
        int code = LeanStart.run(args, out, err, env, terminal, System.in);
        if (code == LeanStart.NOT_HANDLED) {
            code = ExlmMon.forArgs(out, err, env, terminal, System.in, args).execute(args);
        }
        out.flush();
        err.flush();
        System.exit(code);
    }
}
