package io.exlm.mon.tui;

import io.exlm.mon.panel.AlertsPanel;
import io.exlm.mon.panel.Breakdown;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.PanelState;
import io.exlm.mon.panel.Level;
import io.exlm.mon.panel.Thresholds;
import io.exlm.mon.source.AlertThresholds;
import io.exlm.mon.tui.DashboardModel.FeedStatus;
import io.exlm.mon.panel.PanelState.Bar;
import io.exlm.mon.panel.PanelState.Figure;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Draws a frame: a pure function of (model, width, height) to exactly {@code height} lines of at most {@code width}
 * columns. Panels are laid out in the four rows of the guide's dashboard; a terminal too small for all of them drops
 * panels in {@link PanelId#dropOrder()} and says which, instead of garbling.
 */
public final class FrameRenderer {
    /** The smallest terminal a dashboard is drawn in; below it, a one-line notice. */
    public static final int MIN_WIDTH = 40;
    public static final int MIN_HEIGHT = 10;
    static final int MIN_PANEL_WIDTH = 22;

    private static final PanelId.Group[] ROWS = PanelId.Group.values();

    private final boolean color;
    private final Glyphs g;
    private final java.time.ZoneId zone;

    public FrameRenderer(boolean color, boolean unicode) {
        this(color, unicode, java.time.ZoneId.systemDefault());
    }

    /** With the zone of the clock times it writes (a past time shown, since when the source is down). */
    public FrameRenderer(boolean color, boolean unicode, java.time.ZoneId zone) {
        this.color = color;
        this.g = unicode ? Glyphs.UNICODE : Glyphs.ASCII;
        this.zone = zone;
    }

    public List<AttributedString> render(DashboardModel m, int width, int height) {
        List<AttributedString> lines = new ArrayList<>(height);
        if (width < MIN_WIDTH || height < MIN_HEIGHT) {
            lines.add(fit(header(m, width), width));
            if (m.header().down()) {
                lines.addAll(banner(m.header(), width));
            }
            lines.add(plain("too small " + width + "x" + height + " (need " + MIN_WIDTH + "x" + MIN_HEIGHT + ")",
                    width));
            lines.add(plain("q quit", width));
            return pad(lines, width, height);
        }
        lines.add(fit(header(m, width), width));
        int bodyHeight = height - 2;
        if (m.header().down()) {
            List<AttributedString> banner = banner(m.header(), width);
            lines.addAll(banner);
            bodyHeight -= banner.size();
        }
        Set<PanelId> hidden = new LinkedHashSet<>();
        if (m.help()) {
            lines.addAll(help(width, bodyHeight));
        } else if (m.alertsExpanded() && m.alerts() != null) {
            // Enter on the alerts panel: every alert, as many as the screen holds, and the silences
            lines.addAll(alertsBox(m.alerts(), width, bodyHeight - 2, true, true));
        } else if (m.expanded() != null) {
            lines.addAll(expanded(m, width, bodyHeight));
        } else {
            List<AttributedString> alerts = m.alerts() == null ? List.of() : alertsBox(m.alerts(), width,
                    alertLines(m.alerts(), bodyHeight), m.alertsFocused(), false);
            lines.addAll(alerts);
            lines.addAll(body(m, width, bodyHeight - alerts.size(), hidden));
        }
        while (lines.size() < height - 1) {
            lines.add(new AttributedString(""));
        }
        lines.add(fit(footer(m, hidden, width, height), width));
        return lines;
    }

    // ------------------------------------------------------------------------------------------------ layout

    /** Content lines each panel wants, before any spare height is shared out. */
    static int contentLines(PanelId id) {
        return switch (id) {
            case CPU, MEMORY, DISK, USERS, IN_PROGRESS, CACHE, REQUEST_RATE -> 3;
            case LATENCY, TRAINING, DATASETS, CELERY, ERROR_RATE -> 4;
            case ERRORS_BY_TYPE -> 5;
        };
    }

    private List<AttributedString> body(DashboardModel m, int width, int height, Set<PanelId> hidden) {
        Map<PanelId.Group, List<PanelId>> rows = new EnumMap<>(PanelId.Group.class);
        for (PanelId.Group grp : ROWS) {
            rows.put(grp, new ArrayList<>());
        }
        for (PanelId id : PanelId.values()) {
            rows.get(id.group()).add(id);
        }
        // width: a row keeps as many panels as fit side by side
        for (PanelId drop : PanelId.dropOrder()) {
            List<PanelId> row = rows.get(drop.group());
            if (row.size() * MIN_PANEL_WIDTH > width && row.contains(drop)) {
                row.remove(drop);
                hidden.add(drop);
            }
        }
        // height: drop panels until the rows that are left fit
        for (PanelId drop : PanelId.dropOrder()) {
            if (needed(rows) <= height) {
                break;
            }
            if (rows.get(drop.group()).remove(drop)) {
                hidden.add(drop);
            }
        }
        List<AttributedString> out = new ArrayList<>();
        int spare = Math.max(0, height - needed(rows));
        for (PanelId.Group grp : ROWS) {
            List<PanelId> row = rows.get(grp);
            if (row.isEmpty()) {
                continue;
            }
            int content = rowContent(row);
            // spare lines make the charts of the HTTP and error rows taller
            int extra = 0;
            if (grp == PanelId.Group.HTTP || grp == PanelId.Group.ERRORS) {
                extra = Math.min(spare / 2 + (grp == PanelId.Group.ERRORS ? spare % 2 : 0), 8);
            }
            out.addAll(row(m, row, width, content + extra + 2));
        }
        return out;
    }

    private static int needed(Map<PanelId.Group, List<PanelId>> rows) {
        int n = 0;
        for (List<PanelId> row : rows.values()) {
            if (!row.isEmpty()) {
                n += rowContent(row) + 2;
            }
        }
        return n;
    }

    private static int rowContent(List<PanelId> row) {
        int n = 0;
        for (PanelId id : row) {
            n = Math.max(n, contentLines(id));
        }
        return n;
    }

    private List<AttributedString> row(DashboardModel m, List<PanelId> row, int width, int boxHeight) {
        List<List<AttributedString>> boxes = new ArrayList<>();
        int base = width / row.size();
        int rest = width % row.size();
        for (int i = 0; i < row.size(); i++) {
            int w = base + (i < rest ? 1 : 0);
            boxes.add(box(m, row.get(i), row.get(i) == m.focus() && !m.alertsFocused(), false, w, boxHeight));
        }
        List<AttributedString> out = new ArrayList<>(boxHeight);
        for (int line = 0; line < boxHeight; line++) {
            AttributedStringBuilder sb = new AttributedStringBuilder(width);
            for (List<AttributedString> b : boxes) {
                sb.append(b.get(line));
            }
            out.add(sb.toAttributedString());
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ panels

    /**
     * A panel in a box of exactly {@code width} x {@code height}. While the source is down, the panel as it was last
     * read, greyed (the banner says why), or that there is nothing yet: not the banner's reason once more.
     */
    private List<AttributedString> box(DashboardModel m, PanelId id, boolean focused, boolean expanded, int width,
            int height) {
        PanelState p = m.panel(id);
        boolean grey = false;
        if (m.header().down()) {
            grey = m.kept().containsKey(id);
            p = grey ? m.kept().get(id) : PanelState.unavailable(id, "no figures yet: the source is down");
        }
        int inner = width - 2;
        int contentHeight = height - 2;
        List<AttributedString> content = p.available() ? content(p, inner - 2, contentHeight, expanded)
                : wrap(p.unavailable(), inner - 2, contentHeight, style(AttributedStyle.DEFAULT.faint()));
        if (grey) {
            List<AttributedString> faint = new ArrayList<>();
            for (AttributedString c : content) {
                faint.add(new AttributedString(c.toString(), style(AttributedStyle.DEFAULT.faint())));
            }
            content = faint;
        }
        List<AttributedString> out = new ArrayList<>(height);
        out.add(top(p, focused, width));
        for (int i = 0; i < contentHeight; i++) {
            AttributedStringBuilder sb = new AttributedStringBuilder(width);
            sb.append(String.valueOf(g.vertical())).append(' ');
            AttributedString c = i < content.size() ? content.get(i) : AttributedString.EMPTY;
            c = c.columnLength() > inner - 2 ? c.columnSubSequence(0, inner - 2) : c;
            sb.append(c);
            sb.append(" ".repeat(Math.max(0, inner - 2 - c.columnLength()))).append(' ')
                    .append(String.valueOf(g.vertical()));
            out.add(sb.toAttributedString());
        }
        out.add(new AttributedString(g.bottomLeft() + String.valueOf(g.horizontal()).repeat(width - 2)
                + g.bottomRight()));
        return out;
    }

    private AttributedString top(PanelState p, boolean focused, int width) {
        AttributedStringBuilder sb = new AttributedStringBuilder(width);
        sb.append(String.valueOf(g.topLeft())).append(String.valueOf(g.horizontal()));
        // a window not yet full says how much of it the rates are over ("Error rate 12s/1m"); in a narrow panel the
        // title gives way to it, not the other way round
        String head = (focused ? g.focus() + " " : " ") + p.id().title();
        String note = p.coverage() == null ? "" : " " + p.coverage().brief();
        int room = width - 4 - note.length() - 1;
        if (!note.isEmpty() && head.length() > room && room >= 4) {
            head = head.substring(0, room - 1) + (g == Glyphs.UNICODE ? "\u2026" : "~");
        }
        String title = head + note + " ";
        if (title.length() > width - 4) {
            title = title.substring(0, Math.max(0, width - 4));
        }
        AttributedStyle st = AttributedStyle.BOLD;
        if (focused) {
            st = st.inverse();
        }
        sb.styled(st, title);
        sb.append(String.valueOf(g.horizontal()).repeat(Math.max(0, width - 3 - title.length())));
        sb.append(String.valueOf(g.topRight()));
        return sb.toAttributedString();
    }

    private List<AttributedString> content(PanelState p, int w, int h, boolean expanded) {
        List<AttributedString> out = new ArrayList<>();
        switch (p.id().widget()) {
            case GAUGE -> gauge(p, w, h, out);
            case CHART -> chart(p, w, h, out);
            case PERCENTILES -> latency(p, w, h, out);
            case BARS, DISTRIBUTION -> bars(p, w, h, out);
            case FIGURES -> figures(p, w, h, out);
        }
        return out;
    }

    private void gauge(PanelState p, int w, int h, List<AttributedString> out) {
        Figure f = p.figures().get(0);
        AttributedStyle st = levelStyle(p.level());
        out.add(new AttributedStringBuilder().styled(st.bold(), Format.value(f.value(), f.unit()))
                .append(levelNote(p)).toAttributedString());
        double fraction = f.unit() == PanelState.Unit.RATIO ? f.value() : f.value() / 100;
        fraction = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
        int filled = (int) Math.round(fraction * w);
        out.add(new AttributedStringBuilder().styled(st, String.valueOf(g.barFull()).repeat(filled))
                .styled(style(AttributedStyle.DEFAULT.faint()), String.valueOf(g.barEmpty()).repeat(w - filled))
                .toAttributedString());
        for (int i = 1; i < p.figures().size() && out.size() < h; i++) {
            out.add(new AttributedString(figure(p.figures().get(i))));
        }
        Thresholds.Band band = Thresholds.of(p.id());
        if (band != null && out.size() < h) {
            out.add(new AttributedString("alert > " + Format.value(band.alert(), p.figures().get(0).unit()),
                    style(AttributedStyle.DEFAULT.faint())));
        }
    }

    private void chart(PanelState p, int w, int h, List<AttributedString> out) {
        Figure f = p.figures().get(0);
        AttributedStringBuilder head = new AttributedStringBuilder().styled(levelStyle(p.level()).bold(),
                Format.value(f.value(), f.unit())).append(levelNote(p));
        // the chart's scale, right-aligned where it fits: its bottom and top, so that a wobble reads as one
        double[] range = Sparkline.range(p.history(), w);
        if (range != null && range[1] > range[0]) {
            String low = Format.value(range[0], f.unit());
            String high = Format.value(range[1], f.unit());
            String scale = low + ".." + high;
            int gap = w - head.columnLength() - scale.length();
            // a range the figures' precision cannot tell from one value is no scale to say
            if (gap >= 2 && !low.equals(high)) {
                head.append(" ".repeat(gap)).styled(style(AttributedStyle.DEFAULT.faint()), scale);
            }
        }
        out.add(head.toAttributedString());
        int rows = Math.max(1, h - 1 - (p.figures().size() > 1 ? 1 : 0));
        for (String line : Sparkline.render(p.history(), w, rows, g.spark())) {
            out.add(new AttributedString(line, levelStyle(p.level())));
        }
        if (p.figures().size() > 1) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < p.figures().size(); i++) {
                sb.append(i > 1 ? "  " : "").append(figure(p.figures().get(i)));
            }
            out.add(new AttributedString(sb.toString(), style(AttributedStyle.DEFAULT.faint())));
        }
    }

    private void latency(PanelState p, int w, int h, List<AttributedString> out) {
        // the percentile of the latency objective is coloured by it (the panel's level); the others are not judged
        String judged = io.exlm.mon.source.LatencyObjective.bundled().label();
        for (Figure f : p.figures()) {
            boolean objective = f.label().equals(judged);
            AttributedStringBuilder line = new AttributedStringBuilder().append(pad(f.label(), 4)).styled(objective
                    ? levelStyle(p.level()).bold() : AttributedStyle.BOLD, Format.value(f.value(), f.unit()));
            if (objective) {
                line.append(switch (p.level()) {
                    case ALERT -> "  over SLO";
                    case WARN -> "  near SLO";
                    default -> "";
                });
            }
            out.add(line.toAttributedString());
        }
        int rows = h - out.size();
        if (rows > 0) {
            for (String line : Sparkline.render(p.history(), w, rows, g.spark())) {
                out.add(new AttributedString(line, style(AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN))));
            }
        }
    }

    private void bars(PanelState p, int w, int h, List<AttributedString> out) {
        for (Figure f : p.figures()) {
            out.add(new AttributedString(figure(f), AttributedStyle.BOLD));
        }
        double max = 0;
        int labelWidth = 0;
        for (Bar b : p.bars()) {
            max = Math.max(max, b.value());
            labelWidth = Math.max(labelWidth, b.label().length());
        }
        labelWidth = Math.min(labelWidth, Math.max(4, w / 2));
        for (Bar b : p.bars()) {
            if (out.size() >= h) {
                break;
            }
            String value = Format.value(b.value(), b.unit());
            int barWidth = Math.max(0, w - labelWidth - value.length() - 2);
            int filled = max <= 0 ? 0 : (int) Math.round(b.value() / max * barWidth);
            boolean bad = b.label().equals("failed");
            out.add(new AttributedStringBuilder().append(pad(cut(b.label(), labelWidth), labelWidth)).append(' ')
                    .styled(style(AttributedStyle.DEFAULT.foreground(bad ? AttributedStyle.RED : AttributedStyle.BLUE)),
                            String.valueOf(g.barFull()).repeat(filled))
                    .append(" ".repeat(barWidth - filled)).append(' ').append(value).toAttributedString());
        }
        if (p.bars().isEmpty() && out.size() < h) {
            out.add(new AttributedString("none yet", style(AttributedStyle.DEFAULT.faint())));
        }
    }

    private void figures(PanelState p, int w, int h, List<AttributedString> out) {
        int labelWidth = 0;
        for (Figure f : p.figures()) {
            labelWidth = Math.max(labelWidth, f.label().length());
        }
        for (Figure f : p.figures()) {
            out.add(new AttributedStringBuilder().append(pad(f.label(), labelWidth + 1)).styled(AttributedStyle.BOLD,
                    Format.value(f.value(), f.unit())).toAttributedString());
        }
        int rows = h - out.size();
        if (rows > 0 && p.history().length > 0) {
            for (String line : Sparkline.render(p.history(), w, rows, g.spark())) {
                out.add(new AttributedString(line, style(AttributedStyle.DEFAULT.faint())));
            }
        }
    }

    private String levelNote(PanelState p) {
        return switch (p.level()) {
            case ALERT -> "  ALERT";
            case WARN -> "  warn";
            default -> "";
        };
    }

    private static String figure(Figure f) {
        return (f.label().isEmpty() ? "" : f.label() + " ") + Format.value(f.value(), f.unit());
    }

    // ------------------------------------------------------------------------------------------------ alerts

    /** Content lines of the alerts panel: the summary and its alerts, fewer on a short terminal. */
    static int alertLines(AlertsPanel a, int bodyHeight) {
        int most = bodyHeight >= 34 ? 6 : 2;
        return 1 + (a.rules() != null && a.error() == null ? 1 : 0) + Math.min(a.alerts().size(), most);
    }

    /**
     * The alerts Prometheus has firing and pending, and Alertmanager's silences: a box of {@code lines} + 2, its title
     * marked as a focused panel's; {@code full} (Enter on it): every alert the lines hold, then the silences' ids.
     */
    private List<AttributedString> alertsBox(AlertsPanel a, int width, int lines, boolean focused, boolean full) {
        int inner = width - 4;
        List<AttributedString> content = new ArrayList<>();
        AttributedStyle faint = style(AttributedStyle.DEFAULT.faint());
        if (a.error() != null) {
            content.addAll(wrap(a.error(), inner, lines, style(AttributedStyle.DEFAULT.foreground(
                    AttributedStyle.RED))));
        } else {
            // the count and its colour are the header's: what counts (not silenced, not firing by design, as the
            // Watchdog does); the rest is said apart, faint
            long firing = a.alerts().stream().filter(r -> r.counts() && r.firing()).count();
            long pending = a.alerts().stream().filter(r -> r.counts() && !r.firing()).count();
            long aside = a.alerts().size() - firing - pending;
            AttributedStringBuilder sum = new AttributedStringBuilder();
            if (firing + pending == 0) {
                sum.styled(style(AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN)), "none firing or pending");
            } else {
                sum.styled(firing > 0 ? style(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)).bold()
                        : AttributedStyle.DEFAULT, firing + " firing").append(", ")
                        .styled(pending > 0 ? style(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW))
                                : AttributedStyle.DEFAULT, pending + " pending");
            }
            if (aside > 0) {
                sum.styled(style(AttributedStyle.DEFAULT.faint()), " (+" + aside + " silenced or by design)");
            }
            sum.append("  " + g.separator() + "  ");
            if (a.silencesError() != null) {
                sum.styled(style(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW)), "silences unknown: "
                        + a.silencesError());
            } else {
                List<String> held = new ArrayList<>();
                for (AlertsPanel.Row r : a.alerts()) {
                    if (!r.silencedBy().isEmpty() && !held.contains(r.name())) {
                        held.add(r.name());
                    }
                }
                sum.append(a.silences().size() + " silence" + (a.silences().size() == 1 ? "" : "s") + " active"
                        + (held.isEmpty() ? "" : ", holding " + String.join(", ", held)));
            }
            sum.styled(faint, "  " + g.separator() + "  ages on " + a.clock() + "'s clock");
            content.add(sum.toAttributedString());
            if (a.rules() != null) {
                content.add(fit(new AttributedString(a.rules(), style(AttributedStyle.DEFAULT.foreground(
                        AttributedStyle.YELLOW))), inner));
            }
            int nameWidth = 4;
            int instanceWidth = 4;
            for (AlertsPanel.Row r : a.alerts()) {
                nameWidth = Math.max(nameWidth, r.name().length());
                instanceWidth = Math.max(instanceWidth, r.instance().length());
            }
            nameWidth = Math.min(nameWidth, Math.max(12, inner / 3));
            instanceWidth = Math.min(instanceWidth, Math.max(10, inner / 4));
            int shown = 0;
            for (AlertsPanel.Row r : a.alerts()) {
                if (content.size() >= lines) {
                    break;
                }
                shown++;
                boolean last = content.size() == lines - 1 && shown < a.alerts().size();
                AttributedStyle st = !r.counts() ? faint : r.firing()
                        ? style(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)).bold()
                        : style(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW));
                AttributedStringBuilder sb = new AttributedStringBuilder();
                sb.styled(st, pad(r.state(), 8)).append(pad(cut(r.name(), nameWidth), nameWidth + 1))
                        .append(pad(cut(r.severity().isEmpty() ? "-" : r.severity(), 8), 9))
                        .append(pad(cut(r.instance().isEmpty() ? "-" : r.instance(), instanceWidth), instanceWidth + 1))
                        .append(pad(io.exlm.mon.promql.AlertClock.age(r.ageSeconds()), 9));
                if (!r.silencedBy().isEmpty()) {
                    sb.styled(faint, "silenced");
                }
                if (last) {
                    sb.styled(faint, "  +" + (a.alerts().size() - shown) + " more");
                }
                content.add(sb.toAttributedString());
            }
            if (full && !a.silences().isEmpty() && content.size() + 2 <= lines) {
                content.add(AttributedString.EMPTY);
                content.addAll(wrap("silences active: " + String.join(", ", a.silences()), inner, lines
                        - content.size(), faint));
            }
        }
        String title = (focused ? g.focus() + " " : "") + "Alerts (Prometheus)" + (full ? ": every alert" : "");
        return framed(title, content, width, lines + 2, focused);
    }

    /** A titled box of exactly {@code width} x {@code height} around {@code content}. */
    private List<AttributedString> framed(String title, List<AttributedString> content, int width, int height) {
        return framed(title, content, width, height, false);
    }

    /** As {@link #framed(String, List, int, int)}, its title inverse when it is the focused panel's, as a panel's is. */
    private List<AttributedString> framed(String title, List<AttributedString> content, int width, int height,
            boolean focused) {
        int inner = width - 2;
        List<AttributedString> out = new ArrayList<>(height);
        AttributedStringBuilder top = new AttributedStringBuilder(width);
        String t = " " + cut(title, Math.max(0, width - 5)) + " ";
        top.append(String.valueOf(g.topLeft())).append(String.valueOf(g.horizontal())).styled(focused
                ? AttributedStyle.BOLD.inverse() : AttributedStyle.BOLD, t)
                .append(String.valueOf(g.horizontal()).repeat(Math.max(0, width - 3 - t.length())))
                .append(String.valueOf(g.topRight()));
        out.add(top.toAttributedString());
        for (int i = 0; i < height - 2; i++) {
            AttributedStringBuilder sb = new AttributedStringBuilder(width);
            sb.append(String.valueOf(g.vertical())).append(' ');
            AttributedString c = i < content.size() ? content.get(i) : AttributedString.EMPTY;
            c = c.columnLength() > inner - 2 ? c.columnSubSequence(0, inner - 2) : c;
            sb.append(c).append(" ".repeat(Math.max(0, inner - 2 - c.columnLength()))).append(' ')
                    .append(String.valueOf(g.vertical()));
            out.add(sb.toAttributedString());
        }
        out.add(new AttributedString(g.bottomLeft() + String.valueOf(g.horizontal()).repeat(width - 2)
                + g.bottomRight()));
        return out;
    }

    // ------------------------------------------------------------------------------------------------ breakdown

    /** Enter: the focused panel, and under it its breakdown by each of its labels. */
    private List<AttributedString> expanded(DashboardModel m, int width, int height) {
        PanelState p = m.panel(m.expanded());
        int top = Math.max(contentLines(p.id()) + 2, Math.min(height / 3, 12));
        List<AttributedString> out = new ArrayList<>(box(m, m.expanded(), true, true, width, top));
        int rest = height - top;
        if (rest < 3) {
            return out;
        }
        List<String> labels = p.id().breakdownLabels();
        String title = p.id().title() + " by " + String.join(", ", labels)
                + (m.instance() != null ? " (instance=" + m.instance() + ")" : "");
        List<AttributedString> content = m.breakdown() == null
                ? List.of(new AttributedString("asking for the breakdown...",
                        style(AttributedStyle.DEFAULT.faint())))
                : breakdown(m.breakdown(), width - 4, rest - 2);
        out.addAll(framed(title, content, width, rest));
        return out;
    }

    /** The cuts side by side when each gets {@link #MIN_CUT_WIDTH} columns, else one under the other. */
    static final int MIN_CUT_WIDTH = 30;
    private static final String ALERT_WORD = " ALERT";

    private List<AttributedString> breakdown(Breakdown b, int w, int h) {
        int n = b.cuts().size();
        if (n > 1 && (w - 2 * (n - 1)) / n >= MIN_CUT_WIDTH) {
            int cw = (w - 2 * (n - 1)) / n;
            List<List<AttributedString>> cols = new ArrayList<>();
            for (Breakdown.Cut c : b.cuts()) {
                cols.add(cut(b.panel(), c, cw, h));
            }
            List<AttributedString> out = new ArrayList<>();
            for (int line = 0; line < h; line++) {
                AttributedStringBuilder sb = new AttributedStringBuilder(w);
                for (int i = 0; i < n; i++) {
                    AttributedString c = line < cols.get(i).size() ? cols.get(i).get(line) : AttributedString.EMPTY;
                    sb.append(c).append(" ".repeat(Math.max(0, cw - c.columnLength())));
                    if (i < n - 1) {
                        sb.append("  ");
                    }
                }
                out.add(sb.toAttributedString());
            }
            return out;
        }
        List<AttributedString> out = new ArrayList<>();
        for (int i = 0; i < n && out.size() < h; i++) {
            // each later cut keeps at least its heading and a row
            int left = h - out.size() - 2 * (n - 1 - i);
            out.addAll(cut(b.panel(), b.cuts().get(i), w, Math.max(2, left)));
        }
        return out.size() > h ? out.subList(0, h) : out;
    }

    /** One label's rows: a heading, each value with its figure (coloured by the panel's threshold), a bar. */
    private List<AttributedString> cut(PanelId id, Breakdown.Cut c, int w, int h) {
        List<AttributedString> out = new ArrayList<>();
        AttributedStyle faint = style(AttributedStyle.DEFAULT.faint());
        // a cut that keeps a label apart (the jobs by instance, each status) says so: its rows are value and part
        String head = "by " + String.join(" and ", id.grouping(c.label())) + (c.rows().isEmpty() ? "" : " ("
                + c.rows().size() + (c.more() ? "+" : "") + ")");
        out.add(new AttributedString(head, AttributedStyle.BOLD));
        if (c.reason() != null) {
            out.addAll(wrap(c.reason(), w - 2, Math.max(1, h - 1), faint).stream()
                    .map(l -> new AttributedStringBuilder().append("  ").append(l).toAttributedString()).toList());
            return out.size() > h ? out.subList(0, h) : out;
        }
        double max = 0;
        int labelWidth = 4;
        for (Breakdown.Row r : c.rows()) {
            max = Double.isNaN(r.figure()) ? max : Math.max(max, r.figure());
            labelWidth = Math.max(labelWidth, r.name().length());
        }
        labelWidth = Math.min(labelWidth, Math.max(8, (w - 2) * 3 / 5));
        Thresholds.Band band = Thresholds.of(id);
        // the word ALERT beside a row beyond the panel's threshold (for a terminal without colour): room for it
        int suffix = 0;
        for (Breakdown.Row r : c.rows()) {
            if (band != null && !Double.isNaN(r.figure()) && band.level(r.figure()) == Level.ALERT) {
                suffix = ALERT_WORD.length();
            }
        }
        boolean saidMore = false;
        for (int i = 0; i < c.rows().size() && out.size() < h; i++) {
            Breakdown.Row r = c.rows().get(i);
            if (out.size() == h - 1 && (i < c.rows().size() - 1 || c.more())) {
                out.add(new AttributedString("  +" + (c.rows().size() - i) + (c.more() ? "+" : "") + " more", faint));
                saidMore = true;
                break;
            }
            String value = Format.value(r.figure(), c.unit());
            int barWidth = Math.max(0, w - 2 - labelWidth - 1 - value.length() - 1 - suffix);
            int filled = max <= 0 || Double.isNaN(r.figure()) ? 0 : (int) Math.round(r.figure() / max * barWidth);
            Level level = band == null || Double.isNaN(r.figure()) ? Level.NONE : band.level(r.figure());
            AttributedStyle st = level == Level.NONE ? style(AttributedStyle.DEFAULT.foreground(AttributedStyle.BLUE))
                    : levelStyle(level);
            out.add(new AttributedStringBuilder().append("  ").append(pad(cut(r.name(), labelWidth), labelWidth))
                    .append(' ').styled(st, String.valueOf(g.barFull()).repeat(filled))
                    .append(" ".repeat(barWidth - filled)).append(' ')
                    .styled(level == Level.NONE ? AttributedStyle.DEFAULT : levelStyle(level).bold(), value)
                    .append(level == Level.ALERT ? ALERT_WORD : "").toAttributedString());
        }
        if (c.more() && !saidMore && out.size() < h) {
            out.add(new AttributedString("  + more (the highest " + PanelId.BREAKDOWN_ROWS + " shown)", faint));
        }
        if (c.note() != null && out.size() < h) {
            out.add(new AttributedString("  (" + c.note() + ")", faint));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ chrome

    /**
     * The header: what it is, the source, how fresh, the alert state and the instance filter, then the age and the
     * interval. What does not fit goes first the age and the interval, then the source (the longest and the least
     * needed at 3 a.m.) is cut or dropped, then the title.
     */
    private AttributedString header(DashboardModel m, int width) {
        DashboardModel.Header h = m.header();
        String sep = " " + g.separator() + " ";
        AttributedStyle st = switch (h.status()) {
            case OK -> style(AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN));
            case STALE, WAITING -> style(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW));
            case UNREACHABLE, FAILED -> style(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED));
        };
        AttributedString at = null;
        if (h.past()) {
            // a past time's figures, read once: the time they are of first (a narrow terminal cuts the source, not
            // this), instead of their age and the refresh interval
            // (figures read from recordings are of their evaluation, up to two before the time asked for)
            long shown = h.recorded() == null ? h.atMillis() : h.recorded().evaluatedMillis();
            at = new AttributedString(" AT " + Format.clock(shown, zone) + ", " + Format.ago(h.agoMillis()
                    + h.atMillis() - shown) + " ", style(AttributedStyle.DEFAULT.foreground(AttributedStyle.MAGENTA))
                    .bold().inverse());
        }
        AttributedStringBuilder state = state(m, st, sep, 0, Integer.MAX_VALUE);
        // figures read from recordings: their own age (the recording's, up to two evaluations, and the poll's)
        String updated = h.ageMillis() >= 0 && !h.past() ? sep + (h.figuresAgeMillis() >= 0 ? "recorded "
                + Format.fixed(h.figuresAgeMillis() / 1000.0, 0) + "s ago" : "updated " + Format.fixed(
                        h.ageMillis() / 1000.0, 1) + "s ago") : "";
        String every = h.past() ? "" : sep + "every " + io.exlm.mon.config.Durations.format(java.time.Duration.ofMillis(
                h.intervalMillis()));
        String title = "exlm-mon top";
        String source = h.source();
        int stateWidth = state.columnLength() + (at == null ? 0 : at.columnLength() + sep.length());
        // what does not fit goes in this order: the age, the interval, then the source is cut (to no fewer than 12
        // columns) or dropped, then the title; the state, the alert state and the filter stay
        if (headerWidth(title, source, stateWidth, updated, every, sep) > width) {
            updated = "";
        }
        if (headerWidth(title, source, stateWidth, updated, every, sep) > width) {
            every = "";
        }
        int over = headerWidth(title, source, stateWidth, updated, every, sep) - width;
        if (over > 0) {
            int keep = source.length() - over - 3;
            source = keep >= 9 ? cut(source, keep) + "..." : null;
        }
        if (headerWidth(title, source, stateWidth, updated, every, sep) > width) {
            title = null;
        }
        // then the alert state says less: "(any instance)" for "(Prometheus, any instance)", then the alerts' count
        // for their names; the filter is whole as long as it can be (a cut "instance=10.0.0.1:80" names another one)
        for (int terse = 1; terse <= 3 && headerWidth(title, source, stateWidth, updated, every, sep) > width;
                terse++) {
            // the last step cuts the filter's value, saying so with "...", to what the line has left for it
            int room = terse < 3 || m.instance() == null ? Integer.MAX_VALUE
                    : m.instance().length() - (headerWidth(title, source, stateWidth, updated, every, sep) - width);
            state = state(m, st, sep, Math.min(terse, 2), room);
            stateWidth = state.columnLength() + (at == null ? 0 : at.columnLength() + sep.length());
        }
        AttributedStringBuilder sb = new AttributedStringBuilder(width);
        if (title != null) {
            sb.styled(AttributedStyle.BOLD, title).append(sep);
        }
        if (at != null) {
            sb.append(at).append(sep);
        }
        if (source != null) {
            sb.append(source).append(sep);
        }
        // why the source is down is the banner's, under the header
        sb.append(state.toAttributedString()).append(updated).append(every);
        return sb.toAttributedString();
    }

    /**
     * The one line that says the source is down, since when and why, above the panels kept from before it went:
     * "source down since 00:12:34: connection refused"; on two lines when one does not hold the reason.
     */
    private List<AttributedString> banner(DashboardModel.Header h, int width) {
        String what = h.status() == FeedStatus.FAILED ? "polls failing" : "source down";
        String since = h.downSinceMillis() >= 0 ? " since " + Format.clock(h.downSinceMillis(), zone) : "";
        return wrap(what + since + ": " + (h.message() == null ? "" : withoutQueries(h.message())), width, 2,
                style(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)).bold());
    }

    /**
     * A failure's words with each URL's query string left out: a PromQL query's URL is hundreds of characters that
     * would push the reason ("connection refused") off one line.
     */
    static String withoutQueries(String message) {
        return message.replaceAll("(https?://[^\\s?]+)\\?\\S*?(?=:\\s|\\s|$)", "$1");
    }


    /** The header's state: the feed's status (not for a past time that read fine), the alert state, the filter. */
    private AttributedStringBuilder state(DashboardModel m, AttributedStyle st, String sep, int terse,
            int filterRoom) {
        DashboardModel.Header h = m.header();
        AttributedStringBuilder state = new AttributedStringBuilder();
        if (!h.past() || h.status() != FeedStatus.OK) {
            state.styled(st.bold(), m.paused() ? h.status().label() + " (paused)" : h.status().label()).append(sep);
        }
        state.append(alertState(m, terse));
        if (m.instance() != null) {
            state.append(sep).styled(style(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW)).bold(),
                    "instance=" + (m.instance().length() <= filterRoom ? m.instance()
                            : cut(m.instance(), Math.max(1, filterRoom - 3)) + "..."));
        }
        return state;
    }

    private static int headerWidth(String title, String source, int state, String updated, String every, String sep) {
        return (title == null ? 0 : title.length() + sep.length()) + (source == null ? 0 : source.length()
                + sep.length()) + state + updated.length() + every.length();
    }

    /**
     * The alert state: Prometheus's when it is the source and its alerts could be read (ALERT while one fires,
     * PENDING while one is pending, else none), else the panels' thresholds' (the worst panel's level); each says
     * which.
     */
    AttributedString alertState(DashboardModel m, int terse) {
        AttributedStringBuilder sb = new AttributedStringBuilder();
        AlertsPanel a = m.alerts();
        if (a != null && a.error() == null) {
            List<String> names = a.stateNames();
            String who = names.isEmpty() ? "" : terse >= 2 ? " " + names.size() + (names.size() > 1 ? " alerts"
                    : " alert") : " " + names.get(0) + (names.size() > 1 ? " +" + (names.size() - 1) : "");
            switch (a.state()) {
                case ALERT -> sb.styled(levelStyle(Level.ALERT).bold(), "ALERT" + who);
                case PENDING -> sb.styled(levelStyle(Level.WARN).bold(), "PENDING" + who);
                // "no alerts" is green only when the rules that would fire are loaded and evaluate
                case NONE -> sb.styled(a.rules() == null ? levelStyle(Level.OK) : levelStyle(Level.WARN).bold(),
                        a.rules() == null ? "no alerts" : "no alerts, rules incomplete");
            }
            // Prometheus's alerts are the job's, not the filter's: said so under a filter
            return sb.append(m.instance() == null ? " (Prometheus)" : terse >= 1 ? " (any instance)"
                    : " (Prometheus, any instance)").toAttributedString();
        }
        Level worst = Level.NONE;
        List<String> which = new ArrayList<>();
        for (PanelState p : m.panels().values()) {
            if (!p.available()) {
                continue;
            }
            if (rank(p.level()) > rank(worst)) {
                worst = p.level();
                which.clear();
            }
            if (p.level() == worst) {
                which.add(p.id().title());
            }
        }
        String who = which.isEmpty() ? "" : " " + which.get(0) + (which.size() > 1 ? " +" + (which.size() - 1) : "");
        boolean any = m.panels().values().stream().anyMatch(PanelState::available);
        switch (worst) {
            case ALERT -> sb.styled(levelStyle(Level.ALERT).bold(), "ALERT" + who);
            case WARN -> sb.styled(levelStyle(Level.WARN).bold(), "warn" + who);
            // no figures (waiting, unreachable): no state, rather than an "ok" nothing supports
            default -> sb.append(any ? new AttributedString("ok", levelStyle(Level.OK)) : new AttributedString(
                    "state unknown"));
        }
        return sb.append(a != null ? " (thresholds; alerts unknown)" : " (thresholds)").toAttributedString();
    }

    private static int rank(Level l) {
        return switch (l) {
            case NONE -> 0;
            case OK -> 1;
            case WARN -> 2;
            case ALERT -> 3;
        };
    }

    /**
     * The footer: a notice (what the last key could not do) first, then the key hints, then the panels the terminal
     * has no room for, by their titles, as many as fit and how many more.
     */
    private AttributedString footer(DashboardModel m, Set<PanelId> hidden, int width, int height) {
        AttributedStringBuilder sb = new AttributedStringBuilder(width);
        if (m.header().past()) {
            // a past time: the way back to now before anything else
            sb.styled(style(AttributedStyle.DEFAULT.foreground(AttributedStyle.MAGENTA)).bold(), "n now  [ ] step")
                    .append("  ");
        }
        if (m.notice() != null) {
            sb.styled(style(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW)), m.notice()).append("  ");
        }
        int keyRoom = width - sb.columnLength() - (hidden.isEmpty() ? 0 : 20); // 20: "  hidden: " and a title
        String keys = m.expanded() != null || m.alertsExpanded() || m.help()
                ? "q quit  Esc/Enter back  Tab next  i instance  ? help"
                : keyRoom >= 100 ? "q quit  p pause  r refresh  +/- interval  Tab focus  Enter breakdown  i/I instance"
                        + "  ? help"
                : keyRoom >= 43 ? "q quit  Enter breakdown  i instance  ? help"
                : "q quit  ? help";
        sb.styled(style(AttributedStyle.DEFAULT.faint()), keys);
        if (!hidden.isEmpty()) {
            String head = "  hidden: ";
            List<String> titles = new ArrayList<>();
            for (PanelId id : hidden) {
                titles.add(id.title());
            }
            StringBuilder list = new StringBuilder();
            int room = width - sb.columnLength() - head.length();
            for (int i = 0; i < titles.size(); i++) {
                String next = (i == 0 ? "" : ", ") + titles.get(i);
                String rest = i + 1 < titles.size() ? " +" + (titles.size() - i - 1) : "";
                String more = " +" + (titles.size() - i);
                if (list.length() + next.length() + rest.length() > room) {
                    list.append(i == 0 ? titles.size() + " panels" : more);
                    break;
                }
                list.append(next);
            }
            sb.styled(style(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW)), head + list);
        }
        return sb.toAttributedString();
    }

    /** The alert thresholds as the help says them: "CPU 80 %, memory 90 %, disk 90 %, error rate 5 %". */
    static String thresholds() {
        return "CPU " + percent(Thresholds.of(PanelId.CPU).alert()) + ", memory "
                + percent(Thresholds.of(PanelId.MEMORY).alert()) + ", disk " + percent(Thresholds.of(PanelId.DISK)
                        .alert()) + ", error rate " + percent(Math.round(Thresholds.of(PanelId.ERROR_RATE).alert() * 1e6) / 1e4);
    }

    private static String percent(double v) {
        return AlertThresholds.number(v) + " %";
    }

    private List<AttributedString> help(int width, int height) {
        String[] text = {
            "Keys",
            "  q, Ctrl-C       quit",
            "  p               pause / resume updates",
            "  r               refresh now",
            "  +, -            longer / shorter refresh interval",
            "  Tab, arrows     move the focus between panels (the Alerts panel first)",
            "  Enter           the focused panel and its breakdown: by handler, status, type",
            "                  and instance, whichever it has; on Alerts, every alert",
            "                  (Enter or Esc to go back)",
            "  i, I            instance filter: the next instance of the job / every instance",
            "                  (Esc on the grid clears it too); a scrape reads one instance",
            "  [, ]            one minute back / forward in time (--source prometheus)",
            "  n               back to now",
            "  ?               this help",
            "",
            "Colours follow the alert rules' thresholds: " + thresholds() + ";",
            "yellow is the warning band just below each. A panel without a value says why.",
            "With --source prometheus the Alerts panel lists the alerts Prometheus has firing",
            "and pending (ages on its clock) and Alertmanager's active silences, and the",
            "header's state is Prometheus's: ALERT while one fires, PENDING while one is",
            "pending. With a scrape there are no alerts: the header's state is the panels'.",
        };
        List<AttributedString> out = new ArrayList<>();
        for (String t : text) {
            if (out.size() < height) {
                out.add(fit(new AttributedString(t), width));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private List<AttributedString> wrap(String text, int width, int height, AttributedStyle st) {
        List<AttributedString> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                out.add(new AttributedString(line.toString(), st));
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word.length() > width ? word.substring(0, Math.max(0, width)) : word);
        }
        if (line.length() > 0) {
            out.add(new AttributedString(line.toString(), st));
        }
        if (out.size() > height && height > 0) {
            List<AttributedString> cut = new ArrayList<>(out.subList(0, height));
            String last = cut.get(height - 1).toString();
            cut.set(height - 1, new AttributedString(cut(last, Math.max(0, width - 1)) + "…", st));
            return cut;
        }
        return out;
    }

    private AttributedStyle levelStyle(Level level) {
        return switch (level) {
            case OK -> style(AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN));
            case WARN -> style(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW));
            case ALERT -> style(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED));
            case NONE -> AttributedStyle.DEFAULT;
        };
    }

    /** Colour only when asked for; bold and inverse stay, for a terminal with NO_COLOR. */
    private AttributedStyle style(AttributedStyle s) {
        return color ? s : AttributedStyle.DEFAULT;
    }

    private static AttributedString fit(AttributedString s, int width) {
        return s.columnLength() > width ? s.columnSubSequence(0, width) : s;
    }

    private static AttributedString plain(String s, int width) {
        return fit(new AttributedString(s), width);
    }

    private static List<AttributedString> pad(List<AttributedString> lines, int width, int height) {
        while (lines.size() < height) {
            lines.add(AttributedString.EMPTY);
        }
        return lines.subList(0, Math.min(lines.size(), height));
    }

    private static String pad(String s, int n) {
        return s.length() >= n ? s : s + " ".repeat(n - s.length());
    }

    private static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, Math.max(0, n));
    }
}
