package dev.sparsimony.engine.io;

/**
 * The list of built-in importers: adding a format is one class plus one line here.
 * Kept apart from {@link ModelFiles} so that registration order (most specific first) is visible in one place.
 */
final class Registrations {
    private static boolean done;

    private Registrations() {
    }

    static synchronized void ensure() {
        if (done) {
            return;
        }
        done = true;
        // Registered importers (most specific first):
        ModelFiles.register(new dev.sparsimony.engine.io.npyjson.NpyJsonImporter());
        ModelFiles.register(new dev.sparsimony.engine.io.onnx.OnnxImporter());
        ModelFiles.register(new dev.sparsimony.engine.io.keras.KerasImporter());
    }
}
