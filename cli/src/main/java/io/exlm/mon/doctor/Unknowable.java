package io.exlm.mon.doctor;

/**
 * A fact the server at hand cannot tell (VictoriaMetrics has no Prometheus runtime information; one that scrapes
 * nothing itself lists no targets): the check that needs it is skipped with this reason, which says what would make
 * it checkable. Never a pass, never a failure.
 */
final class Unknowable extends RuntimeException {
    Unknowable(String reason) {
        super(reason, null, false, false);
    }
}
