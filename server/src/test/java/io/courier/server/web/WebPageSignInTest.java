package io.courier.server.web;

import io.courier.server.Server;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On a server with users the page asks for a token, refuses a wrong one, and works once signed in. */
@Timeout(120)
class WebPageSignInTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOKEN = "page-test-token-0123456789abcdefghijklmnopq";

    @TempDir
    static Path temp;
    private ChromeDriver browser;

    @BeforeAll
    static void needsTheBrowser() {
        Browser.assumeInstalled();
    }

    @AfterEach
    void quit() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void thePageAsksForATokenAndServesOnceSignedIn() throws Exception {
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(TOKEN.getBytes(StandardCharsets.UTF_8)));
        Path users = Files.writeString(temp.resolve("users.json"),
                "{\"users\": [{\"name\": \"ann\", \"token_sha256\": \"" + hash + "\", \"grants\": [\"*\"]}]}");
        try (Server server = TestServers.start(TestServers.config().filesDir(temp.resolve("files")).usersFile(users)
                .build())) {
            browser = Browser.open(Files.createDirectories(temp.resolve("profile")),
                    Files.createDirectories(temp.resolve("downloads")), 1280, 900);
            browser.get("http://127.0.0.1:" + server.port() + "/");
            await().atMost(WAIT).until(() -> browser.findElement(By.id("auth-form")).isDisplayed());

            browser.findElement(By.id("token")).sendKeys("not the token");
            browser.findElement(By.id("sign-in")).click();
            await().atMost(WAIT).until(() -> !browser.findElement(By.id("auth-error")).getText().isEmpty());
            assertTrue(browser.findElement(By.id("auth-form")).isDisplayed());

            browser.findElement(By.id("token")).clear();
            browser.findElement(By.id("token")).sendKeys(TOKEN);
            browser.findElement(By.id("sign-in")).click();
            await().atMost(WAIT).until(() -> !browser.findElement(By.id("auth-form")).isDisplayed());
            assertEquals("ann on 127.0.0.1:" + server.port(), browser.findElement(By.id("status-text")).getText());
            browser.findElement(By.id("join")).click();
            await().atMost(WAIT).until(() -> browser.findElement(By.id("chat-input")).isEnabled());
            await().atMost(WAIT).until(() -> Integer.parseInt(browser.findElement(By.id("stats-polls"))
                    .getAttribute("data-polls")) >= 2);
        }
    }
}
