package io.exlm.mon.expo;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An immutable label set, sorted by name; equal when the same names have the same values. */
public final class Labels {
    public static final Labels EMPTY = new Labels(new String[0], new String[0]);

    private final String[] names;
    private final String[] values;
    private int hash;

    private Labels(String[] names, String[] values) {
        this.names = names;
        this.values = values;
    }

    /** From parallel arrays in any order (taken over: the caller must not change them afterwards). */
    public static Labels of(String[] names, String[] values) {
        if (names.length == 0) {
            return EMPTY;
        }
        // insertion sort: label sets are small
        for (int i = 1; i < names.length; i++) {
            String n = names[i];
            String v = values[i];
            int j = i - 1;
            while (j >= 0 && names[j].compareTo(n) > 0) {
                names[j + 1] = names[j];
                values[j + 1] = values[j];
                j--;
            }
            names[j + 1] = n;
            values[j + 1] = v;
        }
        return new Labels(names, values);
    }

    /** From name, value, name, value, ... */
    public static Labels of(String... pairs) {
        String[] n = new String[pairs.length / 2];
        String[] v = new String[pairs.length / 2];
        for (int i = 0; i < n.length; i++) {
            n[i] = pairs[2 * i];
            v[i] = pairs[2 * i + 1];
        }
        return of(n, v);
    }

    public static Labels of(Map<String, String> map) {
        return of(map.keySet().toArray(new String[0]), map.values().toArray(new String[0]));
    }

    public int size() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    public String value(int i) {
        return values[i];
    }

    /** The value of the label, or null when there is none. */
    public String get(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return null;
    }

    /** The same set without the named label. */
    public Labels without(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                String[] n = new String[names.length - 1];
                String[] v = new String[names.length - 1];
                System.arraycopy(names, 0, n, 0, i);
                System.arraycopy(values, 0, v, 0, i);
                System.arraycopy(names, i + 1, n, i, n.length - i);
                System.arraycopy(values, i + 1, v, i, v.length - i);
                return n.length == 0 ? EMPTY : new Labels(n, v);
            }
        }
        return this;
    }

    /** Only the named labels (those present). */
    public Labels only(String... keep) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : keep) {
            String v = get(k);
            if (v != null) {
                m.put(k, v);
            }
        }
        return of(m);
    }

    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], values[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels l && Arrays.equals(names, l.names) && Arrays.equals(values, l.values);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
            hash = h;
        }
        return h;
    }

    /** {@code {a="1",b="2"}} with values escaped as the text format writes them; empty for no labels. */
    @Override
    public String toString() {
        if (names.length == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(names[i]).append("=\"");
            String v = values[i];
            for (int k = 0; k < v.length(); k++) {
                char c = v.charAt(k);
                switch (c) {
                    case '\\' -> sb.append("\\\\");
                    case '"' -> sb.append("\\\"");
                    case '\n' -> sb.append("\\n");
                    default -> sb.append(c);
                }
            }
            sb.append('"');
        }
        return sb.append('}').toString();
    }
}
