import { writeFileSync } from 'node:fs';
import type { Command } from '../cli.js';
import { stringOption } from '../cli.js';
import { loadConfig } from '../../pipeline/config.js';
import { RmaError } from '../../pipeline/errors.js';
import { gate, gateExitCode, gateJunit } from '../../pipeline/gate.js';
import { openStore } from '../../pipeline/store.js';

export const command: Command = {
  name: 'gate',
  summary: 'firmware release gate: exit 0 go, 1 hold, 3 insufficient evidence',
  usage: 'rma-intel gate --candidate V [--baseline V[,V…]] [--sku S] [--as-of DATE] [--junit FILE] [--config FILE] [--db PATH] [--json]',
  options: {
    candidate: { type: 'string' },
    baseline: { type: 'string' },
    sku: { type: 'string' },
    'as-of': { type: 'string' },
    junit: { type: 'string' },
    config: { type: 'string' },
  },
  async run(ctx) {
    const candidate = stringOption(ctx, 'candidate', true);
    const config = loadConfig(stringOption(ctx, 'config'));
    const store = await openStore(ctx.db);
    try {
      const result = await gate(store, {
        candidate,
        baseline: stringOption(ctx, 'baseline'),
        sku: stringOption(ctx, 'sku'),
        asOf: stringOption(ctx, 'as-of'),
        config,
      });
      const junit = stringOption(ctx, 'junit');
      if (junit) {
        try {
          writeFileSync(junit, gateJunit(result));
        } catch (e) {
          throw new RmaError('RMA_ERR_INPUT', `cannot write JUnit report ${junit}: ${(e as Error).message}`, { file: junit });
        }
        ctx.log(`JUnit report written to ${junit}`);
      }
      ctx.print(result, () =>
        [
          `${result.verdict.toUpperCase().replace('_', ' ')}: ${result.candidate} vs ${result.baseline} on ${result.sku} (as of ${result.as_of})`,
          ...result.reasons.map((r) => `  - ${r}`),
        ].join('\n'),
      );
      return gateExitCode(result.verdict);
    } finally {
      await store.close();
    }
  },
};
