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
        `data-confirm="${esc(c.confirm)}">${esc(c.label)}</button>`;
    }
    return "";
  }

  function section(s) {
    let inner = s.title ? `<h3>${esc(s.title)}</h3>` : "";
    if (s.kind === "kpis") {
      inner += `<div class="kpis">` + s.items.map((k) =>
        `<div class="kpi ${esc(k.tone)}" title="${esc(k.hint)}"><div class="kpi-value">` +
        `${esc(k.value)}</div><div class="kpi-label">${esc(k.label)}</div></div>`).join("") +
        `</div>`;
    } else if (s.kind === "table") {
      inner += s.rows.length
        ? `<div class="table-wrap"><table><thead><tr>` +
          s.columns.map((c) => `<th>${esc(c)}</th>`).join("") + `</tr></thead><tbody>` +
          s.rows.map((r) => `<tr>` + r.map((c) => `<td>${cell(c)}</td>`).join("") + `</tr>`)
            .join("") + `</tbody></table></div>`
        : `<p class="muted">Nothing to show.</p>`;
    } else if (s.kind === "figure") {
      if (s.choices) {
        inner += `<label class="choice">Show <select class="figure-choice">` +
          Object.keys(s.choices).map((k) => `<option>${esc(k)}</option>`).join("") +
          `</select></label>`;
      }
      inner += `<div class="figure" data-figure="${esc(s.id)}"></div>`;
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
        `checked> follow</label></form><pre class="log" data-offset="${s.offset}" ` +
        `data-url="${esc(s.url)}">${s.lines.map(logLine).join("")}</pre>`;
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

  function localize(root) {
    root.querySelectorAll("time[datetime]").forEach((t) => {
      const d = new Date(t.getAttribute("datetime"));
      if (!isNaN(d)) {
        t.textContent = d.toLocaleString(undefined, {
          year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
          second: t.closest(".log") ? "2-digit" : undefined,
        });
        t.title = t.getAttribute("datetime");
      }
    });
  }

  function plot(root, view) {
    if (!window.Plotly) return;
    for (const s of view.sections || []) {
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
          draw(el, s.choices[select.value]);
        };
      }
      if (fig) draw(el, fig);
    }
  }

  function draw(el, fig) {
    // a newer render may replace the element while plotly is still drawing: not an error
    try {
      Promise.resolve(Plotly.react(el, fig.data, fig.layout, CONFIG)).catch(() => {});
    } catch (e) { /* the element left the page */ }
  }
  const CONFIG = { responsive: true, displaylogo: false };

  function render(view) {
    const root = document.getElementById("view");
    for (const el of root.querySelectorAll(".js-plotly-plot")) Plotly.purge(el);
    root.innerHTML = view.sections.map(section).join("");
    afterRender(root, view);
  }

  function afterRender(root, view) {
    localize(root);
    plot(root, view);
    wireLogs(root);
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
  function tabUrl(name, tab) { return `${BASE}/api/pipelines/${encodeURIComponent(name)}/${tab}`; }

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

  function pipeline(root) {
    document.querySelectorAll(".tabs .tab").forEach((a) => {
      a.addEventListener("click", async (event) => {
        event.preventDefault();
        document.querySelectorAll(".tabs .tab").forEach((b) => {
          b.classList.toggle("active", b === a);
          b.setAttribute("aria-selected", b === a ? "true" : "false");
        });
        history.replaceState(null, "", `?tab=${a.dataset.tab}`);
        await loadTab(root, a.dataset.tab);
      });
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
          const stick = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
          pre.insertAdjacentHTML("beforeend", s.lines.map(logLine).join(""));
          localize(pre);
          if (stick) pre.scrollTop = pre.scrollHeight;
        }
        pre.dataset.offset = s.offset;
      } catch (e) { /* the status poll shows the connection state */ }
    }, Math.max(POLL_MS, 1000));
  }

  // ---- actions: confirm, API key, post -------------------------------------------------
  function onAction(event) {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const dialog = document.getElementById("confirm");
    const root = document.getElementById("view");
    const keyRow = document.getElementById("confirm-key-row");
    const keyInput = document.getElementById("confirm-key");
    const error = document.getElementById("confirm-error");
    document.getElementById("confirm-text").textContent = button.dataset.confirm;
    const needKey = root.dataset.keyRequired === "true";
    keyRow.hidden = !needKey;
    keyInput.value = sessionStorage.getItem("calmops-key") || "";
    keyInput.oninput = () => { error.hidden = true; };
    error.hidden = true;
    dialog.returnValue = "";
    dialog.showModal();
    const ok = document.getElementById("confirm-ok");
    ok.onclick = async (e) => {
      e.preventDefault();
      const headers = { "Content-Type": "application/json", Accept: "application/json" };
      if (needKey) headers["X-API-Key"] = keyInput.value;
      const response = await fetch(button.dataset.url, { method: "POST", headers, body: "{}" });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) {
        error.textContent = answer.detail || `failed (${response.status})`;
        error.hidden = false;
        return;
      }
      if (needKey) sessionStorage.setItem("calmops-key", keyInput.value);
      dialog.close("ok");
      toast(answer.message);
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
  if (root.dataset.page === "overview") overview(root);
  if (root.dataset.page === "pipeline") pipeline(root);
  root.dataset.ready = "true";
})();
