package io.courier.server.web;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.Server;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built-in page in a real headless Chromium: it loads and connects, two browsers and a raw TCP JSON-text
 * client chat in one room, an upload's progress reaches 100% with a receipt whose SHA-256 (computed in the
 * browser) matches, the list shows the file and the download gives the same bytes, the stats panel updates; and
 * screenshots at a desktop and a phone size ({@code server/target/screenshots/}).
 */
@Timeout(180)
class WebPageBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static Server server;
    @TempDir
    static Path temp;
    private final List<ChromeDriver> browsers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Browser.assumeInstalled();
        server = TestServers.start(TestServers.config().filesDir(temp.resolve("files")).build());
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(ChromeDriver::quit);
    }

    private ChromeDriver browser(String name, int width, int height) throws Exception {
        Path profile = Files.createDirectories(temp.resolve("profile-" + name + "-" + browsers.size()));
        ChromeDriver browser = Browser.open(profile, downloads(), width, height);
        browsers.add(browser);
        browser.get("http://127.0.0.1:" + server.port() + "/");
        await().atMost(WAIT).until(() -> "open".equals(browser.findElement(By.id("status")).getAttribute("data-state")));
        return browser;
    }

    private static Path downloads() throws Exception {
        return Files.createDirectories(temp.resolve("downloads"));
    }

    private static void join(ChromeDriver browser, String room, String name) {
        WebElement roomField = browser.findElement(By.id("room"));
        roomField.clear();
        roomField.sendKeys(room);
        WebElement nameField = browser.findElement(By.id("name"));
        nameField.clear();
        nameField.sendKeys(name);
        browser.findElement(By.id("join")).click();
        await().atMost(WAIT).until(() -> browser.findElement(By.id("chat-input")).isEnabled());
    }

    private static void say(ChromeDriver browser, String text) {
        browser.findElement(By.id("chat-input")).sendKeys(text);
        browser.findElement(By.id("chat-send")).click();
    }

    private static String chat(ChromeDriver browser) {
        return browser.findElement(By.id("chat-log")).getText();
    }

    @Test
    void thePageLoadsAndConnects() throws Exception {
        ChromeDriver browser = browser("load", 1280, 900);
        assertEquals("Courier", browser.getTitle());
        assertTrue(browser.findElement(By.id("status-text")).getText().startsWith("connected"));
        assertEquals(List.of(), browser.manage().logs().getAvailableLogTypes().contains("browser")
                ? browser.manage().logs().get("browser").getAll().stream()
                        .filter(entry -> entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                        .map(Object::toString).toList()
                : List.of(), "no errors in the browser's console");
    }

    @Test
    void twoBrowsersAndARawTcpClientChatInOneRoom() throws Exception {
        ChromeDriver alice = browser("alice", 1280, 900);
        ChromeDriver bob = browser("bob", 1280, 900);
        join(alice, "lobby", "alice");
        try (RawClient terminal = RawClient.connect(server.port(), Framing.JSON_TEXT)) {
            terminal.write("{\"type\":\"room.join\",\"id\":1,\"room\":\"lobby\",\"name\":\"terminal\"}\n"
                    .getBytes(StandardCharsets.UTF_8));
            assertEquals(true, terminal.read(WAIT).isOk());
            join(bob, "lobby", "bob");
            await().atMost(WAIT).until(() -> alice.findElement(By.id("members")).getText().contains("bob"));

            say(alice, "hello from alice");
            await().atMost(WAIT).until(() -> chat(bob).contains("hello from alice"));
            Message heard = terminal.read(WAIT);
            while (!"room.message".equals(heard.type())) {
                heard = terminal.read(WAIT);
            }
            assertEquals("alice", heard.textField("name"));
            assertEquals("hello from alice", heard.textField("text"));

            terminal.write("{\"type\":\"room.say\",\"id\":2,\"room\":\"lobby\",\"text\":\"hi from a terminal\"}\n"
                    .getBytes(StandardCharsets.UTF_8));
            await().atMost(WAIT).until(() -> chat(alice).contains("hi from a terminal")
                    && chat(bob).contains("hi from a terminal"));
            say(bob, "hey both \u2728");
            await().atMost(WAIT).until(() -> chat(alice).contains("hey both \u2728"));
        }
        await().atMost(WAIT).until(() -> chat(alice).contains("terminal left"));
        screenshot(alice, "chat-desktop");
    }

    @Test
    void anUploadReachesOneHundredPercentWithAMatchingReceiptAndDownloadsBack() throws Exception {
        byte[] bytes = randomFile("report-2026.bin", 1_500_000);
        Path file = temp.resolve("report-2026.bin");
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));

        ChromeDriver browser = browser("files", 1280, 900);
        browser.findElement(By.id("file-input")).sendKeys(file.toAbsolutePath().toString());
        await().atMost(WAIT).until(() -> browser.findElement(By.id("upload-percent")).getText().equals("100%"));
        await().atMost(WAIT).until(() -> browser.findElement(By.id("receipt")).isDisplayed());
        assertEquals("good", browser.findElement(By.id("receipt-check")).getAttribute("class"),
                browser.findElement(By.id("receipt-check")).getText());
        assertEquals(sha256, browser.findElement(By.id("receipt-sha")).getText());
        assertTrue(browser.findElement(By.id("receipt-size")).getText().contains("1500000 bytes"));
        assertArrayEquals(bytes, Files.readAllBytes(temp.resolve("files").resolve("report-2026.bin")));

        By row = By.cssSelector("#files-table tr[data-name='report-2026.bin']");
        await().atMost(WAIT).until(() -> !browser.findElements(row).isEmpty());
        browser.findElement(row).findElement(By.cssSelector("button[data-download]")).click();
        Path downloaded = downloads().resolve("report-2026.bin");
        await().atMost(WAIT).until(() -> Files.exists(downloaded) && Files.size(downloaded) == bytes.length
                && noPartialDownloads());
        assertArrayEquals(bytes, Files.readAllBytes(downloaded));
        assertEquals(sha256, browser.findElement(By.id("download-status")).getAttribute("data-sha256"));
        screenshot(browser, "files-desktop");
    }

    /** A file of random bytes in the temporary directory; returns its bytes. */
    private static byte[] randomFile(String name, int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(name.hashCode()).nextBytes(bytes);
        Files.write(temp.resolve(name), bytes);
        return bytes;
    }

    private static boolean noPartialDownloads() throws Exception {
        try (Stream<Path> files = Files.list(downloads())) {
            return files.noneMatch(p -> p.getFileName().toString().endsWith(".crdownload"));
        }
    }

    @Test
    void theStatsPanelUpdatesEverySecond() throws Exception {
        ChromeDriver browser = browser("stats", 1280, 900);
        WebElement polls = browser.findElement(By.id("stats-polls"));
        await().atMost(WAIT).until(() -> Integer.parseInt(polls.getAttribute("data-polls")) >= 3);
        int connections = Integer.parseInt(browser.findElement(By.id("stat-connections")).getText());
        assertTrue(connections >= 1, "the page's own connection is counted: " + connections);
        assertTrue(browser.findElement(By.id("stat-lag")).getText().matches("\\d+\\.\\d"));
        Object drawn = browser.executeScript("const c = document.getElementById('stats-chart');"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n;");
        assertTrue(((Number) drawn).longValue() > 500, "the chart has lines: " + drawn + " pixels drawn");
    }

    @Test
    void onAPhoneEverythingFitsTheWidth() throws Exception {
        ChromeDriver phone = browser("phone", 390, 844);
        join(phone, "lobby", "phone");
        say(phone, "typed on a phone");
        await().atMost(WAIT).until(() -> chat(phone).contains("typed on a phone"));
        await().atMost(WAIT).until(() -> Integer.parseInt(phone.findElement(By.id("stats-polls"))
                .getAttribute("data-polls")) >= 2);
        long overflow = (Long) phone.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertEquals(0, overflow, "no sideways scrolling at 390 px");
        screenshot(phone, "phone");
        phone.manage().window().setSize(new Dimension(390, 2200));
        screenshot(phone, "phone-full");
    }

    /**
     * The page in use, for README's screenshot ({@code target/screenshots/tour-*.png}): a chat with a terminal
     * client, an uploaded file's receipt, and the stats chart over some seconds of traffic that rises and falls.
     */
    @Test
    void aTourOfThePageInUse() throws Exception {
        Path file = temp.resolve("holiday-photos.zip");
        randomFile("holiday-photos.zip", 3_200_000);
        java.util.concurrent.ScheduledExecutorService traffic = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor();
        try (RawClient terminal = RawClient.connect(server.port(), Framing.JSON_TEXT);
             RawClient load = RawClient.connect(server.port(), Framing.BINARY)) {
            java.util.concurrent.atomic.AtomicInteger tick = new java.util.concurrent.atomic.AtomicInteger();
            traffic.scheduleAtFixedRate(() -> {
                int burst = (int) (40 + 35 * Math.sin(tick.incrementAndGet() / 25.0));
                try {
                    for (int i = 0; i < burst; i++) {
                        load.send(Message.of("ping"));
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, 0, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
            ChromeDriver browser = browser("tour", 1280, 760);
            join(browser, "lobby", "alice");
            terminal.write("{\"type\":\"room.join\",\"id\":1,\"room\":\"lobby\",\"name\":\"bob (terminal)\"}\n"
                    .getBytes(StandardCharsets.UTF_8));
            await().atMost(WAIT).until(() -> chat(browser).contains("bob (terminal) joined"));
            terminal.write("{\"type\":\"room.say\",\"id\":2,\"room\":\"lobby\",\"text\":\"hi from nc\"}\n"
                    .getBytes(StandardCharsets.UTF_8));
            say(browser, "hello! uploading the photos now");
            browser.findElement(By.id("file-input")).sendKeys(file.toAbsolutePath().toString());
            await().atMost(WAIT).until(() -> browser.findElement(By.id("receipt")).isDisplayed());
            terminal.write("{\"type\":\"room.say\",\"id\":3,\"room\":\"lobby\",\"text\":\"got them, thanks\"}\n"
                    .getBytes(StandardCharsets.UTF_8));
            await().atMost(WAIT).until(() -> chat(browser).contains("got them"));
            await().atMost(Duration.ofSeconds(60)).until(() -> Integer.parseInt(browser.findElement(By.id("stats-polls"))
                    .getAttribute("data-polls")) >= 25);
            screenshot(browser, "tour-desktop");
            browser.manage().window().setSize(new Dimension(390, 844));
            browser.executeScript("window.dispatchEvent(new Event('resize'))");
            screenshot(browser, "tour-phone");
        } finally {
            traffic.shutdownNow();
        }
    }

    private static void screenshot(ChromeDriver browser, String name) throws Exception {
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }
}
