package dev.sparsimony.engine.hardware.target;

import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.model.ModelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Finds a target by name: every device of the catalogue, plus the other targets (one registration line each). */
public final class Targets {
    /** Creates a target for a name it recognises. */
    public interface Factory {
        Optional<HardwareTarget> create(String name, DeviceCatalogue devices, int batch);

        /** Names to list in messages. */
        List<String> names(DeviceCatalogue devices);
    }

    private static final List<Factory> FACTORIES = List.of(
            factory(n -> true, (n, d, b) -> d.find(n).map(FpgaTarget::new), DeviceCatalogue::names),
            factory(n -> n.equals("eie"), (n, d, b) -> Optional.of(new EieTarget(EieTarget.Params.eie())),
                    d -> List.of("eie")),
            factory(n -> n.equals("a100") || n.equals("gpu") || n.equals("a100-2:4"),
                    (n, d, b) -> Optional.of(new SparseGpuTarget(SparseGpuTarget.Params.a100(b))),
                    d -> List.of("a100")));

    private Targets() {
    }

    private interface Creator {
        Optional<HardwareTarget> create(String name, DeviceCatalogue devices, int batch);
    }

    private static Factory factory(java.util.function.Predicate<String> accepts, Creator creator,
                                   java.util.function.Function<DeviceCatalogue, List<String>> names) {
        return new Factory() {
            @Override
            public Optional<HardwareTarget> create(String name, DeviceCatalogue devices, int batch) {
                String k = name.trim().toLowerCase(Locale.ROOT);
                return accepts.test(k) ? creator.create(k, devices, batch) : Optional.empty();
            }

            @Override
            public List<String> names(DeviceCatalogue devices) {
                return names.apply(devices);
            }
        };
    }

    public static HardwareTarget resolve(String name, DeviceCatalogue devices, int batch) {
        for (Factory f : FACTORIES) {
            Optional<HardwareTarget> t = f.create(name, devices, batch);
            if (t.isPresent()) {
                return t.get();
            }
        }
        throw new ModelException("unknown device or target '" + name + "'; known: "
                + String.join(", ", names(devices)));
    }

    public static List<String> names(DeviceCatalogue devices) {
        List<String> all = new ArrayList<>();
        FACTORIES.forEach(f -> all.addAll(f.names(devices)));
        return all;
    }
}
