/**
 * Micro-benchmarks of the statistics core at production scale: Fisher's exact test and the exact
 * Poisson rate-ratio test on counts in the millions, and a Weibull fit to 10^5 failures plus 10^6
 * suspensions (grouped, as the models pass them, and as plain arrays). Each figure is the median
 * of a few repetitions, timed with performance.now(); one line per figure on stdout.
 */
import { performance } from 'node:perf_hooks';
import { fisherExact, poissonRateRatioTest, weibullCdf, weibullFit } from '../models/stats/index.js';
import { Rng } from '../data/generate/prng.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function time(label: string, reps: number, fn: () => unknown): void {
  fn(); // warm-up (JIT)
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  console.log(`stats: ${label}: median ${median(times).toFixed(2)} ms over ${reps} runs`);
}

export async function run(): Promise<void> {
  time('fisherExact [[1.2e6, 3.1e6], [1.25e6, 3.0e6]] two-sided (p underflows to 0)', 7, () =>
    fisherExact([[1_200_000, 3_100_000], [1_250_000, 3_000_000]]),
  );
  time('fisherExact [[1e6, 2e6], [1.001e6, 2e6]] two-sided (p ≈ 0.56, both tails summed)', 7, () =>
    fisherExact([[1_000_000, 2_000_000], [1_001_000, 2_000_000]]),
  );
  time('fisherExact [[4000, 2.5e6], [4100, 2.5e6]] two-sided (p ≈ 0.27)', 7, () =>
    fisherExact([[4000, 2_500_000], [4100, 2_500_000]]),
  );
  time('poissonRateRatioTest 1.2e6 / 3e9 vs 1.0e6 / 2.6e9 two-sided', 7, () =>
    poissonRateRatioTest(1_200_000, 3e9, 1_000_000, 2.6e9),
  );
  time('poissonRateRatioTest 1.0e6 / 2e9 vs 1.001e6 / 2e9 two-sided (p ≈ 0.48)', 7, () =>
    poissonRateRatioTest(1_000_000, 2e9, 1_001_000, 2e9),
  );
  time('poissonRateRatioTest 2.5e6 / 1e9 vs 2.5e6 / 1e9 two-sided (p = 1)', 7, () =>
    poissonRateRatioTest(2_500_000, 1e9, 2_500_000, 1e9),
  );

  // A field population of 1.1 million units with ages 1–1095 days (three years of shipments),
  // lifetimes Weibull(β = 1.4, η = 3000 days): about 10^5 failures and 10^6 suspensions.
  const prng = new Rng(42);
  const u = (): number => prng.next();
  const beta = 1.4;
  const eta = 3000;
  const failures: number[] = [];
  const suspensions: number[] = [];
  for (let i = 0; i < 1_100_000; i++) {
    const age = 1 + Math.floor(u() * 1095);
    const t = eta * Math.pow(-Math.log(1 - u()), 1 / beta);
    if (t <= age) failures.push(Math.max(1, Math.round(t)));
    else suspensions.push(age);
  }
  const group = (xs: number[]): { time: number; count: number }[] => {
    const m = new Map<number, number>();
    for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
    return [...m.entries()].map(([t, count]) => ({ time: t, count }));
  };
  const gf = group(failures);
  const gs = group(suspensions);
  time(`weibullFit ${failures.length} failures + ${suspensions.length} suspensions, grouped by day (${gf.length} + ${gs.length} groups)`, 7, () =>
    weibullFit({ failures: gf, suspensions: gs }),
  );
  time(`weibullFit ${failures.length} failures + ${suspensions.length} suspensions, plain number arrays`, 5, () => weibullFit({ failures, suspensions }));
  const fit = weibullFit({ failures: gf, suspensions: gs });
  console.log(
    `stats: weibullFit result (true β = 1.4, η = 3000): β = ${fit.beta.toFixed(4)} [${fit.betaLow.toFixed(4)}, ${fit.betaHigh.toFixed(4)}], ` +
      `η = ${fit.eta.toFixed(1)} (F(365 d) = ${weibullCdf(365, fit.beta, fit.eta).toFixed(5)})`,
  );
}
