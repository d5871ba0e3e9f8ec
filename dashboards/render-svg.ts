import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface CompiledSpec {
  vega: vega.Spec;
  /** Vega-Lite warnings; the tests hold every registered spec to none. */
  warnings: string[];
}

/** Compile a Vega-Lite spec, collecting warnings instead of printing them. */
export function compileSpec(spec: TopLevelSpec): CompiledSpec {
  const warnings: string[] = [];
  let level = 0;
  const logger: vega.LoggerInterface = {
    level(l?: number) {
      if (l === undefined) return level as never;
      level = l;
      return logger as never;
    },
    error(...args: readonly unknown[]) {
      throw new Error(args.map(String).join(' '));
    },
    warn(...args: readonly unknown[]) {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  } as vega.LoggerInterface;
  return { vega: compile(spec, { logger }).spec, warnings };
}

/**
 * Render a spec to a standalone SVG string in Node (no DOM, no canvas: vega's headless 'none'
 * renderer with its SVG string output).
 */
export async function renderSvg(spec: TopLevelSpec): Promise<{ svg: string; warnings: string[] }> {
  const compiled = compileSpec(spec);
  const view = new vega.View(vega.parse(compiled.vega), { renderer: 'none' });
  try {
    return { svg: await view.toSVG(), warnings: compiled.warnings };
  } finally {
    view.finalize();
  }
}
