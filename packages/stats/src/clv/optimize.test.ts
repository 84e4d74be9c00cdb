import { describe, expect, it } from 'vitest';
import { minimizeBfgs, minimizeWithRestarts, withNumericalGradient } from './optimize';

// Rosenbrock's function: a curved valley with its minimum 0 at (1, 1), the standard hard case for
// quasi-Newton methods (Nocedal & Wright 2006, exercise 2.1).
const rosenbrock = (x: Float64Array, g: Float64Array): number => {
  const a = x[0] as number;
  const b = x[1] as number;
  g[0] = -400 * a * (b - a * a) - 2 * (1 - a);
  g[1] = 200 * (b - a * a);
  return 100 * (b - a * a) ** 2 + (1 - a) ** 2;
};

describe('BFGS', () => {
  it('finds the minimum of Rosenbrock’s function from (−1.2, 1)', () => {
    const result = minimizeBfgs(rosenbrock, [-1.2, 1], { gradientTolerance: 1e-10 });
    expect(result.converged).toBe(true);
    expect(result.theta[0]).toBeCloseTo(1, 8);
    expect(result.theta[1]).toBeCloseTo(1, 8);
    expect(result.value).toBeLessThan(1e-16);
    expect(result.iterations).toBeLessThan(60);
  });

  it('solves a badly scaled quadratic exactly: x = A⁻¹b', () => {
    // f = ½xᵀAx − bᵀx with A = diag(1, 100, 1e4) plus coupling; minimiser solves Ax = b
    const A = [
      [4, 1, 0],
      [1, 100, 5],
      [0, 5, 1e4],
    ];
    const b = [1, 2, 3];
    const f = (x: Float64Array, g: Float64Array): number => {
      let value = 0;
      for (let i = 0; i < 3; i++) {
        let ax = 0;
        for (let j = 0; j < 3; j++) ax += (A[i]?.[j] as number) * (x[j] as number);
        g[i] = ax - (b[i] as number);
        value += 0.5 * (x[i] as number) * ax - (b[i] as number) * (x[i] as number);
      }
      return value;
    };
    const result = minimizeBfgs(f, [0, 0, 0], { gradientTolerance: 1e-12 });
    expect(result.converged).toBe(true);
    const g = new Float64Array(3);
    f(result.theta, g);
    for (const gi of g) expect(Math.abs(gi)).toBeLessThan(1e-12);
  });

  it('works with a central-difference gradient', () => {
    const value = (x: Float64Array): number => rosenbrock(x, new Float64Array(2));
    const result = minimizeBfgs(withNumericalGradient(value), [-1.2, 1], { gradientTolerance: 1e-7 });
    expect(result.converged).toBe(true);
    expect(result.theta[0]).toBeCloseTo(1, 5);
    expect(result.theta[1]).toBeCloseTo(1, 5);
  });

  it('backs off from an infeasible region reported as Infinity', () => {
    // (x − 3)² with a log barrier at 2 and Infinity beyond it: the optimum is interior, and the first
    // steps from −3 overshoot into the infeasible region
    let infeasible = 0;
    const f = (x: Float64Array, g: Float64Array): number => {
      const v = x[0] as number;
      if (v >= 2) {
        infeasible++;
        return Infinity;
      }
      g[0] = 2 * (v - 3) + 1 / (2 - v);
      return (v - 3) ** 2 - Math.log(2 - v);
    };
    const result = minimizeBfgs(f, [-3], { gradientTolerance: 1e-10 });
    expect(infeasible).toBeGreaterThan(0);
    expect(result.converged).toBe(true);
    // stationary point: 2(v − 3) = 1/(2 − v) → v = (5 − √3)/2
    expect(result.theta[0]).toBeCloseTo((5 - Math.sqrt(3)) / 2, 9);
  });

  it('reports failure instead of pretending to converge', () => {
    const result = minimizeBfgs(rosenbrock, [-1.2, 1], { maxIterations: 3 });
    expect(result.converged).toBe(false);
    expect(result.gradientNorm).toBeGreaterThan(1e-8);
  });

  it('tries further starts only while none has converged', () => {
    let calls = 0;
    const counted = (x: Float64Array, g: Float64Array): number => {
      calls++;
      return rosenbrock(x, g);
    };
    const result = minimizeWithRestarts(
      counted,
      [
        [-1.2, 1],
        [5, 5],
      ],
      { gradientTolerance: 1e-9 },
    );
    expect(result.converged).toBe(true);
    expect(result.evaluations).toBe(calls);
    const single = minimizeBfgs(rosenbrock, [-1.2, 1], { gradientTolerance: 1e-9 });
    expect(calls).toBe(single.evaluations);
  });
});
