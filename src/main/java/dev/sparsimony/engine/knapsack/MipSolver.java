package dev.sparsimony.engine.knapsack;

import com.google.ortools.Loader;
import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPSolverParameters;
import com.google.ortools.linearsolver.MPVariable;
import dev.sparsimony.engine.model.ModelException;

/**
 * Exact multi-constraint 0-1 knapsack as a mixed-integer program: one binary variable per item, one
 * "&lt;= budget" row per resource, solved by SCIP through OR-Tools' {@code MPSolver} (real-valued costs are used
 * as they are, no scaling). The relative MIP gap is 0 (OR-Tools' default is 1e-4) and the primal feasibility
 * tolerance 1e-9, so an OPTIMAL status means optimal for {@link KnapsackProblem#feasible}. The greedy answer is
 * kept when a time-limited (FEASIBLE) answer is worse or the rounded answer misses a budget.
 * Replaces ojAlgo 57.1, whose branch and bound returned sub-optimal answers as OPTIMAL
 * (docs/decisions/0004-knapsack-solver.md).
 */
public final class MipSolver implements KnapsackSolver {
    /** System property overriding the default time limit (seconds). */
    public static final String TIME_LIMIT_PROPERTY = "sparsimony.knapsack.timeLimitSeconds";
    public static final double DEFAULT_TIME_LIMIT_SECONDS = 60;

    private static final Object LOAD_LOCK = new Object();
    private static volatile boolean loaded;

    private final long timeLimitMillis;

    /** Time limit from {@link #TIME_LIMIT_PROPERTY}, else 60 s. */
    public MipSolver() {
        this(defaultTimeLimitMillis());
    }

    public MipSolver(long timeLimitMillis) {
        if (timeLimitMillis <= 0) {
            throw new ModelException("knapsack MIP time limit must be positive, got " + timeLimitMillis + " ms");
        }
        this.timeLimitMillis = timeLimitMillis;
    }

    @Override
    public String id() {
        return "mip";
    }

    public long timeLimitMillis() {
        return timeLimitMillis;
    }

    private static long defaultTimeLimitMillis() {
        String s = System.getProperty(TIME_LIMIT_PROPERTY);
        if (s == null || s.isBlank()) {
            return Math.round(DEFAULT_TIME_LIMIT_SECONDS * 1000);
        }
        try {
            double sec = Double.parseDouble(s.trim());
            if (!(sec > 0) || Double.isInfinite(sec)) {
                throw new NumberFormatException();
            }
            return Math.max(1, Math.round(sec * 1000));
        } catch (NumberFormatException e) {
            throw new ModelException(TIME_LIMIT_PROPERTY + " must be a positive number of seconds, got '" + s + "'");
        }
    }

    /** Loads OR-Tools' native library once per JVM (extracts it to a temp folder on first use). */
    static void loadNatives() {
        if (loaded) {
            return;
        }
        synchronized (LOAD_LOCK) {
            if (loaded) {
                return;
            }
            try {
                Loader.loadNativeLibraries();
            } catch (Throwable t) { // UnsatisfiedLinkError, RuntimeException from the jar extraction
                String why = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().lines()
                        .findFirst().orElse("");
                throw new ModelException("cannot load the OR-Tools native library for the knapsack solver ("
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                        + "; only linux x86-64 is bundled): " + why);
            }
            loaded = true;
        }
    }

    @Override
    public boolean[] solve(KnapsackProblem p) {
        return solveReported(p).chosen();
    }

    /** Set while a solve runs, so that {@link #interrupt()} from another thread can stop it. */
    private volatile MPSolver running;
    private volatile boolean interrupted;

    /** Stops a running solve (another thread may call this); the best answer found so far is returned. */
    public void interrupt() {
        interrupted = true;
        MPSolver s = running;
        if (s != null) {
            s.interruptSolve();
        }
    }

    @Override
    public KnapsackResult solveReported(KnapsackProblem p) {
        int n = p.items();
        boolean[] greedy = new GreedySolver().solve(p);
        if (n == 0) {
            return new KnapsackResult(greedy, KnapsackResult.OPTIMAL);
        }
        loadNatives();
        MPSolver solver = MPSolver.createSolver("SCIP");
        if (solver == null) {
            throw new ModelException("OR-Tools was built without the SCIP solver needed by the knapsack solver");
        }
        try {
            solver.setTimeLimit(timeLimitMillis);
            // SCIP's own feasibility tolerance (1e-6 by default) would let real-valued budgets be overshot
            solver.setSolverSpecificParametersAsString("numerics/feastol = 1e-9\n");
            MPVariable[] x = new MPVariable[n];
            MPObjective objective = solver.objective();
            for (int i = 0; i < n; i++) {
                x[i] = solver.makeBoolVar("x" + i);
                objective.setCoefficient(x[i], p.values()[i]);
            }
            objective.setMaximization();
            for (int r = 0; r < p.resources(); r++) {
                double b = p.budgets()[r];
                MPConstraint row = solver.makeConstraint(-MPSolver.infinity(),
                        Double.isInfinite(b) ? MPSolver.infinity() : b, "budget" + r);
                for (int i = 0; i < n; i++) {
                    double c = p.costs()[r][i];
                    if (c != 0) {
                        row.setCoefficient(x[i], c);
                    }
                }
            }
            MPSolverParameters params = new MPSolverParameters();
            params.setDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 0.0);
            params.setDoubleParam(MPSolverParameters.DoubleParam.PRIMAL_TOLERANCE, 1e-9);
            if (interrupted) {
                return new KnapsackResult(greedy, KnapsackResult.GREEDY_FALLBACK);
            }
            running = solver;
            MPSolver.ResultStatus status;
            try {
                status = solver.solve(params);
            } finally {
                running = null;
            }
            if (status == MPSolver.ResultStatus.INFEASIBLE || status == MPSolver.ResultStatus.MODEL_INVALID
                    || status == MPSolver.ResultStatus.ABNORMAL) {
                // the empty set is always feasible (costs >= 0, budgets >= 0): this is a solver failure
                throw new ModelException("the multi-constraint knapsack MIP (SCIP) failed: " + status);
            }
            if (status != MPSolver.ResultStatus.OPTIMAL && status != MPSolver.ResultStatus.FEASIBLE) {
                // NOT_SOLVED: time limit (or interruption) before any incumbent
                return new KnapsackResult(greedy, KnapsackResult.GREEDY_FALLBACK);
            }
            boolean[] chosen = new boolean[n];
            for (int i = 0; i < n; i++) {
                chosen[i] = x[i].solutionValue() > 0.5;
            }
            if (!p.feasible(chosen) || p.value(greedy) > p.value(chosen)) {
                return new KnapsackResult(greedy, KnapsackResult.GREEDY_FALLBACK);
            }
            return new KnapsackResult(chosen, status == MPSolver.ResultStatus.OPTIMAL ? KnapsackResult.OPTIMAL
                    : interrupted ? "interrupted: best found" : KnapsackResult.TIME_LIMIT);
        } finally {
            solver.delete();
        }
    }
}
