// The status page's only script (served from our own origin; the CSP allows no other): refreshes
// the live region in place every poll interval, and sorts and filters the fleet table. The page
// reads fine without it: the server orders the table and a <noscript> meta refresh reloads it.
'use strict';
(function () {
  const body = document.body;
  const seconds = Math.max(1, Number(body.dataset.refreshSeconds) || 15);
  const sort = { column: -1, direction: 1 };

  function table() {
    return document.getElementById('fleet');
  }

  function cellKey(row, column, kind) {
    if (kind === 'state') {
      return Number(row.dataset.rank);
    }
    const cell = row.cells[column];
    if (kind === 'number') {
      const v = cell.dataset.value;
      return v === undefined ? Number.POSITIVE_INFINITY : Number(v);
    }
    return cell.textContent.trim().toLowerCase();
  }

  function applySort() {
    const t = table();
    if (!t || sort.column < 0) {
      return;
    }
    const th = t.tHead.rows[0].cells[sort.column];
    const kind = th.dataset.sort;
    const tbody = t.tBodies[0];
    const rows = Array.from(tbody.rows);
    rows.sort(function (a, b) {
      const x = cellKey(a, sort.column, kind);
      const y = cellKey(b, sort.column, kind);
      return (x < y ? -1 : x > y ? 1 : 0) * sort.direction;
    });
    rows.forEach(function (r) { tbody.appendChild(r); });
    Array.from(t.tHead.rows[0].cells).forEach(function (c, i) {
      c.setAttribute('aria-sort', i === sort.column ? (sort.direction > 0 ? 'ascending' : 'descending') : 'none');
    });
  }

  function applyFilter() {
    const t = table();
    const text = document.getElementById('filter');
    const state = document.getElementById('state-filter');
    if (!t || !text || !state) {
      return;
    }
    const needle = text.value.trim().toLowerCase();
    const wanted = state.value;
    let shown = 0;
    Array.from(t.tBodies[0].rows).forEach(function (r) {
      const hay = (r.cells[0].textContent + ' ' + r.cells[2].textContent).toLowerCase();
      const visible = (wanted === '' || r.dataset.state === wanted) && hay.indexOf(needle) >= 0;
      r.hidden = !visible;
      if (visible) {
        shown++;
      }
    });
    t.dataset.shown = String(shown);
  }

  function bindHeaders() {
    const t = table();
    if (!t) {
      return;
    }
    Array.from(t.tHead.rows[0].cells).forEach(function (th, i) {
      if (th.querySelector('button')) {
        return;
      }
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = th.textContent;
      button.addEventListener('click', function () {
        sort.direction = sort.column === i ? -sort.direction : 1;
        sort.column = i;
        applySort();
      });
      th.textContent = '';
      th.appendChild(button);
    });
  }

  function refresh() {
    fetch(location.href, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) {
        if (!r.ok) {
          throw new Error('HTTP ' + r.status);
        }
        return r.text();
      })
      .then(function (html) {
        const fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('live');
        const live = document.getElementById('live');
        if (fresh && live) {
          live.replaceWith(document.adoptNode(fresh));
          bindHeaders();
          applySort();
          applyFilter();
        }
        body.dataset.refreshed = String(Date.now());
        body.removeAttribute('data-refresh-failed');
      })
      .catch(function () {
        body.dataset.refreshFailed = 'true';
      })
      .finally(function () {
        setTimeout(refresh, seconds * 1000);
      });
  }

  const controls = document.getElementById('controls');
  if (controls) {
    controls.hidden = false;
    controls.addEventListener('submit', function (e) { e.preventDefault(); });
    document.getElementById('filter').addEventListener('input', applyFilter);
    document.getElementById('state-filter').addEventListener('change', applyFilter);
  }
  bindHeaders();
  setTimeout(refresh, seconds * 1000);
})();
