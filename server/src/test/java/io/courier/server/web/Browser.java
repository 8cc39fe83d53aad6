package io.courier.server.web;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Headless Chromium for the page's tests, from the operating system's packages only: {@code /usr/bin/chromium}
 * and {@code /usr/bin/chromedriver} (Debian's {@code chromium} and {@code chromium-driver}). Both paths are given
 * to Selenium, so Selenium Manager never looks for, or downloads, a browser or a driver. Without them the tests are
 * skipped, saying why.
 */
final class Browser {
    static final Path CHROMIUM = Path.of(System.getProperty("courier.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("courier.chromedriver", "/usr/bin/chromedriver"));

    private Browser() {
    }

    /** Skips the calling test class unless both executables are installed. */
    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "skipped: the browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                        + " (apt-get install chromium chromium-driver; .ci/run installs them)");
    }

    /**
     * A fresh browser (its own profile directory and chromedriver, which quit() stops) with a window of
     * {@code width} x {@code height}.
     */
    static ChromeDriver open(Path profile, Path downloads, int width, int height) {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--force-color-profile=srgb",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", downloads.toString(),
                "download.prompt_for_download", false,
                "safebrowsing.enabled", false));
        return new ChromeDriver(service, options);
    }
}
