package io.exlm.mon;

import io.exlm.mon.cli.ExlmMon;
import java.io.PrintWriter;

public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, false);
        // the lean start path: printing the version needs no command model, and building one is most of the cost
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            out.println(ExlmMon.VersionProvider.line());
            out.flush();
            return;
        }
        PrintWriter err = new PrintWriter(System.err, true);
        int code = ExlmMon.forArgs(out, err, System.getenv(), System.console() != null, System.in, args)
                .execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
