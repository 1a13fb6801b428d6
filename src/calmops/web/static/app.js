// CalmOps dashboards: render view dicts (same markup as templates/_sections.html), draw
// figures with plotly.js, follow the JSON API without reloading the page.
"use strict";
(function () {
  const body = document.body;
  const BASE = body.dataset.base || "";
  const POLL_MS = parseInt(body.dataset.pollMs || "3000", 10);
  const chosen = {};  // section id -> selected choice, kept across reloads

  function esc(value) {
    return String(value ?? "").replace(/[&<>"']/g, (c) => ({
      "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
    })[c]);
  }

  function cell(c) {
    if (c === null || typeof c !== "object") return esc(c);
    if ("time" in c) return `<time datetime="${esc(c.time)}">${esc(c.text)}</time>`;
    if ("badge" in c) return `<span class="badge ${esc(c.tone)}">${esc(c.badge)}</span>`;
    if ("link" in c) return `<a href="${esc(c.link)}">${esc(c.text)}</a>`;
    if ("spark" in c) {
      return `<span class="spark"><svg width="120" height="28" viewBox="0 0 120 28">` +
        `<polyline points="${esc(c.spark)}"/></svg> ${esc(c.text)}</span>`;
    }
    if ("action" in c) {
      return `<button class="action" data-action="${esc(c.action)}" data-url="${esc(c.url)}" ` +
        `data-confirm="${esc(c.confirm)}" data-check="${esc(c.check || "")}">` +
        `${esc(c.label)}</button>`;
    }
    return "";
  }

  // a column left out on a phone (the table names the ones it keeps; its rows become cards)
  function wide(s, i) { return s.narrow && !s.narrow[i] ? ` class="wide"` : ""; }

  function section(s) {
    let inner = s.title ? `<h3>${esc(s.title)}</h3>` : "";
    if (s.kind === "kpis") {
      inner += `<div class="kpis">` + s.items.map((k) =>
        `<div class="kpi ${esc(k.tone)}" title="${esc(k.hint)}"><div class="kpi-value">` +
        `${esc(k.value)}</div><div class="kpi-label">${esc(k.label)}</div></div>`).join("") +
        `</div>`;
    } else if (s.kind === "table") {
      inner += s.rows.length
        ? `<div class="table-wrap${s.narrow ? " cards" : ""}"><table><thead><tr>` +
          s.columns.map((c, i) => `<th${wide(s, i)}>${esc(c)}</th>`).join("") +
          `</tr></thead><tbody>` + s.rows.map((r) => `<tr>` + r.map((c, i) =>
            `<td${s.narrow ? ` data-label="${esc(s.columns[i])}"` : ""}${wide(s, i)}>` +
            `${cell(c)}</td>`).join("") + `</tr>`).join("") + `</tbody></table></div>`
        : `<p class="muted">Nothing to show.</p>`;
    } else if (s.kind === "figure") {
      if (s.choices) {
        inner += `<label class="choice">Show <select class="figure-choice">` +
          Object.keys(s.choices).map((k) => `<option>${esc(k)}</option>`).join("") +
          `</select></label>`;
      }
      inner += s.figure || s.choices
        ? `<div class="figure${s.click ? " clickable" : ""}" data-figure="${esc(s.id)}"></div>`
        : `<p class="muted">Nothing to draw yet.</p>`;
    } else if (s.kind === "picker") {
      inner += `<label class="picker">Show <select class="run-picker" data-param="` +
        `${esc(s.param)}">` + s.options.map((o) => `<option value="${esc(o.value)}"` +
          `${o.value === s.selected ? " selected" : ""}>${esc(o.label)}</option>`).join("") +
        `</select></label>`;
    } else if (s.kind === "notice") {
      inner += `<p class="notice ${esc(s.tone)}">${esc(s.text)}</p>`;
    } else if (s.kind === "actions") {
      inner += `<div class="actions">` + s.items.map((a) => cell(a) + " ").join("") + `</div>`;
    } else if (s.kind === "cards") {
      inner += s.items.map((card) => `<details class="card"><summary>${esc(card.title)}` +
        `</summary><dl>` + card.fields.map((f) => `<dt>${esc(f[0])}</dt><dd>${esc(f[1])}</dd>`)
          .join("") + `</dl></details>`).join("");
    } else if (s.kind === "logs") {
      inner += `<form class="log-controls" onsubmit="return false"><label>Level <select ` +
        `name="level"><option value="">all</option>` + s.levels.map((l) =>
          `<option value="${l}"${l === s.level ? " selected" : ""}>${l}+</option>`).join("") +
        `</select></label> <label>Search <input name="q" type="search" value="${esc(s.q)}" ` +
        `placeholder="text in the line"></label> <label><input name="follow" type="checkbox" ` +
        `checked> follow</label></form><p class="notice log-empty" hidden></p>` +
        `<pre class="log" data-offset="${s.offset}" data-url="${esc(s.url)}" ` +
        `data-empty="${esc(s.empty)}">${s.lines.map(logLine).join("")}</pre>`;
    }
    if (s.note) inner += `<p class="note">${esc(s.note)}</p>`;
    return `<section class="section kind-${esc(s.kind)}" id="${esc(s.id)}" ` +
      `data-section="${esc(s.id)}">${inner}</section>`;
  }

  function logLine(l) {
    const at = l.at ? `<time datetime="${esc(l.at)}">${esc(l.at.slice(0, 19).replace("T", " "))}` +
      `</time> ` : "";
    return `<span class="log-line lvl-${esc(l.level)}">${at}<b>${esc(l.level)}</b> ` +
      `${esc(l.message)}</span>\n`;
  }

  // times: "5 min ago" (a date beyond two weeks), the exact local time on hover; log lines
  // keep their clock time to the second
  const EXACT = { dateStyle: "medium", timeStyle: "long" };
  function ago(d, now) {
    const seconds = Math.round((now - d) / 1000);
    const future = seconds < 0;
    const s = Math.abs(seconds);
    let text;
    if (s < 45) return future ? "in a moment" : "just now";
    if (s < 90 * 60) text = `${Math.max(1, Math.round(s / 60))} min`;
    else if (s < 36 * 3600) text = `${Math.round(s / 3600)} h`;
    else if (s < 14 * 86400) text = `${Math.round(s / 86400)} days`;
    else {
      return d.toLocaleString(undefined, {
        year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
      });
    }
    return future ? `in ${text}` : `${text} ago`;
  }

  function localize(root) {
    const now = Date.now();
    root.querySelectorAll("time[datetime]").forEach((t) => {
      const d = new Date(t.getAttribute("datetime"));
      if (isNaN(d)) return;
      t.textContent = t.closest(".log")
        ? d.toLocaleString(undefined, {
          year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
          second: "2-digit",
        })
        : ago(d, now);
      t.title = d.toLocaleString(undefined, EXACT);
    });
  }

  // plotly.js (4.8 MB) loads only on pages with charts, after the tables are shown
  let plotly = null;
  function loadPlotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotly) {
      plotly = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = body.dataset.plotly;
        script.async = true;
        script.onload = () => resolve(window.Plotly);
        script.onerror = () => { plotly = null; reject(new Error("plotly.js did not load")); };
        document.head.appendChild(script);
      });
    }
    return plotly;
  }

  let drawn = 0;  // only the newest render draws its charts
  function plot(root, view) {
    const mine = ++drawn;
    const figures = (view.sections || []).filter((s) => s.kind === "figure");
    if (!figures.some((s) => s.figure || s.choices)) return;
    // after the next frame: the tables are painted before plotly.js runs (a long task)
    new Promise((painted) => requestAnimationFrame(() => setTimeout(painted, 0)))
      .then(loadPlotly).then(() => {
        if (mine === drawn) drawFigures(root, figures);
      }).catch(() => {
        root.querySelectorAll(".figure:empty").forEach((el) => {
          el.textContent = "The chart could not be drawn: plotly.js did not load.";
        });
      });
  }

  function drawFigures(root, figures) {
    for (const s of figures) {
      if (s.kind !== "figure") continue;
      const el = root.querySelector(`.figure[data-figure="${CSS.escape(s.id)}"]`);
      if (!el) continue;
      let fig = s.figure;
      const select = el.parentElement.querySelector("select.figure-choice");
      if (s.choices && select) {
        if (chosen[s.id] && chosen[s.id] in s.choices) select.value = chosen[s.id];
        fig = s.choices[select.value] || fig;
        select.onchange = () => {
          chosen[s.id] = select.value;
          draw(el, s.choices[select.value], s.click);
        };
      }
      if (fig) draw(el, fig, s.click);
    }
    performance.mark("calmops-charts");  // what benchmarks/ui_page_bench.py reads
  }

  function draw(el, fig, click) {
    // a newer render may replace the element while plotly is still drawing: not an error
    try {
      const layout = el.clientWidth < 600 ? narrow(fig) : fig.layout;
      Promise.resolve(Plotly.react(el, fig.data, layout, CONFIG))
        .then(() => { if (click) onPointClick(el, click); }).catch(() => {});
    } catch (e) { /* the element left the page */ }
  }

  // clicking a heatmap column or a timeline point opens that run ({by, links} of a section)
  function onPointClick(el, click) {
    if (el.removeAllListeners) el.removeAllListeners("plotly_click");
    el.on("plotly_click", (event) => {
      const point = (event.points || [])[0];
      if (!point) return;
      const key = click.by === "x" ? point.x : point.customdata;
      const href = click.links[String(key)];
      if (href) window.location.href = href;
    });
  }

  // the run a tab looks at (Data, Drift, Blocks): kept in the address, sent to the API
  const RUN_TABS = ["data", "drift", "blocks"];
  function address(tab, run) {
    return `?tab=${encodeURIComponent(tab)}` +
      (run && RUN_TABS.includes(tab) ? `&run=${encodeURIComponent(run)}` : "");
  }
  function wirePickers(root) {
    root.querySelectorAll("select.run-picker").forEach((select) => {
      select.onchange = async () => {
        root.dataset.run = select.value;
        history.replaceState(null, "", address(root.dataset.tab, select.value));
        await loadTab(root, root.dataset.tab);
      };
    });
  }
  const CONFIG = { responsive: true, displaylogo: false };

  // on a phone: small margins, slanted x labels, and a heatmap's labels kept readable
  function narrow(fig) {
    const layout = JSON.parse(JSON.stringify(fig.layout || {}));
    layout.margin = { l: 8, r: 8, t: 32, b: 8 };
    layout.font = { ...(layout.font || {}), size: 11 };
    layout.xaxis = { ...(layout.xaxis || {}), tickangle: -60, automargin: true };
    layout.yaxis = { ...(layout.yaxis || {}), automargin: true };
    if ((fig.data || []).some((t) => t.type === "heatmap")) {
      const rows = Math.max(...fig.data.map((t) => (t.y || []).length), 1);
      layout.height = Math.max(layout.height || 0, 22 * rows + 160);
      layout.yaxis.tickfont = { size: 11 };
      layout.xaxis.tickfont = { size: 10 };
      layout.xaxis.nticks = 8;
    }
    return layout;
  }

  function render(view) {
    const root = document.getElementById("view");
    if (window.Plotly) for (const el of root.querySelectorAll(".js-plotly-plot")) Plotly.purge(el);
    root.innerHTML = view.sections.map(section).join("");
    afterRender(root, view);
  }

  function afterRender(root, view) {
    localize(root);
    plot(root, view);
    wireLogs(root);
    wirePickers(root);
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`${response.status} ${url}`);
    return response.json();
  }

  function setLive(ok) {
    const live = document.getElementById("live");
    if (live) { live.classList.toggle("stale", !ok); live.textContent = ok ? "● live" : "● offline"; }
  }

  // ---- overview ------------------------------------------------------------------------
  function overview(root) {
    setInterval(async () => {
      try {
        const view = await getJSON(`${BASE}/api/overview`);
        setLive(true);
        if (view.token !== root.dataset.token) { root.dataset.token = view.token; render(view); }
      } catch (e) { setLive(false); }
    }, Math.max(POLL_MS, 1000));
  }

  // ---- pipeline ------------------------------------------------------------------------
  function tabUrl(name, tab) {
    const run = (document.getElementById("view").dataset.run || "");
    return `${BASE}/api/pipelines/${encodeURIComponent(name)}/${tab}` +
      (run && RUN_TABS.includes(tab) ? `?run=${encodeURIComponent(run)}` : "");
  }

  let loads = 0;  // only the newest load of a tab is drawn
  async function loadTab(root, tab) {
    const mine = ++loads;
    root.dataset.tab = tab;  // a poll meanwhile reloads this tab, not the one it replaces
    try {
      const view = await getJSON(tabUrl(root.dataset.name, tab));
      if (mine !== loads) return;
      render(view);
      root.dataset.loaded = String(Date.now());
      setLive(true);
    } catch (e) { setLive(false); }
  }

  // a tab change is a step in the browser's history: Back returns to the previous tab
  function showTab(tab) {
    document.querySelectorAll(".tabs .tab").forEach((b) => {
      b.classList.toggle("active", b.dataset.tab === tab);
      b.setAttribute("aria-selected", b.dataset.tab === tab ? "true" : "false");
    });
    const missing = document.getElementById("tab-missing");
    if (missing) missing.remove();
  }

  function pipeline(root) {
    history.replaceState({ tab: root.dataset.tab }, "", location.href);
    document.querySelectorAll(".tabs .tab").forEach((a) => {
      a.addEventListener("click", async (event) => {
        event.preventDefault();
        const tab = a.dataset.tab;
        const same = tab === root.dataset.tab;
        showTab(tab);
        history[same ? "replaceState" : "pushState"]({ tab }, "", address(tab, root.dataset.run));
        await loadTab(root, tab);
      });
    });
    window.addEventListener("popstate", async (event) => {
      const tab = (event.state && event.state.tab) ||
        new URLSearchParams(location.search).get("tab") || "runs";
      if (!document.querySelector(`.tabs .tab[data-tab="${CSS.escape(tab)}"]`)) return;
      showTab(tab);
      await loadTab(root, tab);
    });
    setInterval(async () => {
      try {
        const status = await getJSON(`${BASE}/api/pipelines/${encodeURIComponent(root.dataset.name)}`);
        setLive(true);
        if (status.token !== root.dataset.token) {
          root.dataset.token = status.token;
          updateHeader(status);
          if (root.dataset.tab !== "logs") await loadTab(root, root.dataset.tab);
        }
      } catch (e) { setLive(false); }
    }, POLL_MS);
    root.addEventListener("click", onAction);
  }

  function updateHeader(status) {
    const set = (id, html) => { const el = document.getElementById(id); if (el) el.innerHTML = html; };
    set("hdr-state", esc(status.state));
    set("hdr-champion", status.champion ? `v${status.champion}` : "—");
    const b = status.breaker;
    set("hdr-breaker", esc(b.state) + (b.state === "closed" ? "" : ` · ${b.failures} failures` +
      (b.retry_at ? `, retry <time datetime="${esc(b.retry_at)}">${esc(b.retry_at)}</time>` : "")));
    const last = status.last_run;
    set("hdr-last", last ? `${esc(last.decision || last.status)} · <time datetime="${esc(last.at)}">` +
      `${esc(last.at)}</time>` : "none yet");
    set("hdr-attention", (status.attention || [])
      .map((text) => `<p class="badge bad">needs attention: ${esc(text)}</p>`).join(""));
    localize(document.getElementById("header"));
  }

  // ---- logs: filter, search, follow -----------------------------------------------------
  let logTimer = null;
  function wireLogs(root) {
    if (logTimer) { clearInterval(logTimer); logTimer = null; }
    const pre = root.querySelector("pre.log");
    if (!pre) return;
    const form = root.querySelector(".log-controls");
    showEmpty(root, pre.dataset.empty);
    const query = () => {
      const params = new URLSearchParams();
      if (form.level.value) params.set("level", form.level.value);
      if (form.q.value) params.set("q", form.q.value);
      return params;
    };
    const reload = async () => {
      const view = await getJSON(`${pre.dataset.url}?${query()}`);
      const s = view.sections.find((x) => x.kind === "logs");
      pre.innerHTML = s.lines.map(logLine).join("");
      pre.dataset.offset = s.offset;
      showEmpty(root, s.empty);
      localize(pre);
      pre.scrollTop = pre.scrollHeight;
    };
    form.level.onchange = reload;
    let typing = null;
    form.q.oninput = () => { clearTimeout(typing); typing = setTimeout(reload, 250); };
    pre.scrollTop = pre.scrollHeight;
    logTimer = setInterval(async () => {
      if (!form.follow.checked || !document.body.contains(pre)) return;
      const params = query();
      params.set("after", pre.dataset.offset);
      try {
        const view = await getJSON(`${pre.dataset.url}?${params}`);
        const s = view.sections.find((x) => x.kind === "logs");
        if (s.lines.length) {
          showEmpty(root, "");
          const stick = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
          pre.insertAdjacentHTML("beforeend", s.lines.map(logLine).join(""));
          localize(pre);
          if (stick) pre.scrollTop = pre.scrollHeight;
        }
        pre.dataset.offset = s.offset;
      } catch (e) { /* the status poll shows the connection state */ }
    }, Math.max(POLL_MS, 1000));
  }

  function showEmpty(root, text) {
    const el = root.querySelector(".log-empty");
    if (!el) return;
    el.textContent = text || "";
    el.hidden = !text;
  }

  // ---- actions: confirm, API key, post -------------------------------------------------
  function onAction(event) {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const dialog = document.getElementById("confirm");
    const root = document.getElementById("view");
    const keyRow = document.getElementById("confirm-key-row");
    const keyInput = document.getElementById("confirm-key");
    const reason = document.getElementById("confirm-reason");
    const warning = document.getElementById("confirm-warning");
    const check = document.getElementById("confirm-check");
    const error = document.getElementById("confirm-error");
    document.getElementById("confirm-text").textContent = button.dataset.confirm;
    const needKey = root.dataset.keyRequired === "true";
    keyRow.hidden = !needKey;
    keyInput.value = sessionStorage.getItem("calmops-key") || "";
    keyInput.oninput = () => { error.hidden = true; };
    reason.value = "";
    reason.oninput = () => { error.hidden = true; };
    warning.hidden = true;
    check.hidden = true;
    error.hidden = true;
    dialog.returnValue = "";
    dialog.dataset.checked = "false";
    dialog.showModal();
    if (button.dataset.check) {  // the warning shows before anything is confirmed
      getJSON(button.dataset.check).then((found) => {
        if (found.warning) { warning.textContent = "Warning: " + found.warning; warning.hidden = false; }
        else if (found.note) { check.textContent = found.note; check.hidden = false; }
      }).catch(() => {}).finally(() => { dialog.dataset.checked = "true"; });
    } else dialog.dataset.checked = "true";
    const ok = document.getElementById("confirm-ok");
    ok.onclick = async (e) => {
      e.preventDefault();
      if (!reason.value.trim()) {
        error.textContent = "Say why (the reason is kept in the alias history and the log).";
        error.hidden = false;
        reason.focus();
        return;
      }
      const headers = { "Content-Type": "application/json", Accept: "application/json" };
      if (needKey) headers["X-API-Key"] = keyInput.value;
      const body = JSON.stringify({ reason: reason.value.trim() });
      const response = await fetch(button.dataset.url, { method: "POST", headers, body });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) {
        error.textContent = answer.detail || `failed (${response.status})`;
        error.hidden = false;
        return;
      }
      if (needKey) sessionStorage.setItem("calmops-key", keyInput.value);
      dialog.close("ok");
      toast(answer.message + (answer.warning ? ` (warning: ${answer.warning})` : ""));
      await loadTab(root, root.dataset.tab);
    };
  }

  function toast(text) {
    const el = document.getElementById("toast");
    el.textContent = text;
    el.hidden = false;
    clearTimeout(el._timer);
    el._timer = setTimeout(() => { el.hidden = true; }, 6000);
  }

  // ---- start ---------------------------------------------------------------------------
  const root = document.getElementById("view");
  if (!root) return;
  const data = document.getElementById("view-data");
  const view = data ? JSON.parse(data.textContent) : { sections: [] };
  afterRender(root, view);
  localize(document.body);
  setInterval(() => localize(document.body), 30000);  // "5 min ago" stays true
  if (root.dataset.page === "overview") overview(root);
  if (root.dataset.page === "pipeline") pipeline(root);
  root.dataset.ready = "true";
  performance.mark("calmops-ready");
})();
