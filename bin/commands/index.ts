import type { Command } from '../cli.js';

/**
 * Every CLI command, one module each under bin/commands/ exporting `command`. Add a command by adding
 * its import here (keep alphabetical order).
 */
export async function loadCommands(): Promise<Command[]> {
  const modules: { command: Command }[] = await Promise.all([
    import('./alerts.js'),
    import('./build.js'),
    import('./dashboards.js'),
    import('./demo.js'),
    import('./export.js'),
    import('./gate.js'),
    import('./ingest.js'),
    import('./keys.js'),
    import('./quarantine.js'),
    import('./report.js'),
    import('./serve.js'),
  ]);
  return modules.map((m) => m.command);
}
