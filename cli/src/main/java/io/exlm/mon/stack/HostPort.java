package io.exlm.mon.stack;

import io.exlm.mon.ExitException;
import java.net.URI;
import java.util.Locale;

/** Where something listens or is reached: a host and a port, from a URL with the scheme's default port. */
public record HostPort(String host, int port) {
    public static HostPort ofUrl(String url, String what) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw ExitException.usage(what + ": '" + url + "' is not a URL");
        }
        String host = uri.getHost();
        if (host == null) {
            throw ExitException.usage(what + ": '" + url + "' has no host");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort();
        if (port < 0) {
            port = switch (uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT)) {
                case "https" -> 443;
                case "redis" -> 6379;
                case "postgres", "postgresql" -> 5432;
                default -> 80;
            };
        }
        return new HostPort(host, port);
    }

    /** Whether the host is this machine's loopback (localhost, 127.0.0.0/8, ::1). */
    public boolean loopback() {
        return io.exlm.mon.http.Loopback.host(host);
    }

    /** The address to bind: {@code localhost} becomes 127.0.0.1, so that every part agrees on IPv4. */
    public String bindHost() {
        return host.equalsIgnoreCase("localhost") ? "127.0.0.1" : host;
    }

    /** {@code host:port} for a listen flag or a scrape target, IPv6 literals bracketed. */
    public String listenAddress() {
        String h = bindHost();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
