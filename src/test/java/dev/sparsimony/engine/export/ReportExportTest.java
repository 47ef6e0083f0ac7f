package dev.sparsimony.engine.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.LocalBackend;
import dev.sparsimony.engine.explore.PointResult;
import dev.sparsimony.engine.explore.PointStore;
import dev.sparsimony.engine.explore.PruneSpec;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.quantize.QuantizerSpec;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report: a self-contained HTML page, its CSV, Pareto plots as well-formed SVG and readable PNG, the point and
 * its provenance; rendered by headless Chromium (Debian's chromium) when it is installed.
 */
class ReportExportTest {
    @TempDir
    Path dir;

    @Test
    void reportOfAPointWithoutASweep() throws Exception {
        ExportJob job = ExportFixtures.job(ExportFixtures.JET, ExportFixtures.jetPoint(), 1000);
        List<Path> files = Export.write(job, List.of("report"), dir);
        assertEquals(12, files.size(), files.toString());
        String html = Files.readString(dir.resolve("report.html"));
        // self-contained: no script, stylesheet, image or font from elsewhere
        for (String outside : List.of("<script", "<link", "<img", "src=", "@import", "url(", "http://", "https://")) {
            assertFalse(html.replace("http://www.w3.org/2000/svg", "").contains(outside), outside);
        }
        for (String layer : List.of("fc1", "fc2", "fc3", "output", "softmax")) {
            assertTrue(html.contains("<td>" + layer + "</td>"), layer);
        }
        assertTrue(html.contains(String.format(java.util.Locale.ROOT, "%.2f %%", 100 * job.result().quality()
                .value())), "accuracy");
        assertTrue(html.contains(String.format(java.util.Locale.ROOT, "%,d", job.estimate().lut())), "LUT total");
        assertTrue(html.contains(job.provenance().modelSha256()), "model hash");
        assertTrue(html.contains("&quot;reuseFactor&quot; : 4"), "the design point JSON");
        assertEquals(4, html.split("<svg").length - 1, "four inline plots");
        // CSV: a header, one row per layer of the estimate, a total
        List<String> csv = Files.readAllLines(dir.resolve("report.csv"));
        assertEquals(job.estimate().layers().size() + 2, csv.size());
        assertTrue(csv.get(0).startsWith("layer,type,granularity,target_sparsity,sparsity,weights,non_zeros,"));
        String fc2 = csv.stream().filter(l -> l.startsWith("fc2,")).findFirst().orElseThrow();
        assertTrue(fc2.contains(",\"ap_fixed<6,1>\",\"ap_fixed<16,6>\",\"ap_fixed<16,6>\",6,4,resource,"), fc2);
        assertTrue(csv.get(csv.size() - 1).startsWith("total,"));
        for (String plot : List.of("dsp", "bram", "lut", "latency")) {
            Path svg = dir.resolve("pareto-accuracy-" + plot + ".svg");
            DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile()); // well-formed XML
            BufferedImage png = ImageIO.read(dir.resolve("pareto-accuracy-" + plot + ".png").toFile());
            assertEquals(1280, png.getWidth());
            assertEquals(800, png.getHeight());
            assertTrue(colourfulPixels(png) > 100, plot + ": the chosen point is drawn in red");
        }
        assertTrue(Files.readString(dir.resolve("provenance.json")).contains("\"model_sha256\""));
    }

    @Test
    void reportOfASweepPlotsItsResultsAndFront() throws Exception {
        Path sweep = dir.resolve("sweep");
        Dataset d = ExportFixtures.data(ExportFixtures.JET, 500);
        try (LocalBackend b = new LocalBackend(ExportFixtures.load(ExportFixtures.JET), d, DeviceCatalogue.builtIn(),
                Export.provenance(ExportFixtures.JET, ExportFixtures.JET.resolve("validation.npz")));
             PointStore store = PointStore.append(sweep)) {
            long id = 0;
            for (double s : new double[] {0, 0.3, 0.6, 0.9}) {
                for (int bits : new int[] {4, 8, 12}) {
                    DesignPoint p = DesignPoint.of(PruneSpec.magnitude(s, false))
                            .withQuantizers(QuantizerSpec.fixed(bits, 2), QuantizerSpec.none(), QuantizerSpec.none());
                    PointResult r = b.evaluate(p);
                    store.add(r.withId(id++));
                }
            }
        }
        DesignPoint chosen = DesignPoint.of(PruneSpec.magnitude(0.6, false)).withName("chosen")
                .withQuantizers(QuantizerSpec.fixed(8, 2), QuantizerSpec.none(), QuantizerSpec.none());
        ExportJob job = Export.prepare(ExportFixtures.load(ExportFixtures.JET), d, chosen,
                Export.provenance(ExportFixtures.JET, null), ExportOptions.DEFAULTS.withSweep(sweep));
        assertEquals(12, job.sweep().size());
        Export.write(job, List.of("report"), dir.resolve("out"));
        String svg = Files.readString(dir.resolve("out/pareto-accuracy-dsp.svg"));
        assertTrue(svg.contains("sweep results ("), svg);
        assertTrue(svg.contains("Pareto front ("), svg);
        assertTrue(svg.contains("<polyline"), "the front is joined");
        assertTrue(Files.readString(dir.resolve("out/provenance.json")).contains("\"sweep_points\" : 12"));
    }

    @Test
    void theReportNeedsData() {
        ExportJob job = Export.prepare(ExportFixtures.load(ExportFixtures.JET), null, ExportFixtures.jetPoint(),
                Export.provenance(ExportFixtures.JET, null), ExportOptions.DEFAULTS);
        ModelException e = assertThrows(ModelException.class, () -> Export.write(job, List.of("onnx", "report"), dir));
        assertTrue(e.getMessage().startsWith("the report needs validation data"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("jet-mlp.onnx")), "nothing is written");
    }

    @Test
    void chromiumRendersTheReport() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        assumeTrue(Files.isExecutable(chromium), "Debian's chromium is not installed (apt-get install chromium);"
                + " the report was not rendered");
        ExportJob job = ExportFixtures.job(ExportFixtures.JET, ExportFixtures.jetPoint(), 1000);
        Export.write(job, List.of("report"), dir);
        Path shot = dir.resolve("report-screenshot.png");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--no-first-run", "--user-data-dir=" + dir.resolve("profile"),
                "--window-size=1400,1800", "--screenshot=" + shot, dir.resolve("report.html").toUri().toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        assertEquals(0, p.exitValue(), log);
        BufferedImage img = ImageIO.read(shot.toFile());
        assertEquals(1400, img.getWidth());
        // drawn, not blank: text, tables and the red chosen-point markers of the plots
        assertTrue(darkPixels(img) > 20_000, "the page has text and tables");
        assertTrue(colourfulPixels(img) > 100, "the plots are drawn");
        String keep = System.getProperty("sparsimony.reportShot");
        if (keep != null) {
            Files.copy(shot, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static int darkPixels(BufferedImage img) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int lum = ((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255);
                n += lum < 300 ? 1 : 0;
            }
        }
        return n;
    }

    /** Pixels of the chosen point's red (#d63b2f), give or take anti-aliasing. */
    private static int colourfulPixels(BufferedImage img) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 255;
                int g = (rgb >> 8) & 255;
                int b = rgb & 255;
                n += r > 180 && g < 100 && b < 100 ? 1 : 0;
            }
        }
        return n;
    }

}
