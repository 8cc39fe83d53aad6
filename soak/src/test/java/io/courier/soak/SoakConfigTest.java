package io.courier.soak;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoakConfigTest {
    @Test
    void defaultsAreATenMinuteSoakWithAMinuteOfWarmUp() {
        SoakConfig config = SoakConfig.from(Map.of());
        assertEquals(Duration.ofMinutes(10), config.duration());
        assertEquals(Duration.ofSeconds(60), config.warmup());
        assertEquals(Duration.ofSeconds(30), config.sampleInterval());
        assertEquals(Path.of("server/target/server.jar"), config.serverJar());
        assertEquals("mvn -Psoak verify -DskipTests -Dsoak.duration=10m", config.mavenCommand());
    }

    @Test
    void shortSoaksWarmUpForAQuarterOfTheirLength() {
        assertEquals(Duration.ofSeconds(45), SoakConfig.from(Map.of("duration", "3m")).warmup());
        assertEquals(Duration.ofSeconds(5), SoakConfig.from(Map.of("duration", "20s", "warmup", "5s")).warmup());
    }

    @Test
    void systemPropertiesWithThePrefixAreReadAndBlankMeansDefault() {
        Properties properties = new Properties();
        properties.setProperty("soak.duration", "2m");
        properties.setProperty("soak.warmup", "");
        properties.setProperty("soak.lag-p99-ms", "50");
        properties.setProperty("soak.server.jvm", "-Xmx128m  -XX:+UseSerialGC");
        properties.setProperty("other.duration", "1s");
        SoakConfig config = SoakConfig.from(properties);
        assertEquals(Duration.ofMinutes(2), config.duration());
        assertEquals(Duration.ofSeconds(30), config.warmup());
        assertEquals(50, config.lagP99Millis());
        assertEquals(java.util.List.of("-Xmx128m", "-XX:+UseSerialGC"), config.serverJvm());
    }

    @Test
    void wrongValuesNameTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SoakConfig.from(Map.of("duration", "soon")));
        assertTrue(e.getMessage().startsWith("soak.duration must be a duration"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SoakConfig.from(Map.of("sample-interval", "30")));
        assertTrue(e.getMessage().contains("soak.sample-interval") && e.getMessage().contains("30s"),
                e.getMessage());
        assertEquals(768 * 1024, SoakConfig.from(Map.of("file-max-bytes", "768KiB")).fileMaxBytes());
        e = assertThrows(IllegalArgumentException.class, () -> SoakConfig.from(Map.of("room-members", "1")));
        assertTrue(e.getMessage().contains("soak.room-members"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SoakConfig.from(Map.of("echo-depth", "x")));
        assertTrue(e.getMessage().contains("soak.echo-depth"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SoakConfig.from(Map.of("duration", "1m", "warmup", "2m")));
        assertTrue(e.getMessage().contains("soak.warmup"), e.getMessage());
    }
}
