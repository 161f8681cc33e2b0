package org.edgeq.report;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks a test makes of written images and pages: a PNG decodes, has its size and is not blank. */
final class ReportImages {
    private ReportImages() {
    }

    /** What is in an image: distinct colours, pixels not near-white, and clearly coloured (curve) pixels. */
    record Ink(int colours, double nonWhiteFraction, int colouredPixels) {
    }

    static Ink ink(BufferedImage img) {
        Set<Integer> colours = new HashSet<>();
        long nonWhite = 0;
        int coloured = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                int r = rgb >> 16 & 0xFF, g = rgb >> 8 & 0xFF, b = rgb & 0xFF;
                if (Math.min(r, Math.min(g, b)) < 235) nonWhite++;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) coloured++;
            }
        }
        return new Ink(colours.size(), nonWhite / (double) (img.getWidth() * img.getHeight()), coloured);
    }

    /** Decodes {@code png}, checks its size and that it shows a drawn chart (text, grid and coloured curves). */
    static BufferedImage assertChart(Path png, int width, int height) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, png + " does not decode as an image");
        assertEquals(width, img.getWidth(), png + " width");
        assertEquals(height, img.getHeight(), png + " height");
        Ink ink = ink(img);
        assertTrue(ink.colours() >= 16, png + ": only " + ink.colours() + " colours");
        assertTrue(ink.nonWhiteFraction() > 0.01, png + ": " + ink.nonWhiteFraction() + " of the pixels are not white");
        assertTrue(ink.colouredPixels() > 60, png + ": " + ink.colouredPixels() + " coloured pixels: no curves drawn?");
        return img;
    }

    private static final Pattern IMG = Pattern.compile("<img\\s+src=\"([^\"]+)\"");

    /** The src of every img in an HTML page, in order. */
    static List<String> imageSources(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = IMG.matcher(html);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** Every PNG under {@code dir}/plots. */
    static Set<String> plotFiles(Path dir) throws IOException {
        try (var s = Files.list(dir.resolve("plots"))) {
            Set<String> out = new HashSet<>();
            s.filter(p -> p.toString().endsWith(".png")).forEach(p -> out.add("plots/" + p.getFileName()));
            return out;
        }
    }
}
