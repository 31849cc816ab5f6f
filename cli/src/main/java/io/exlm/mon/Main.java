package io.exlm.mon;

import io.exlm.mon.cli.ExlmMon;
import java.io.PrintWriter;

public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, false);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = ExlmMon.commandLine(out, err, System.getenv()).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
