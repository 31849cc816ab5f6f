package io.exlm.mon.promql;

import java.util.List;

/** The Alertmanager URLs Prometheus sends alerts to ({@code active}) and the ones its discovery dropped. */
public record Alertmanagers(List<String> active, List<String> dropped) {
}
