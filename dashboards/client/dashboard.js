/* Embeds the page's Vega-Lite spec and wires the drill-down. A classic script (no modules) so the
   static bundle works from file://; no eval: expressions run in vega-interpreter (CSP-safe). */
(function () {
  'use strict';
  var target = document.getElementById('chart');
  var specElement = document.getElementById('rma-spec');
  var errorElement = document.getElementById('chart-error');
  if (!target || !specElement) return;

  function fail(message) {
    document.body.setAttribute('data-rendered', 'error');
    if (errorElement) {
      errorElement.textContent = 'The chart could not be drawn: ' + message;
      errorElement.hidden = false;
    }
    console.error('rma-intel dashboard:', message);
  }

  /** The RMA filters a clicked mark stands for, or null when it is not a batch or a heatmap cell. */
  function drilldownParams(kind, datum) {
    if (!datum) return null;
    var params = new URLSearchParams();
    if (kind === 'batch' && typeof datum.batch_id === 'string') {
      params.set('batch_id', datum.batch_id);
      return params;
    }
    if (kind === 'firmware' && typeof datum.firmware_version === 'string' && typeof datum.failure_code === 'string') {
      params.set('firmware_version', datum.firmware_version);
      params.set('failure_code', datum.failure_code);
      return params;
    }
    return null;
  }

  var spec;
  try {
    spec = JSON.parse(specElement.textContent || '');
  } catch (e) {
    fail('the embedded spec is not valid JSON');
    return;
  }

  var options = {
    renderer: 'svg',
    actions: false,
    // Parse expressions to an AST and evaluate them with the interpreter instead of new Function().
    ast: true,
    expr: vega.expressionInterpreter,
    // vega-embed and vega-tooltip would inject <style> elements; their rules live in dashboards.css.
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true },
  };

  vegaEmbed(target, spec, options).then(function (result) {
    var drill = target.getAttribute('data-drilldown');
    var kind = target.getAttribute('data-drilldown-kind');
    if (drill && kind) {
      result.view.addEventListener('click', function (event, item) {
        var params = drilldownParams(kind, item && item.datum);
        if (params) window.location.assign(drill + '?' + params.toString());
      });
    }
    document.body.setAttribute('data-rendered', 'true');
  }).catch(function (e) {
    fail(e && e.message ? e.message : String(e));
  });
})();
