package io.lanyard.testing;

import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's headless Chromium driven through the system chromedriver (Selenium Manager is not
 * consulted and downloads nothing), with JavaScript switched off the way a person switches it off,
 * so every page a test drives proves it needs no script.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    public static final Duration WAIT = Duration.ofSeconds(20);

    private final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** @param logName the directory under target/ for chromedriver's log */
    public static HeadlessChromium start(String logName) throws IOException {
        return start(logName, new String[0]);
    }

    /**
     * @param extraArguments more command-line switches, such as
     *                       {@code --ignore-certificate-errors-spki-list=} for one test server's key
     */
    public static HeadlessChromium start(String logName, String... extraArguments) throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("browser tests need Debian's Chromium at " + CHROMIUM + " and its driver at " + CHROMEDRIVER
                    + ": run bin/install-browser (as root) once, then run the tests again");
        }
        Path profile = Files.createTempDirectory("lanyard-chromium");
        Path logs = Files.createDirectories(Path.of("target", logName));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(logs.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile);
        options.addArguments(extraArguments);
        options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return new HeadlessChromium(driver, profile);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Forgets every cookie: the next page is a stranger's visit. */
    public void clearCookies() {
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
    }

    /** A wait whose failure says what the browser shows instead. */
    public WebDriverWait waitFor(String what) {
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        wait.withMessage(() -> what + "; the browser is at " + driver.getCurrentUrl() + " showing: "
                + driver.findElement(By.tagName("body")).getText());
        return wait;
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
