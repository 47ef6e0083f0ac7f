package dev.sparsimony.engine.explore;

/**
 * Where a result comes from, so that any plotted point can be re-run exactly and two results compared: the model
 * and data (SHA-256 of their bytes), the engine version, the seed, how the knapsack was solved, the threads of the
 * sweep and the wall time of this evaluation.
 *
 * @param model      the model file or folder as given
 * @param modelSha256 SHA-256 over the model's files (a folder: every file in name order)
 * @param data       the data file as given
 * @param dataSha256 SHA-256 of the data file ("" when the data did not come from a file)
 * @param engine     Sparsimony's version
 * @param seed       the point's seed
 * @param solver     the knapsack's status, or null without knapsack selection
 * @param threads    workers of the sweep
 * @param wallMillis time to evaluate this point (0 when it came from a cache)
 */
public record Provenance(String model, String modelSha256, String data, String dataSha256, String engine, long seed,
                         String solver, int threads, double wallMillis) {
    /** Sparsimony's version: the jar's implementation version, or "development" when run from classes. */
    public static String engineVersion() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    public Provenance with(long s, String solverStatus, double millis) {
        return new Provenance(model, modelSha256, data, dataSha256, engine, s, solverStatus, threads, millis);
    }
}
