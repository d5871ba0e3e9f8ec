#!/usr/bin/env node
import { RmaError } from '../pipeline/errors.js';
import { jsonReplacer, parseCommandArgs } from './cli.js';
import { loadCommands } from './commands/index.js';

async function main(argv: string[]): Promise<number> {
  const commands = await loadCommands();
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const width = Math.max(...commands.map((c) => c.name.length));
    process.stdout.write(`rma-intel — RMA analytics and failure-code intelligence\n\nusage: rma-intel <command> [options]   (every command takes --db PATH and --json)\n\n${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    const { readFileSync } = await import('node:fs');
    const { assetPath } = await import('../pipeline/paths.js');
    process.stdout.write(`${JSON.parse(readFileSync(assetPath('package.json'), 'utf8')).version}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) throw new RmaError('RMA_ERR_USAGE', `unknown command '${name}'; run rma-intel --help`);
  const ctx = parseCommandArgs(command, rest);
  if (ctx.values.help) {
    process.stdout.write(`usage: ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
  return command.run(ctx);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const err = e instanceof RmaError ? e : new RmaError('RMA_ERR_INTERNAL', e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.stderr.write(`rma-intel: ${err.message}\n`);
    if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(err.toJSON(), jsonReplacer)}\n`);
    process.exitCode = err.exitCode;
  },
);
