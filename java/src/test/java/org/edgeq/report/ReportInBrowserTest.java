package org.edgeq.report;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opens report.html in a real browser, headless Chromium (Debian's chromium package; .ci/run installs it): every
 * image loads at its size, and a screenshot of the page is not blank. Skipped, saying why, where chromium is absent.
 * The files stay in target/report-browser/ (report, probe page, screenshot) for a person to look at.
 */
class ReportInBrowserTest {

    private static final Path OUT = Path.of("target", "report-browser").toAbsolutePath();

    /** Appended to a copy of the page: after load, writes each image's state into the DOM for --dump-dom. */
    private static final String PROBE = """
            <script>
            window.addEventListener('load', function () {
              var out = document.createElement('pre');
              out.id = 'edgeq-image-check';
              out.textContent = Array.prototype.map.call(document.images, function (i) {
                return 'IMG ' + i.getAttribute('src') + ' ' + i.complete + ' ' + i.naturalWidth + 'x' + i.naturalHeight;
              }).join('\\n') + '\\nIMAGES ' + document.images.length;
              document.body.appendChild(out);
            });
            </script>
            """;

    private static Optional<Path> chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private record Run(int code, String out) {
    }

    private static Run run(Path chromium, Path profile, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--hide-scrollbars", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(OUT, "chromium", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectOutput(log.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s: " + cmd);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Run(p.exitValue(), out);
    }

    @Test
    void everyImageLoadsInHeadlessChromiumAndTheScreenshotIsNotBlank() throws Exception {
        Optional<Path> chromium = chromium();
        Assumptions.assumeTrue(chromium.isPresent(), "chromium is not installed (Debian: apt-get install chromium; "
                + ".ci/run installs it): the report is not checked in a browser");
        deleteRecursively(OUT);
        Files.createDirectories(OUT);
        Path toy = ReportFixtures.writeToy(OUT.resolve("toy.csv"));
        StudyReport.Written w = StudyReport.writeFiles(OUT.resolve("report"), List.of(toy,
                ReportFixtures.seedFixture("quantization.csv"), ReportFixtures.seedFixture("pruning.csv")));
        Path profile = Files.createDirectories(OUT.resolve("profile"));

        String html = Files.readString(w.html());
        Path probe = w.html().resolveSibling("probe.html");
        Files.writeString(probe, html.replace("</body>", PROBE + "</body>"));
        Run dom = run(chromium.get(), profile, "--virtual-time-budget=10000", "--dump-dom", probe.toUri().toString());
        assertEquals(0, dom.code(), "chromium --dump-dom exit status; output: " + dom.out());
        Matcher count = Pattern.compile("IMAGES (\\d+)").matcher(dom.out());
        assertTrue(count.find(), "the probe ran and wrote its results into the DOM: " + dom.out());
        assertEquals(w.plots().size(), Integer.parseInt(count.group(1)), "one img per plot");
        Matcher img = Pattern.compile("IMG (\\S+) (\\S+) (\\d+)x(\\d+)").matcher(dom.out());
        int loaded = 0;
        while (img.find()) {
            String what = img.group(0);
            assertEquals("true", img.group(2), "complete: " + what);
            assertEquals(ChartPainter.WIDTH, Integer.parseInt(img.group(3)), "decoded width: " + what);
            assertEquals(ChartPainter.HEIGHT, Integer.parseInt(img.group(4)), "decoded height: " + what);
            loaded++;
        }
        assertEquals(w.plots().size(), loaded, "every image reported");

        Path shot = OUT.resolve("screenshot.png");
        Run screenshot = run(chromium.get(), profile, "--screenshot=" + shot, "--window-size=1100,1800",
                w.html().toUri().toString());
        assertEquals(0, screenshot.code(), "chromium --screenshot exit status");
        BufferedImage page = ImageIO.read(shot.toFile());
        assertNotNull(page, "the screenshot decodes");
        assertEquals(1100, page.getWidth());
        ReportImages.Ink ink = ReportImages.ink(page);
        assertTrue(ink.colours() > 50, "the screenshot has text, tables and plots: " + ink);
        assertTrue(ink.nonWhiteFraction() > 0.05, "the screenshot is not blank: " + ink);
        assertTrue(ink.colouredPixels() > 500, "the plots' curves show in the screenshot: " + ink);
        deleteRecursively(profile);
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }
}
