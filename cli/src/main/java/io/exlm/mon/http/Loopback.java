package io.exlm.mon.http;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/** Whether a host or a URL is this machine's loopback: localhost, 127.0.0.0/8, ::1. No name is looked up in DNS. */
public final class Loopback {
    private Loopback() {
    }

    public static boolean host(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        // only literals are resolved: a name is not looked up
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public static boolean url(String url) {
        try {
            return host(URI.create(url).getHost());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
