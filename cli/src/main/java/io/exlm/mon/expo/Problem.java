package io.exlm.mon.expo;

/**
 * One thing wrong with an exposition, located: {@code FILE:LINE:COL: message}. Lines and columns count from 1;
 * columns count characters (code points), not bytes.
 */
public record Problem(String source, int line, int column, String message) {
    @Override
    public String toString() {
        return source + ":" + line + ":" + column + ": " + message;
    }
}
