package io.exlm.mon.expo;

import java.util.Arrays;

/**
 * An open-addressing map from 64-bit hashes to ints (line numbers, here): what strict checks remember about a body
 * without keeping its text, so that memory is a few bytes per series whatever the names' lengths.
 */
final class LongIntMap {
    private long[] keys;
    private int[] values;
    private int size;
    private boolean hasZero;
    private int zeroValue;

    LongIntMap(int capacity) {
        int n = Integer.highestOneBit(Math.max(16, capacity) * 2 - 1);
        keys = new long[n];
        values = new int[n];
    }

    /** The value stored for the key, or 0. */
    int get(long key) {
        if (key == 0) {
            return hasZero ? zeroValue : 0;
        }
        int i = slot(key);
        return keys[i] == key ? values[i] : 0;
    }

    /** Where a key that is not 0 is, or the free slot where it would go. */
    private int slot(long key) {
        long[] ks = keys;
        int mask = ks.length - 1;
        int i = mix(key) & mask;
        while (ks[i] != key && ks[i] != 0) {
            i = (i + 1) & mask;
        }
        return i;
    }

    boolean contains(long key) {
        return get(key) != 0;
    }

    /** Stores the value unless the key is present; returns the value that was there, or 0. Values must not be 0. */
    int putIfAbsent(long key, int value) {
        if (key == 0) {
            if (hasZero) {
                return zeroValue;
            }
            hasZero = true;
            zeroValue = value;
            return 0;
        }
        int i = slot(key);
        if (keys[i] == key) {
            return values[i];
        }
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) {
            grow();
        }
        return 0;
    }

    void putAll(LongIntMap other) {
        if (other.hasZero) {
            putIfAbsent(0, other.zeroValue);
        }
        for (int i = 0; i < other.keys.length; i++) {
            if (other.keys[i] != 0) {
                putIfAbsent(other.keys[i], other.values[i]);
            }
        }
    }

    boolean isEmpty() {
        return size == 0 && !hasZero;
    }

    void clear() {
        if (size > 0) {
            if (keys.length > 1024) {
                keys = new long[16];
                values = new int[16];
            } else {
                Arrays.fill(keys, 0);
            }
        }
        size = 0;
        hasZero = false;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                putIfAbsent(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
