package io.exlm.mon.panel;

/** How a figure stands against its alert threshold. */
public enum Level {
    /** No threshold, or no value. */
    NONE,
    OK,
    /** In the warning band just below the alert threshold. */
    WARN,
    /** At or above the alert threshold of the guide: the alert would fire if this lasted. */
    ALERT
}
