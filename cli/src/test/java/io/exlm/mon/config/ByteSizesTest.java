package io.exlm.mon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizesTest {
    @ParameterizedTest
    @CsvSource({"65536,65536", "1KiB,1024", "512k,524288", "64MiB,67108864", "1G,1073741824", "2mb,2097152"})
    void parses(String text, long bytes) {
        assertThat(ByteSizes.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MiB", "-1", "0", "12XB", "99999999999999999999", "1.5MiB"})
    void rejects(String text) {
        assertThatThrownBy(() -> ByteSizes.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"512,512 B", "1024,1 KiB", "1536,1.5 KiB", "67108864,64 MiB"})
    void formats(long bytes, String text) {
        assertThat(ByteSizes.format(bytes)).isEqualTo(text);
    }
}
