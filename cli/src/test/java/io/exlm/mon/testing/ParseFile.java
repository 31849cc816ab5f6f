package io.exlm.mon.testing;

import io.exlm.mon.expo.ExpositionFormat;
import io.exlm.mon.expo.ExpositionParser;
import io.exlm.mon.expo.ParseMode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Parses a file leniently (as a scrape does), reading every sample's name, labels and value, and prints the number
 * of samples: a child JVM for tests that bound the heap. {@code ParseFile FILE}
 */
public final class ParseFile {
    private ParseFile() {
    }

    public static void main(String[] args) throws Exception {
        long[] n = {0};
        double[] sum = {0};
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            new ExpositionParser(ExpositionFormat.PROMETHEUS_TEXT, ParseMode.LENIENT, args[0]).parse(in, s -> {
                n[0]++;
                sum[0] += s.value() + s.name().length();
                for (int i = 0; i < s.labelCount(); i++) {
                    sum[0] += s.labelName(i).length() + s.labelValue(i).length();
                }
            });
        }
        System.out.println(n[0] + " samples");
    }
}
