package io.exlm.mon.cli;

import io.exlm.mon.tui.DashboardModel;
import io.exlm.mon.tui.FrameRenderer;
import java.util.List;
import org.jline.utils.AttributedString;

/** top's frames off a terminal: plain text (ANSI only on a colour terminal), sized by COLUMNS and LINES. */
final class TopFrames {
    private final Context ctx;
    private final FrameRenderer renderer;
    private final int width;
    private final int height;

    /**
     * Not on a terminal (or on one jline cannot drive): a plain frame every interval, until interrupted; exit 0.
     */
    static int everyInterval(Context ctx, io.exlm.mon.tui.DashboardState state, io.exlm.mon.tui.Poller poller,
            boolean unicode) throws InterruptedException {
        TopFrames frames = new TopFrames(ctx, false, unicode);
        while (!Thread.currentThread().isInterrupted()) {
            if (poller.due()) {
                poller.pollOnce();
            }
            frames.print(state.model(System.currentTimeMillis()));
            ctx.out().println();
            ctx.out().flush();
            Thread.sleep(state.intervalMillis());
        }
        return io.exlm.mon.ExitCode.OK;
    }

    TopFrames(Context ctx, boolean color, boolean unicode) {
        this.ctx = ctx;
        this.renderer = new FrameRenderer(color, unicode);
        this.width = number(ctx.env().get("COLUMNS"), 120);
        this.height = number(ctx.env().get("LINES"), 40);
    }

    void print(DashboardModel model) {
        List<AttributedString> lines = renderer.render(model, width, height);
        boolean ansi = ctx.terminal() && ctx.color();
        for (AttributedString line : lines) {
            ctx.out().println(ansi ? line.toAnsi() : line.toString());
        }
        ctx.out().flush();
    }

    /** The frame size off a terminal: COLUMNS and LINES when set, else 120x40. */
    private static int number(String s, int fallback) {
        try {
            return s == null ? fallback : Math.max(1, Integer.parseInt(s.strip()));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
