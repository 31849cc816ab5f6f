package io.exlm.mon.expo;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Decodes byte ranges to strings and shares the result when the same bytes come again (metric names, label names,
 * the values of {@code le}, {@code method}, ...): one direct-mapped slot per hash, so memory stays bounded however
 * many distinct values a body has, and a repeated name costs a comparison instead of an allocation.
 */
final class Strings {
    private static final int SIZE = 1 << 13;
    /** Eight bytes of an array as a long, for the scans that go eight bytes at a time. */
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final String[] strings = new String[SIZE];
    private final byte[][] keys = new byte[SIZE][];
    private final int[] hashes = new int[SIZE];

    static int hash(byte[] b, int off, int end) {
        int h = 0;
        for (int i = off; i < end; i++) {
            h = 31 * h + b[i];
        }
        return h;
    }

    String get(byte[] b, int off, int len, int hash) {
        int slot = (hash ^ (hash >>> 13)) & (SIZE - 1);
        String s = strings[slot];
        if (s != null && hashes[slot] == hash) {
            byte[] k = keys[slot];
            if (k.length == len && java.util.Arrays.equals(k, 0, len, b, off, off + len)) {
                return s;
            }
        }
        s = decode(b, off, len);
        strings[slot] = s;
        keys[slot] = java.util.Arrays.copyOfRange(b, off, off + len);
        hashes[slot] = hash;
        return s;
    }

    static String decode(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] < 0) {
                return new String(b, off, len, StandardCharsets.UTF_8);
            }
        }
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    /** A 64-bit hash of a byte range, for strict checks' sets. */
    static long hash64(byte[] a, int s, int e) {
        long h = 0xcbf29ce484222325L ^ (e - s);
        int i = s;
        for (; i + 8 <= e; i += 8) {
            h = (h ^ (long) LONGS.get(a, i)) * 0x100000001b3L;
            h ^= h >>> 29;
        }
        for (; i < e; i++) {
            h = (h ^ a[i]) * 0x100000001b3L;
        }
        return mix(h);
    }

    /** Spreads the bits of a 64-bit hash (MurmurHash3's finaliser). */
    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
