package io.exlm.mon.cli;

/** What {@code -o} asks for. Lower case, because that is how it is typed. Each command says which it supports. */
public enum OutputFormat {
    text, json, junit, csv
}
