package io.exlm.mon.tui;

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

    public FrameRenderer(boolean color, boolean unicode) {
        this.color = color;
        this.g = unicode ? Glyphs.UNICODE : Glyphs.ASCII;
    }

    public List<AttributedString> render(DashboardModel m, int width, int height) {
        List<AttributedString> lines = new ArrayList<>(height);
        if (width < MIN_WIDTH || height < MIN_HEIGHT) {
            lines.add(fit(header(m, width), width));
            lines.add(plain("too small " + width + "x" + height + " (need " + MIN_WIDTH + "x" + MIN_HEIGHT + ")",
                    width));
            lines.add(plain("q quit", width));
            return pad(lines, width, height);
        }
        lines.add(fit(header(m, width), width));
        int bodyHeight = height - 2;
        Set<PanelId> hidden = new LinkedHashSet<>();
        if (m.help()) {
            lines.addAll(help(width, bodyHeight));
        } else if (m.expanded() != null) {
            lines.addAll(box(m.panel(m.expanded()), true, true, width, bodyHeight));
        } else {
            lines.addAll(body(m, width, bodyHeight, hidden));
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
            boxes.add(box(m.panel(row.get(i)), row.get(i) == m.focus(), false, w, boxHeight));
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

    /** A panel in a box of exactly {@code width} x {@code height}. */
    private List<AttributedString> box(PanelState p, boolean focused, boolean expanded, int width, int height) {
        int inner = width - 2;
        int contentHeight = height - 2;
        List<AttributedString> content = p.available() ? content(p, inner - 2, contentHeight, expanded)
                : wrap(p.unavailable(), inner - 2, contentHeight, style(AttributedStyle.DEFAULT.faint()));
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
        out.add(new AttributedStringBuilder().styled(levelStyle(p.level()).bold(), Format.value(f.value(), f.unit()))
                .append(levelNote(p)).toAttributedString());
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

    // ------------------------------------------------------------------------------------------------ chrome

    private AttributedString header(DashboardModel m, int width) {
        DashboardModel.Header h = m.header();
        AttributedStringBuilder sb = new AttributedStringBuilder(width);
        sb.styled(AttributedStyle.BOLD, "exlm-mon top").append(' ').append(String.valueOf(g.separator())).append(' ');
        sb.append(h.source()).append(' ').append(String.valueOf(g.separator())).append(' ');
        AttributedStyle st = switch (h.status()) {
            case OK -> style(AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN));
            case STALE, WAITING -> style(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW));
            case UNREACHABLE, FAILED -> style(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED));
        };
        sb.styled(st.bold(), m.paused() ? h.status().label() + " (paused)" : h.status().label());
        if (h.ageMillis() >= 0) {
            sb.append(" ").append(String.valueOf(g.separator())).append(" updated ")
                    .append(Format.fixed(h.ageMillis() / 1000.0, 1)).append("s ago");
        }
        sb.append(" ").append(String.valueOf(g.separator())).append(" every ")
                .append(io.exlm.mon.config.Durations.format(java.time.Duration.ofMillis(h.intervalMillis())));
        if ((h.status() == FeedStatus.UNREACHABLE || h.status() == FeedStatus.FAILED) && h.message() != null) {
            sb.append(" ").append(String.valueOf(g.separator())).append(" ");
            sb.styled(st, h.message());
        }
        return sb.toAttributedString();
    }

    private AttributedString footer(DashboardModel m, Set<PanelId> hidden, int width, int height) {
        AttributedStringBuilder sb = new AttributedStringBuilder(width);
        // what is missing from the screen comes first, so that a narrow terminal still says it
        if (!hidden.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (PanelId id : hidden) {
                names.add(id.key());
            }
            sb.styled(style(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW)),
                    "hidden at " + width + "x" + height + ": " + String.join(", ", names)).append("  ");
        }
        String keys = m.expanded() != null || m.help() ? "q quit  Esc/Enter back  ? help"
                : width - sb.length() >= 72 ? "q quit  p pause  r refresh  +/- interval  Tab focus  Enter expand  ? help"
                : "q quit  p pause  r refresh  ? help";
        sb.styled(style(AttributedStyle.DEFAULT.faint()), keys);
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
            "  Tab, arrows     move the focus between panels",
            "  Enter           expand the focused panel (Enter or Esc to go back)",
            "  ?               this help",
            "",
            "Colours follow the alert rules' thresholds: " + thresholds() + ";",
            "yellow is the warning band just below each. A panel without a value says why.",
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
