package dev.sparsimony.bench;

import dev.sparsimony.app.MainViewModel;
import dev.sparsimony.app.explore.ParetoChart;
import dev.sparsimony.app.model.EngineGateway;
import dev.sparsimony.app.model.RecentFiles;
import dev.sparsimony.app.dialogs.DialogService;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.PointResult;
import dev.sparsimony.engine.explore.Provenance;
import dev.sparsimony.engine.explore.PruneSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * The window's response times (a benchmark, not a test): run headless on Monocle with
 * <pre>
 * java -Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw -Dtestfx.headless=true \
 *      -cp target/test-classes:target/classes:CP dev.sparsimony.bench.GuiBench [points]
 * </pre>
 * <ol>
 *   <li>plot update with N results (default 100,000): appending them in batches of 1,000 to an accuracy-DSP plot and
 *       laying the plot out (ChartFX draws in its layout pass), per batch and at the end;</li>
 *   <li>slider change to every view updated on jet-mlp (quality, layer views, hardware estimate), p50 and p95;</li>
 *   <li>a finished point to its appearance on the plot, during a real sweep on jet-mlp.</li>
 * </ol>
 */
public final class GuiBench {
    private GuiBench() {
    }

    public static void main(String[] args) throws Exception {
        int points = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        CountDownLatch up = new CountDownLatch(1);
        Platform.startup(up::countDown);
        up.await();
        plotUpdate(points);
        sliderToViews();
        System.exit(0);
    }

    static <T> T fx(java.util.concurrent.Callable<T> c) throws Exception {
        AtomicReference<T> r = new AtomicReference<>();
        AtomicReference<Exception> e = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Platform.runLater(() -> {
            try {
                r.set(c.call());
            } catch (Exception x) {
                e.set(x);
            } finally {
                done.countDown();
            }
        });
        if (!done.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("JavaFX thread timed out");
        }
        if (e.get() != null) {
            throw e.get();
        }
        return r.get();
    }

    static void plotUpdate(int total) throws Exception {
        Random rnd = new Random(1);
        Provenance prov = new Provenance("m", "", "d", "", "bench", 0, null, 2, 1);
        DesignPoint p = DesignPoint.of(PruneSpec.none());
        List<PointResult> all = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            double dsp = rnd.nextDouble() * 5000;
            double acc = 0.75 - 0.4 * Math.exp(-dsp / 600) + 0.02 * rnd.nextGaussian();
            all.add(new PointResult(i, "k" + i, "ok", null, p, Map.of(), rnd.nextDouble() < 0.9, "accuracy",
                    acc, (long) dsp, 4, 40_000, 20_000, 20, 1, 100, 1000, 0.5, 1, false, List.of(), List.of(), prov));
        }
        ParetoChart chart = fx(() -> {
            ParetoChart c = new ParetoChart("dsp", "accuracy");
            Stage s = new Stage();
            s.setScene(new Scene(c, 700, 480));
            s.show();
            c.setCapacity(6840, "xcvu9p");
            return c;
        });
        Scene scene = fx(() -> chart.getScene());
        double[] ms = new double[total / 1000];
        for (int b = 0; b < ms.length; b++) {
            List<PointResult> batch = all.subList(b * 1000, (b + 1) * 1000);
            // the update: appending the batch, then the next pulse's layout pass, in which ChartFX draws
            long[] pre = new long[1];
            CountDownLatch drawn = new CountDownLatch(1);
            Runnable before = () -> pre[0] = System.nanoTime();
            double[] render = new double[1];
            Runnable after = () -> {
                render[0] = (System.nanoTime() - pre[0]) / 1e6;
                drawn.countDown();
            };
            double addMs = fx(() -> {
                long t0 = System.nanoTime();
                chart.add(batch);
                chart.chart().requestLayout();
                scene.addPreLayoutPulseListener(before);
                scene.addPostLayoutPulseListener(after);
                return (System.nanoTime() - t0) / 1e6;
            });
            drawn.await(10, TimeUnit.SECONDS);
            fx(() -> {
                scene.removePreLayoutPulseListener(before);
                scene.removePostLayoutPulseListener(after);
                return null;
            });
            ms[b] = addMs + render[0];
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        int drawnPoints = fx(chart::drawnPoints);
        System.out.printf("plot update (append a batch + the pulse that draws it), %,d results in batches of 1,000:"
                        + " p50 %.1f ms, p95 %.1f ms, max %.1f ms; last batch (at %,d) %.1f ms; %,d points drawn after"
                        + " reduction%n", total, sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.95)],
                sorted[sorted.length - 1], total, ms[ms.length - 1], drawnPoints);
    }

    static void sliderToViews() throws Exception {
        Path jet = Path.of("sample-models", "jet-mlp");
        MainViewModel vm = fx(() -> new MainViewModel(EngineGateway.defaultGateway(), new DialogService() {
            @Override
            public void showError(String title, String message) {
                System.err.println(title + ": " + message);
            }

            @Override
            public boolean confirm(String title, String question) {
                return true;
            }

            @Override
            public java.util.Optional<Path> chooseModel(Path initial) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<Path> chooseModelFolder(Path initial) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<Path> chooseData(Path initial) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<Path> chooseDesignPointTarget(Path initial, String name) {
                return java.util.Optional.empty();
            }
        }, new RecentFiles(null)));
        fx(() -> {
            vm.openModel(jet);
            return null;
        });
        waitFor(() -> vm.sessionProperty().get() != null && vm.hardware().estimateProperty().get() != null);
        Thread.sleep(3000); // the quality curve's own sweep finishes first
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            double target = 5 + (i * 37 % 90);
            long t0 = System.nanoTime();
            var before = fx(() -> vm.hardware().estimateProperty().get());
            fx(() -> {
                vm.prune().sparsityPercentProperty().set(target);
                return null;
            });
            waitFor(() -> !vm.prune().computingProperty().get() && vm.prune().computedSparsityProperty().get()
                    == target / 100 && vm.detailProperty().get() != null && !vm.hardware().computingProperty().get()
                    && vm.hardware().estimateProperty().get() != before);
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        ms.sort(null);
        // a finished point to its appearance on the plots: a grid sweep of the window (the plots are in the window's
        // Explore view when it exists; here the view-model's batch listeners stand in for them)
        fx(() -> {
            var ex = vm.explore();
            ParetoChart c = new ParetoChart("dsp", "accuracy");
            ex.onBatch(c::add);
            ex.axes().setAll(new dev.sparsimony.app.explore.ExploreViewModel.AxisEntry("prune.sparsity", "0:0.9:0.05"),
                    new dev.sparsimony.app.explore.ExploreViewModel.AxisEntry("weights", "4, 6, 8, 10, 12, 16"));
            ex.start();
            return null;
        });
        waitFor(() -> vm.explore().runningProperty().get());
        waitFor(() -> !vm.explore().runningProperty().get());
        List<Double> lat = new ArrayList<>(fx(() -> vm.explore().plotLatencies()));
        lat.sort(null);
        if (!lat.isEmpty()) {
            System.out.printf("finished point to the plot (a %d-point sweep of jet-mlp): p50 %.0f ms, p95 %.0f ms, max"
                    + " %.0f ms (the view takes results in batches every 100 ms)%n", lat.size(), lat.get(lat.size() / 2),
                    lat.get((int) (lat.size() * 0.95)), lat.get(lat.size() - 1));
        }
        System.out.printf("slider change to every view updated (jet-mlp, 10,000 samples): p50 %.1f ms, p95 %.1f ms,"
                + " max %.1f ms over %d changes%n", ms.get(ms.size() / 2), ms.get((int) (ms.size() * 0.95)),
                ms.get(ms.size() - 1), ms.size());
        fx(() -> {
            vm.shutdown();
            return null;
        });
    }

    static void waitFor(java.util.concurrent.Callable<Boolean> c) throws Exception {
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end) {
            if (fx(c)) {
                return;
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("timed out");
    }
}
