package io.exlm.mon.health;

/**
 * One dependency named in a health document (database, redis, disk, ...), with its own status and what it said.
 *
 * @param status the dependency's verdict; {@code null} when it is not configured
 * @param word   the status word as the service wrote it ({@code ok}, {@code DOWN}, {@code not_configured})
 * @param detail what the service said about it (an error, an address, a figure); may be empty
 */
public record Dependency(String name, HealthStatus status, String word, String detail) {
    public boolean failed() {
        return status == HealthStatus.UNHEALTHY;
    }
}
