package dev.sparsimony.engine.explore;

import org.moeaframework.core.Solution;
import org.moeaframework.core.indicator.Hypervolume;
import org.moeaframework.core.population.NondominatedPopulation;
import org.moeaframework.problem.AbstractProblem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Pareto fronts of design points: non-dominated sorting for 2 and 3 objectives, each maximised or minimised, and
 * the hypervolume of a front (the MOEA Framework's implementation).
 */
public final class Pareto {
    private Pareto() {
    }

    /** True when a is at least as good as b in every objective and better in one. */
    public static boolean dominates(double[] a, double[] b, boolean[] maximise) {
        boolean better = false;
        for (int k = 0; k < a.length; k++) {
            double x = maximise[k] ? a[k] : -a[k];
            double y = maximise[k] ? b[k] : -b[k];
            if (x < y) {
                return false;
            }
            better |= x > y;
        }
        return better;
    }

    /**
     * Indices of the non-dominated rows (duplicates of a front point are all on the front), in ascending order of the
     * first objective's goodness. Two objectives: one sort and a scan (O(n log n)); three: a scan against the
     * front so far after sorting by the first objective (O(n * front)).
     */
    public static int[] front(double[][] values, boolean[] maximise) {
        int n = values.length;
        if (n == 0) {
            return new int[0];
        }
        int m = values[0].length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // best first in every objective, lexicographically, so that no later row dominates an earlier one
        Comparator<Integer> cmp = (a, b) -> {
            for (int k = 0; k < m; k++) {
                int c = Double.compare(maximise[k] ? values[b][k] : values[a][k], maximise[k] ? values[a][k]
                        : values[b][k]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
        Arrays.sort(order, cmp);
        List<Integer> front = new ArrayList<>();
        if (m == 2) {
            double best = Double.NaN;
            double[] last = null;
            for (int i : order) {
                double y = maximise[1] ? values[i][1] : -values[i][1];
                if (front.isEmpty() || y > best || Arrays.equals(values[i], last)) {
                    front.add(i);
                    if (front.size() == 1 || y > best) {
                        best = y;
                    }
                    last = values[i];
                }
            }
        } else {
            for (int i : order) {
                boolean dominated = false;
                for (int f : front) {
                    if (dominates(values[f], values[i], maximise)) {
                        dominated = true;
                        break;
                    }
                }
                if (!dominated) {
                    front.add(i);
                }
            }
        }
        return front.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Non-dominated sorting: the rank of every row (0 = the front, 1 = the front without rank 0, ...). */
    public static int[] ranks(double[][] values, boolean[] maximise) {
        int n = values.length;
        int[] rank = new int[n];
        Arrays.fill(rank, -1);
        List<Integer> left = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            left.add(i);
        }
        for (int r = 0; !left.isEmpty(); r++) {
            double[][] sub = new double[left.size()][];
            for (int i = 0; i < sub.length; i++) {
                sub[i] = values[left.get(i)];
            }
            int[] f = front(sub, maximise);
            List<Integer> next = new ArrayList<>(left);
            List<Integer> taken = new ArrayList<>();
            for (int i : f) {
                rank[left.get(i)] = r;
                taken.add(left.get(i));
            }
            next.removeAll(taken);
            left = next;
        }
        return rank;
    }

    /**
     * Hypervolume of the points dominated by a front and dominating the reference point, each objective scaled by
     * {@code scale} (so that the reference box has side 1 when {@code scale[k] = |reference[k] - ideal[k]|}).
     * Computed by the MOEA Framework's hypervolume indicator on the minimisation form of the objectives.
     */
    public static double hypervolume(double[][] front, boolean[] maximise, double[] reference, double[] scale) {
        int m = reference.length;
        List<double[]> pts = new ArrayList<>();
        for (double[] p : front) {
            double[] q = new double[m];
            boolean inside = true;
            for (int k = 0; k < m; k++) {
                // minimisation form, 0 at the reference's far side... distance below the reference, in scale units
                double d = maximise[k] ? (p[k] - reference[k]) : (reference[k] - p[k]);
                q[k] = 1 - d / scale[k];
                inside &= d > 0;
            }
            if (inside) {
                pts.add(q);
            }
        }
        if (pts.isEmpty()) {
            return 0;
        }
        AbstractProblem problem = new AbstractProblem(0, m) {
            @Override
            public void evaluate(Solution solution) {
            }

            @Override
            public Solution newSolution() {
                return new Solution(0, m);
            }
        };
        NondominatedPopulation pop = new NondominatedPopulation();
        for (double[] q : pts) {
            Solution s = new Solution(0, m);
            s.setObjectiveValues(q);
            pop.add(s);
        }
        double[] min = new double[m];
        double[] max = new double[m];
        Arrays.fill(max, 1.0);
        return new Hypervolume(problem, min, max).evaluate(pop);
    }
}
