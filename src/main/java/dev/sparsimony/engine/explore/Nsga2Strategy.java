package dev.sparsimony.engine.explore;

import dev.sparsimony.engine.model.ModelException;
import org.moeaframework.algorithm.NSGAII;
import org.moeaframework.core.PRNG;
import org.moeaframework.core.Solution;
import org.moeaframework.core.variable.RealVariable;
import org.moeaframework.problem.AbstractProblem;

import java.util.ArrayList;
import java.util.List;

/**
 * Multi-objective evolutionary search with NSGA-II from the MOEA Framework (Deb et al. 2002; decision 0005). Each
 * axis is one variable (a real in [0, values) read as the index of a value, so SBX and polynomial mutation work on
 * ordered axes); the objectives are the space's (accuracy maximised, resources minimised); a point that is
 * infeasible or failed violates the one constraint. Each generation is evaluated as one parallel batch through the
 * runner, so the search is deterministic for a seed whatever the number of threads.
 */
final class Nsga2Strategy implements SearchStrategy {
    static final int DEFAULT_EVALUATIONS = 200;
    /** The MOEA Framework draws from one global generator: one NSGA-II run at a time per process. */
    private static final Object PRNG_LOCK = new Object();

    @Override
    public String id() {
        return "nsga2";
    }

    @Override
    public void run(Context ctx) {
        SearchSpace s = ctx.space();
        if (s.axes().isEmpty()) {
            throw new ModelException("the search space has no axes: NSGA-II needs at least one");
        }
        int budget = ctx.evaluations() == null ? DEFAULT_EVALUATIONS : ctx.evaluations();
        if (budget < 1) {
            throw new ModelException("--evaluations must be positive, got " + budget);
        }
        ctx.plan(budget);
        List<String> objectives = s.objectives();
        synchronized (PRNG_LOCK) {
            PRNG.setSeed(ctx.seed());
            Problem problem = new Problem(s, objectives.size());
            Search algorithm = new Search(problem, ctx, objectives);
            algorithm.setInitialPopulationSize(Math.min(s.population(), budget));
            while (!ctx.cancelled() && algorithm.getNumberOfEvaluations() < budget) {
                algorithm.step();
            }
        }
    }

    /** The axes as MOEA variables; evaluation goes through {@link Search#evaluateAll}, never through here. */
    private static final class Problem extends AbstractProblem {
        private final SearchSpace space;

        Problem(SearchSpace space, int objectives) {
            super(space.axes().size(), objectives, 1);
            this.space = space;
        }

        @Override
        public void evaluate(Solution solution) {
            throw new IllegalStateException("NSGA-II evaluates whole generations through the sweep runner");
        }

        @Override
        public Solution newSolution() {
            Solution sol = new Solution(getNumberOfVariables(), getNumberOfObjectives(), getNumberOfConstraints());
            for (int a = 0; a < space.axes().size(); a++) {
                sol.setVariable(a, new RealVariable(0, space.axes().get(a).values().size()));
            }
            return sol;
        }

        int[] index(Solution sol) {
            double[] v = RealVariable.getReal(sol);
            int[] idx = new int[v.length];
            for (int a = 0; a < v.length; a++) {
                int n = space.axes().get(a).values().size();
                idx[a] = Math.max(0, Math.min(n - 1, (int) Math.floor(v[a])));
            }
            return idx;
        }
    }

    /** NSGA-II whose generations are evaluated as parallel batches by the sweep runner. */
    private static final class Search extends NSGAII {
        private final Problem problem;
        private final Context ctx;
        private final List<String> objectives;

        Search(Problem problem, Context ctx, List<String> objectives) {
            super(problem);
            this.problem = problem;
            this.ctx = ctx;
            this.objectives = objectives;
        }

        @Override
        public void evaluateAll(Iterable<Solution> solutions) {
            List<Solution> list = new ArrayList<>();
            solutions.forEach(list::add);
            List<Candidate> batch = new ArrayList<>();
            for (Solution sol : list) {
                int[] idx = problem.index(sol);
                batch.add(new Candidate(problem.space.point(idx), problem.space.choices(idx)));
            }
            List<PointResult> results = ctx.evaluate(batch);
            for (int i = 0; i < list.size(); i++) {
                assign(list.get(i), results.get(i));
            }
            numberOfEvaluations += list.size();
        }

        @Override
        public void evaluateAll(Solution[] solutions) {
            evaluateAll(java.util.Arrays.asList(solutions));
        }

        private void assign(Solution sol, PointResult r) {
            boolean ok = r != null && r.ok();
            for (int o = 0; o < objectives.size(); o++) {
                String name = objectives.get(o);
                double v;
                if (!ok) {
                    v = PointResult.maximised(name) ? 0 : WORST;
                } else {
                    v = r.objective(name);
                }
                sol.setObjectiveValue(o, PointResult.maximised(name) ? -v : v); // MOEA minimises
            }
            sol.setConstraintValue(0, ok && ctx.feasible(r) ? 0.0 : 1.0);
        }
    }

    /** The objective of a failed point: worse than any real design. */
    private static final double WORST = 1e15;
}
