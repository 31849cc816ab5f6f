package io.exlm.mon.tui;

/** The characters frames are drawn with: Unicode box drawing and blocks, or plain ASCII for {@code --ascii}. */
public record Glyphs(char topLeft, char topRight, char bottomLeft, char bottomRight, char horizontal,
        char vertical, char barFull, char barEmpty, String spark, char focus, char separator) {

    public static final Glyphs UNICODE = new Glyphs('┌', '┐', '└', '┘', '─', '│', '█', '░', "▁▂▃▄▅▆▇█", '▶', '│');
    public static final Glyphs ASCII = new Glyphs('+', '+', '+', '+', '-', '|', '#', '.', "_.-:=+*#", '>', '|');
}
