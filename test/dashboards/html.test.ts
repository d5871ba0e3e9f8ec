import { describe, expect, test } from 'vitest';
import { alertBannerHtml } from '../../dashboards/alert-banner.js';
import { escapeHtml, jsonForScript } from '../../dashboards/escape.js';
import { dashboardPage, drilldownPage, serverLinks } from '../../dashboards/html.js';
import { dashboards, findDashboard } from '../../dashboards/registry.js';
import { batchQualitySpec } from '../../dashboards/specs/batch-quality.js';
import * as f from './fixtures.js';

describe('escaping', () => {
  test('escapeHtml turns every markup character into an entity', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(escapeHtml(null)).toBe('');
  });

  test('jsonForScript cannot close its script element and parses back to the same value', () => {
    const value = { a: '</script><script>alert(1)</script>', b: '<!-- x -->', c: 'a & b', d: 'line\u2028sep' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/<|>|&/);
    expect(JSON.parse(text)).toEqual(value);
  });

  test('a dashboard page with hostile data has exactly one non-src script element: the JSON spec', () => {
    const rows = [{ ...f.batchRows[0], batch_id: '</script><script>alert(1)</script>' }];
    const html = dashboardPage({ dashboard: findDashboard('batch-quality')!, spec: batchQualitySpec(rows), bannerHtml: '', nav: dashboards, links: serverLinks });
    expect(html.match(/<script/g)!.length).toBe(6);
    expect(html.match(/<\/script>/g)!.length).toBe(6);
    expect(html).toContain('data-drilldown="/dashboards/rmas" data-drilldown-kind="batch"');
  });

  test('the drill-down page shows only the known filters, escaped', () => {
    const html = drilldownPage({ filters: { batch_id: '"><b>x</b>', firmware_version: undefined }, nav: dashboards, links: serverLinks, api: '/api/rmas' });
    expect(html).toContain('batch_id = <code>&quot;&gt;&lt;b&gt;x&lt;/b&gt;</code>');
    expect(html).not.toContain('firmware_version =');
  });
});

describe('alert banner', () => {
  test('open and acknowledged alerts, worst first, with the number that tripped them; text escaped', () => {
    const html = alertBannerHtml(f.alertRows);
    expect(html).toContain('<strong>2 open alerts</strong>');
    const ids = [...html.matchAll(/data-alert-id="(\d+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['7', '9', '3']);
    expect(html).toContain('batch defect rate — batch TH35-2403: ci_low 2.22% (threshold 2.00%)');
    expect(html).toContain('relative_risk 4.6 (threshold 2)');
    expect(html).toContain('XP50 &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
  });

  test('no banner when nothing is open', () => {
    expect(alertBannerHtml(f.alertRows.map((a) => ({ ...a, state: 'resolved' })))).toBe('');
    expect(alertBannerHtml([])).toBe('');
  });
});
