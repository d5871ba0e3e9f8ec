import type { Command } from '../cli.js';
import { stringOption } from '../cli.js';
import { RmaError } from '../../pipeline/errors.js';
import { report } from '../../pipeline/report.js';
import { openStore } from '../../pipeline/store.js';
import { loadServices } from '../../api/services.js';
import { activeAlerts, dashboardReports, loadDashboardData } from '../../dashboards/data-source.js';
import { dashboards } from '../../dashboards/registry.js';
import { writeStaticBundle } from '../../dashboards/static-bundle.js';

export const command: Command = {
  name: 'dashboards',
  summary: 'write every dashboard as a static HTML bundle with SVGs, openable offline',
  usage: 'rma-intel dashboards --out DIR [--db PATH] [--json]',
  options: { out: { type: 'string' } },
  async run(ctx) {
    const out = stringOption(ctx, 'out', true);
    if (ctx.positionals.length) throw new RmaError('RMA_ERR_USAGE', `unexpected argument '${ctx.positionals[0]}'; usage: ${command.usage}`);
    const store = await openStore(ctx.db, { readOnly: true });
    try {
      const data = await loadDashboardData(dashboardReports(store, report), dashboards);
      // Alerts come from the alerts module when this build has one; the bundle just has no banner otherwise.
      const { listAlerts } = await loadServices();
      const alerts = await activeAlerts(listAlerts, store);
      const result = await writeStaticBundle(out, { data, alerts });
      for (const d of result.dashboards) for (const w of d.warnings) ctx.log(`${d.name}: vega-lite warning: ${w}`);
      ctx.print(
        { out: result.out, dashboards: result.dashboards.map(({ name, page, interactive, svg }) => ({ name, page, interactive, svg })), files: result.files.length },
        () => `wrote ${result.dashboards.length} dashboards (${result.files.length} files) to ${result.out}\nopen ${result.out}/index.html`,
      );
      return 0;
    } finally {
      await store.close();
    }
  },
};
