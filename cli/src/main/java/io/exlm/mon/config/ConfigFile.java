package io.exlm.mon.config;

import io.exlm.mon.ExitException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config file: {@code key = value} lines, {@code #} comments, keys from {@link Setting} plus
 * {@code header.Name = value}. It remembers where each value came from, so that a bad value is reported as
 * {@code file:line}. Unknown keys are errors: a typo that silently does nothing is worse than a refusal.
 */
public final class ConfigFile {
    /** A value and where it was written. */
    public record Entry(String value, Path file, int line) {
        public String where() {
            return file + ":" + line;
        }
    }

    private final Path path;
    private final Map<String, Entry> entries;
    private final Map<String, Entry> headers;
    private final Map<String, Entry> combines;

    private ConfigFile(Path path, Map<String, Entry> entries, Map<String, Entry> headers,
            Map<String, Entry> combines) {
        this.path = path;
        this.entries = entries;
        this.headers = headers;
        this.combines = combines;
    }

    public static ConfigFile empty() {
        return new ConfigFile(null, Map.of(), Map.of(), Map.of());
    }

    /** A config file is a few kilobytes: more than this is the wrong file, and is not read into memory. */
    static final long CAP = 1024 * 1024;

    /** The default location: {@code $XDG_CONFIG_HOME/exlm-mon/config.properties}, else under {@code ~/.config}. */
    public static Path defaultPath(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return base.resolve("exlm-mon").resolve("config.properties");
    }

    /**
     * Loads a config file. A file named explicitly must exist; the default one may be absent.
     */
    public static ConfigFile load(Path path, boolean explicit) {
        List<String> lines;
        try {
            lines = SmallFiles.read(path, CAP, Settings.FILE_DEADLINE).lines().toList();
        } catch (SmallFiles.Refused e) {
            throw ExitException.usage("config file " + e.getMessage());
        } catch (NoSuchFileException e) {
            if (explicit) {
                throw ExitException.usage("config file " + path + " does not exist; create it or drop --config");
            }
            return empty();
        } catch (IOException e) {
            throw ExitException.usage("cannot read config file " + path + ": " + e.getMessage());
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, Entry> headers = new LinkedHashMap<>();
        Map<String, Entry> combines = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int lineNo = i + 1;
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                // the line is not repeated: a malformed line may well hold a secret
                throw ExitException.usage(path + ":" + lineNo + ": expected 'key = value' (an '=' between key and"
                        + " value)");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            Entry entry = new Entry(value, path, lineNo);
            if (key.startsWith(Setting.HEADER_PREFIX) && key.length() > Setting.HEADER_PREFIX.length()) {
                headers.put(key.substring(Setting.HEADER_PREFIX.length()), entry);
            } else if (key.startsWith(Setting.COMBINE_PREFIX) && key.length() > Setting.COMBINE_PREFIX.length()) {
                combines.put(key.substring(Setting.COMBINE_PREFIX.length()), entry);
            } else if (Setting.forKey(key) != null) {
                entries.put(key, entry);
            } else {
                throw ExitException.usage(path + ":" + lineNo + ": unknown key '" + key + "'; known keys: "
                        + knownKeys());
            }
        }
        return new ConfigFile(path, Collections.unmodifiableMap(entries), Collections.unmodifiableMap(headers),
                Collections.unmodifiableMap(combines));
    }

    public Path path() {
        return path;
    }

    public Entry get(Setting setting) {
        return entries.get(setting.key());
    }

    public Map<String, Entry> headers() {
        return headers;
    }

    /** The {@code combine.METRIC} entries, by metric. */
    public Map<String, Entry> combines() {
        return combines;
    }

    private static String knownKeys() {
        List<String> keys = new ArrayList<>();
        for (Setting s : Setting.values()) {
            keys.add(s.key());
        }
        keys.add("header.<Name>");
        keys.add("combine.<gauge>");
        return String.join(", ", keys);
    }
}
