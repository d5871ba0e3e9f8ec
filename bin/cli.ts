import { parseArgs, type ParseArgsConfig } from 'node:util';
import { RmaError } from '../pipeline/errors.js';
import { defaultDbPath } from '../pipeline/paths.js';

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** What every command receives: parsed options, positionals, and output helpers that respect --json. */
export interface CommandContext {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  db: string;
  json: boolean;
  /** Machine-readable result on stdout (JSON with --json, else the text form). */
  print(result: unknown, text?: () => string): void;
  /** Progress and logs: stderr, never stdout. */
  log(message: string): void;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options?: OptionSpec;
  /** Returns the exit code (0 success, 1 negative verdict, 3 insufficient evidence). */
  run(ctx: CommandContext): Promise<number>;
}

export const commonOptions: OptionSpec = {
  db: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

/** Parse argv for one command; unknown options are a usage error (exit 2), not silently ignored. */
export function parseCommandArgs(command: Command, argv: string[]): CommandContext {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...commonOptions, ...command.options }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new RmaError('RMA_ERR_USAGE', `${(e as Error).message}\nusage: ${command.usage}`);
  }
  const values = parsed.values as CommandContext['values'];
  const json = values.json === true;
  return {
    values,
    positionals: parsed.positionals,
    db: typeof values.db === 'string' ? values.db : defaultDbPath(),
    json,
    print(result, text) {
      process.stdout.write(json || !text ? `${JSON.stringify(result, jsonReplacer, json ? 0 : 2)}\n` : `${text()}\n`);
    },
    log(message) {
      process.stderr.write(`${message}\n`);
    },
  };
}

/** BIGINT-safe JSON. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? (Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()) : value;
}

/** A string option, or a usage error naming it when it is required and missing. */
export function stringOption(ctx: CommandContext, name: string, required: true): string;
export function stringOption(ctx: CommandContext, name: string, required?: false): string | undefined;
export function stringOption(ctx: CommandContext, name: string, required = false): string | undefined {
  const v = ctx.values[name];
  if (typeof v === 'string' && v !== '') return v;
  if (required) throw new RmaError('RMA_ERR_USAGE', `--${name} is required`);
  return undefined;
}
