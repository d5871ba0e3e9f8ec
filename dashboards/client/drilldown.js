/* Fills the drill-down table from /api/rmas with the filters in the page URL. Values are inserted
   with textContent only, so nothing from the data is ever parsed as HTML. */
(function () {
  'use strict';
  var table = document.getElementById('rmas');
  var status = document.getElementById('rmas-status');
  var more = document.getElementById('rmas-more');
  if (!table || !status) return;

  var filters = ['batch_id', 'firmware_version', 'failure_code'];
  var columns = ['rma_number', 'opened_at', 'stage', 'serial_number', 'sku', 'batch_id', 'firmware_version', 'return_reason',
    'failure_code_stated', 'failure_code_verified', 'inspection_outcome', 'resolution', 'dealer_id', 'country', 'source'];
  var api = table.getAttribute('data-api') || '/api/rmas';
  var here = new URLSearchParams(window.location.search);
  var shown = 0;

  var headRow = table.querySelector('thead tr');
  columns.forEach(function (c) {
    var th = document.createElement('th');
    th.textContent = c.replace(/_/g, ' ');
    headRow.appendChild(th);
  });

  function cell(value) {
    var td = document.createElement('td');
    td.textContent = value === null || value === undefined ? '' : String(value);
    return td;
  }

  /** /api/rmas answers a JSON array; the next page's cursor is in the X-Next-Cursor header. */
  function pageOf(body, headers) {
    var rows = Array.isArray(body) ? body : body.rows || body.items || [];
    return { rows: rows, next: headers.get('x-next-cursor') || null };
  }

  function load(cursor) {
    var params = new URLSearchParams();
    filters.forEach(function (k) {
      var v = here.get(k);
      if (v) params.set(k, v);
    });
    params.set('limit', /^\d+$/.test(here.get('limit') || '') ? here.get('limit') : '100');
    if (cursor) params.set('cursor', cursor);
    status.textContent = 'Loading…';
    return fetch(api + '?' + params.toString(), { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) {
          return response.text().then(function (text) {
            var message = text;
            try { message = JSON.parse(text).error.message; } catch (e) { /* not our error shape */ }
            throw new Error(response.status + ' ' + message);
          });
        }
        return response.json().then(function (body) { return pageOf(body, response.headers); });
      })
      .then(function (page) {
        var tbody = table.querySelector('tbody');
        page.rows.forEach(function (row) {
          var tr = document.createElement('tr');
          tr.setAttribute('data-rma-key', row.rma_key || '');
          columns.forEach(function (c) { tr.appendChild(cell(row[c])); });
          tbody.appendChild(tr);
        });
        shown += page.rows.length;
        status.textContent = shown === 0 ? 'No RMAs match.' : shown + ' RMA' + (shown === 1 ? '' : 's');
        if (more) {
          more.hidden = !page.next;
          more.onclick = page.next ? function () { load(page.next); } : null;
        }
        document.body.setAttribute('data-rendered', 'true');
      })
      .catch(function (e) {
        status.textContent = 'Could not load RMAs: ' + e.message;
        document.body.setAttribute('data-rendered', 'error');
      });
  }

  load(null);
})();
