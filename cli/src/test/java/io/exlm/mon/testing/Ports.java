package io.exlm.mon.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for the servers a test starts. They are taken below Linux's ephemeral range (32768-60999 by
 * default): a port the kernel hands out for bind(0) is also one it hands to the next outgoing connection, so between
 * a test choosing it and a server binding it a client socket could take it (seen: "port 127.0.0.1:43253 for
 * pushgateway is in use by another program" in the full suite). Each port is handed out once per test JVM.
 */
public final class Ports {
    private static final int LOW = 20000;
    private static final int HIGH = 32000;
    private static final Set<Integer> GIVEN = new HashSet<>();

    private Ports() {
    }

    public static synchronized int free() {
        int start = ThreadLocalRandom.current().nextInt(LOW, HIGH);
        for (int i = 0; i < HIGH - LOW; i++) {
            int port = LOW + (start - LOW + i) % (HIGH - LOW);
            if (GIVEN.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                GIVEN.add(port);
                return port;
            } catch (IOException e) {
                // taken: the next one
            }
        }
        throw new UncheckedIOException(new IOException("no free loopback port in " + LOW + "-" + HIGH));
    }

    /** A port that was free a moment ago and has nothing listening: connecting to it is refused. */
    public static int closed() {
        return free();
    }
}
