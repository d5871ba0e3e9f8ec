import type { TopLevelSpec } from 'vega-lite';
import { themeConfig } from '../theme.js';

/** The schema URL vega-lite 6 writes; only an identifier, never fetched. */
export const vegaLiteSchema = 'https://vega.github.io/schema/vega-lite/v6.json';

type Common = Pick<TopLevelSpec, '$schema' | 'title' | 'config' | 'background'>;

/** The fields every dashboard spec starts with: schema, title with an explaining subtitle, theme. */
export function header(text: string, subtitle: string | string[]): Common {
  return { $schema: vegaLiteSchema, title: { text, subtitle }, config: themeConfig };
}
