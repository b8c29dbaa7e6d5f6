package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.tools.search.SearchSession;
import io.mmsearch.tools.serve.SearchServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Drives the web page of {@code mmsearch serve} in a real headless Chromium: type a query, upload
 * an image, click a class facet. Needs {@code chromium} and {@code chromedriver} on the PATH
 * ({@code ./mmsearch test} installs Debian's {@code chromium} and {@code chromium-driver}); the
 * driver executable is given explicitly, so Selenium Manager never downloads anything.
 */
class WebUiBrowserTest {
  @TempDir static Path root;
  static SampleIndex sample;
  static SearchSession session;
  static SearchServer server;
  static WebDriver driver;

  @BeforeAll
  static void start() throws Exception {
    Optional<Path> chromedriver = onPath("chromedriver");
    Optional<Path> chromium = onPath("chromium").or(() -> onPath("chromium-browser"));
    Assumptions.assumeTrue(
        chromedriver.isPresent() && chromium.isPresent(),
        "chromium and chromedriver are not on the PATH; ./mmsearch test installs them");
    sample = SampleIndex.create(root.resolve("sample"));
    session = SearchSession.open(sample.index, sample.bundle);
    server = SearchServer.builder().session(session).index(sample.index).port(0).build();
    server.start();

    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver.get().toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.get().toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1200,800",
        "--user-data-dir=" + Files.createDirectories(root.resolve("chrome-profile")));
    driver = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (server != null) {
      server.stop();
    }
    if (session != null) {
      session.close();
    }
  }

  static Optional<Path> onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private WebDriverWait waitUpTo(int seconds) {
    return new WebDriverWait(driver, Duration.ofSeconds(seconds));
  }

  /** The ids of the result cards, read in one script call so a re-render cannot interleave. */
  private Set<String> resultIds() {
    Object ids =
        ((org.openqa.selenium.JavascriptExecutor) driver)
            .executeScript(
                "return Array.from(document.querySelectorAll('#results .hit'), e => e.dataset.id)");
    Set<String> out = new HashSet<>();
    for (Object id : (List<?>) ids) {
      out.add(String.valueOf(id));
    }
    return out;
  }

  /** Waits until the status line says results arrived and returns their ids. */
  private Set<String> awaitResults() {
    waitUpTo(20)
        .until(
            ExpectedConditions.textMatches(
                By.id("status"), java.util.regex.Pattern.compile("(Results|More like).*matches")));
    return resultIds();
  }

  private static void screenshot(String name) throws Exception {
    Path target = Path.of("target");
    Files.createDirectories(target);
    Files.write(target.resolve(name), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
  }

  private void open() {
    driver.get(server.uri().toString());
    waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("q")));
  }

  private void keywordMode() {
    driver.findElement(By.cssSelector("input[name=mode][value=keyword]")).click();
  }

  @Test
  void typingAQueryShowsResults() throws Exception {
    open();
    keywordMode();
    driver.findElement(By.id("q")).sendKeys("circle\n");
    assertEquals(Set.of("red-circle", "green-circle", "blue-circle"), awaitResults());
    List<WebElement> images = driver.findElements(By.cssSelector("#results .hit img"));
    waitUpTo(10)
        .until(
            d ->
                images.stream()
                    .allMatch(
                        img ->
                            Boolean.TRUE.equals(
                                ((org.openqa.selenium.JavascriptExecutor) d)
                                    .executeScript(
                                        "return arguments[0].complete && arguments[0].naturalWidth > 0",
                                        img))));
    screenshot("ui-text-query.png");
  }

  @Test
  void uploadingAnImageShowsSimilarImages() throws Exception {
    open();
    driver.findElement(By.id("file")).sendKeys(sample.images.resolve("blue-square.png").toString());
    awaitResults();
    WebElement first = driver.findElement(By.cssSelector("#results .hit"));
    assertEquals("blue-square", first.getDomAttribute("data-id"));
    assertTrue(driver.findElement(By.id("query-image")).isDisplayed());
    screenshot("ui-image-query.png");
  }

  @Test
  void clickingAFacetFiltersTheResults() throws Exception {
    open();
    keywordMode();
    driver.findElement(By.id("q")).sendKeys("circle\n");
    awaitResults();
    WebElement nature =
        waitUpTo(10)
            .until(
                ExpectedConditions.elementToBeClickable(
                    By.cssSelector(".facet[data-value='nature']")));
    nature.click();
    waitUpTo(20).until(d -> resultIds().equals(Set.of("green-circle", "blue-circle")));
    WebElement active = driver.findElement(By.cssSelector(".facet.active"));
    assertEquals("nature", active.getDomAttribute("data-value"));
    assertTrue(
        !driver.findElements(By.cssSelector(".facet[data-value='fruit']")).isEmpty(),
        "the other classes stay listed, so the filter can be switched");
    screenshot("ui-facet.png");
  }

  @Test
  void aFacetClickRunsOneSearchWhoseResponseAlsoCountsTheOtherClasses() throws Exception {
    open();
    keywordMode();
    driver.findElement(By.id("q")).sendKeys("circle\n");
    awaitResults();
    JavascriptExecutor js = (JavascriptExecutor) driver;
    js.executeScript("performance.clearResourceTimings()");
    waitUpTo(10)
        .until(
            ExpectedConditions.elementToBeClickable(By.cssSelector(".facet[data-value='nature']")))
        .click();
    waitUpTo(20).until(d -> resultIds().equals(Set.of("green-circle", "blue-circle")));
    waitUpTo(10)
        .until(
            d ->
                !driver
                    .findElements(By.cssSelector(".facet[data-value='fruit'] .count"))
                    .isEmpty());
    Object searches =
        js.executeScript(
            "return performance.getEntriesByType('resource')"
                + ".filter(e => e.name.includes('/api/search')).length");
    assertEquals(1L, searches, "one request per search: sideways counts come with the hits");
    assertEquals(
        "1",
        driver.findElement(By.cssSelector(".facet[data-value='fruit'] .count")).getText(),
        "the other class keeps its unfiltered count");
  }

  @Test
  void clickingAResultSearchesForMoreLikeIt() throws Exception {
    open();
    keywordMode();
    driver.findElement(By.id("q")).sendKeys("square\n");
    awaitResults();
    driver.findElement(By.cssSelector("#results .hit[data-id='red-square']")).click();
    waitUpTo(20)
        .until(
            ExpectedConditions.textMatches(
                By.id("status"), java.util.regex.Pattern.compile("More like red-square")));
    assertTrue(!resultIds().contains("red-square"));
    assertTrue(!resultIds().isEmpty());
  }

  @Test
  void moreAndLessLikeThisRefineTheQueryAndShowTheExamplesInUse() throws Exception {
    open();
    driver.findElement(By.id("q")).sendKeys("square\n"); // the default mode: text and keywords
    Set<String> before = awaitResults();
    assertTrue(before.contains("blue-square"), before.toString());
    driver.findElement(By.cssSelector("#results .hit[data-id='blue-square'] button.less")).click();
    waitUpTo(20)
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#examples .example.less[data-id='blue-square']")));
    waitUpTo(20).until(d -> !resultIds().contains("blue-square") && !resultIds().isEmpty());
    assertEquals("square", driver.findElement(By.id("q")).getAttribute("value"), "query kept");

    driver.findElement(By.cssSelector("#results .hit[data-id='red-square'] button.more")).click();
    waitUpTo(20)
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#examples .example.more[data-id='red-square']")));
    waitUpTo(20).until(d -> !resultIds().contains("red-square"));
    screenshot("ui-feedback.png");

    driver
        .findElement(By.cssSelector("#examples .example[data-id='blue-square'] button.remove"))
        .click();
    waitUpTo(20)
        .until(
            ExpectedConditions.invisibilityOfElementLocated(
                By.cssSelector("#examples .example[data-id='blue-square']")));
    waitUpTo(20).until(d -> resultIds().contains("blue-square"));
  }

  /**
   * With a shadow model the page offers a choice of model, and every answer says which model gave
   * it; after {@code POST /api/admin/swap} the same search is answered by the other model.
   */
  @Test
  void thePageShowsWhichModelAnsweredAndOffersTheShadow() throws Exception {
    SampleIndex.Reindexed reindexed = sample.reindexWithAnotherModel(root.resolve("shadow"));
    try (SearchSession shadow = SearchSession.open(reindexed.index(), reindexed.bundle())) {
      SearchServer withShadow =
          SearchServer.builder()
              .session(session)
              .index(sample.index)
              .shadow(shadow, reindexed.index())
              .port(0)
              .build();
      withShadow.start();
      try {
        String oldModel = session.modelIdentity().fingerprint().substring(0, 12);
        String newModel = shadow.modelIdentity().fingerprint().substring(0, 12);
        driver.get(withShadow.uri().toString());
        waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("model")));
        driver.findElement(By.id("q")).sendKeys("red circle\n");
        awaitAnsweredBy(oldModel + ", live");

        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("model")))
            .selectByValue(newModel);
        awaitAnsweredBy(newModel + ", shadow");
        assertTrue(!resultIds().isEmpty());
        screenshot("ui-shadow-model.png");

        java.net.http.HttpResponse<String> swap =
            java.net.http.HttpClient.newHttpClient()
                .send(
                    java.net.http.HttpRequest.newBuilder(
                            withShadow.uri().resolve("/api/admin/swap"))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, swap.statusCode(), swap.body());
        driver.get(withShadow.uri() + "?q=red+circle");
        awaitAnsweredBy(newModel + ", live");
      } finally {
        withShadow.stop();
      }
    }
  }

  private void awaitAnsweredBy(String text) {
    waitUpTo(20)
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("answered-by"), text));
  }
}
