package io.exlm.mon.cli;

/** What {@code -o} asks for. Lower case, because that is how it is typed. */
public enum OutputFormat {
    text, json, junit
}
