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
 * pushgateway is in use by another program" in the full suite). Each port is handed out once per test JVM, and when
 * Maven runs the tests in several JVMs side by side ({@code exlm.fork} of {@code exlm.forks}, set by the pom), each
 * takes its ports from a slice of the range of its own, so that two JVMs never hand out one port.
 */
public final class Ports {
    private static final int FIRST = 20000;
    private static final int LAST = 32000;
    private static final int LOW;
    private static final int HIGH;

    static {
        int[] slice = slice(System.getProperty("exlm.fork"), System.getProperty("exlm.forks"));
        LOW = slice[0];
        HIGH = slice[1];
    }
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

    /**
     * The ports [low, high) of fork {@code fork} (1-based) of {@code forks}: the whole range when either is missing
     * or not a number (a test run from an IDE, one JVM).
     */
    static int[] slice(String fork, String forks) {
        try {
            int k = Integer.parseInt(fork);
            int n = Integer.parseInt(forks);
            if (n > 1 && k >= 1) {
                int width = (LAST - FIRST) / n;
                int i = (k - 1) % n; // reused forks are numbered past n only when Maven restarts one
                return new int[] {FIRST + i * width, FIRST + (i + 1) * width};
            }
        } catch (NumberFormatException e) {
            // not set: one JVM
        }
        return new int[] {FIRST, LAST};
    }

    /** A port that was free a moment ago and has nothing listening: connecting to it is refused. */
    public static int closed() {
        return free();
    }
}
