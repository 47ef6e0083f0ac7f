package dev.sparsimony.app;

import static dev.sparsimony.app.FxTestSupport.onFx;
import static dev.sparsimony.app.FxTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.app.hardware.HardwareViewModel;
import dev.sparsimony.app.model.EngineGateway;
import dev.sparsimony.app.model.RecentFiles;
import dev.sparsimony.engine.hardware.FpgaEstimate;
import dev.sparsimony.engine.hardware.Strategy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hardware view-model without a window, on the jet-mlp sample and the real engine. */
class HardwareViewModelTest {
    @BeforeAll
    static void toolkit() throws Exception {
        FxTestSupport.startToolkit();
    }

    private static FpgaEstimate settled(MainViewModel vm) throws Exception {
        waitUntil(() -> !vm.prune().computingProperty().get() && !vm.hardware().computingProperty().get()
                && (vm.hardware().estimateProperty().get() != null || !vm.hardware().errorProperty().get().isEmpty()));
        return onFx(() -> vm.hardware().estimateProperty().get());
    }

    @Test
    void sliderDeviceAndSettingsRecomputeTheEstimate() throws Exception {
        Path jet = Path.of("sample-models", "jet-mlp");
        Assumptions.assumeTrue(Files.isDirectory(jet), "sample-models/jet-mlp is not in this checkout");
        RecordingDialogs dialogs = new RecordingDialogs();
        MainViewModel vm = onFx(() -> new MainViewModel(EngineGateway.defaultGateway(), dialogs,
                new RecentFiles(null)));
        onFx(() -> vm.openModel(jet));
        waitUntil(() -> vm.sessionProperty().get() != null || !dialogs.errors.isEmpty());
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
        HardwareViewModel hw = vm.hardware();
        waitUntil(() -> hw.deviceProperty().get() != null);
        assertEquals(HardwareViewModel.DEFAULT_DEVICE, onFx(() -> hw.deviceProperty().get()));

        // 0 % vs. 50 % unstructured at RF 1, Latency: pruned weights free their multipliers
        FpgaEstimate dense = settled(vm);
        assertEquals(1, dense.layers().stream().filter(l -> l.name().equals("fc1")).findFirst().orElseThrow()
                .reuseFactor());
        onFx(() -> vm.prune().sparsityPercentProperty().set(50));
        waitUntil(() -> vm.prune().computedSparsityProperty().get() == 0.5);
        FpgaEstimate half = settled(vm);
        assertTrue(half.dsp() < dense.dsp(), half.dsp() + " DSP at 50 % vs. " + dense.dsp() + " at 0 %");
        assertEquals(String.format(java.util.Locale.ROOT, "%,d", half.dsp()),
                onFx(() -> hw.dspTextProperty().get()));

        // another device: same design, other utilisation
        String other = onFx(() -> hw.devices().stream().map(d -> d.name())
                .filter(n -> !n.equals(HardwareViewModel.DEFAULT_DEVICE)).findFirst().orElseThrow());
        onFx(() -> hw.deviceProperty().set(other));
        waitUntil(() -> hw.estimateProperty().get() != null
                && hw.estimateProperty().get().device().name().equals(other));
        FpgaEstimate onOther = settled(vm);
        assertNotEquals(half.dspPercent(), onOther.dspPercent());

        // a larger reuse factor shares multipliers: fewer DSPs
        onFx(() -> hw.reuseFactorProperty().set(4));
        waitUntil(() -> !hw.computingProperty().get() && hw.estimateProperty().get() != null
                && hw.estimateProperty().get().dsp() < onOther.dsp());

        // an invalid reuse factor in strict mode is an inline error, not a dialog
        onFx(() -> {
            hw.strategyProperty().set(Strategy.RESOURCE);
            hw.strictReuseProperty().set(true);
            hw.reuseFactorProperty().set(7);
        });
        waitUntil(() -> !hw.errorProperty().get().isEmpty());
        assertTrue(onFx(() -> hw.errorProperty().get()).contains("reuse factor"),
                onFx(() -> hw.errorProperty().get()));
        assertNull(onFx(() -> hw.estimateProperty().get()));
        assertEquals("–", onFx(() -> hw.dspTextProperty().get()));
        // a bad clock too
        onFx(() -> {
            hw.strictReuseProperty().set(false);
            hw.clockProperty().set("fast");
        });
        waitUntil(() -> hw.errorProperty().get().contains("clock"));
        onFx(() -> hw.clockProperty().set("250"));
        FpgaEstimate at250 = settled(vm);
        assertEquals(250, at250.clockMhz(), 1e-9);

        // one reuse factor: the panel's RF is the point's, and the dsp-pattern structures follow it
        onFx(() -> {
            hw.strategyProperty().set(Strategy.RESOURCE);
            hw.reuseFactorProperty().set(8);
            vm.prune().settings().granularityProperty().set("dsp-pattern");
        });
        waitUntil(() -> !vm.prune().computingProperty().get() && vm.prune().designProperty().get() != null
                && vm.prune().designProperty().get().point().hardware().reuseFactor() == 8
                && vm.prune().structuresProperty().get().containsKey("fc1"));
        var fc1 = onFx(() -> vm.prune().structuresProperty().get().get("fc1"));
        assertEquals(16 * 64 / 8, fc1.count(), "one structure per multiplier at RF 8");
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
        vm.shutdown();
    }
}
