package io.exlm.mon.push;

/** One check of a run, as pushed: whether it passed and how long it took. */
public record CheckOutcome(String check, boolean success, double durationSeconds) {
}
