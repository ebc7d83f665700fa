// The signal grid (LB-4): every answer is kept in localStorage until the server confirms it, so a
// closed tab or a dropped connection loses nothing; pending answers are sent again on load and when
// the connection comes back; an answer given before the scripts were ready is sent at start.
// Ctrl + arrow keys move through the grid. CSP: no inline code, no eval.
(function () {
  const form = document.getElementById("signal-grid");
  if (!form) return;
  const key = "signal-grid-" + form.dataset.round;
  const offline = document.getElementById("grid-offline");
  const load = () => { try { return JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { return {}; } };
  const store = (pending) => {
    if (Object.keys(pending).length) localStorage.setItem(key, JSON.stringify(pending));
    else localStorage.removeItem(key);
    offline.textContent = Object.keys(pending).length ? form.dataset.unsaved || "Niet alle antwoorden zijn opgeslagen; ze worden opnieuw verstuurd." : "";
  };
  const field = (event) => event.detail && event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("select, textarea");

  document.body.addEventListener("htmx:beforeRequest", (event) => {
    const el = field(event);
    if (!el || !form.contains(el)) return;
    const pending = load();
    pending[el.id] = el.value;
    store(pending);
    el.closest("td").classList.add("unsaved");
  });
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.xhr && event.detail.xhr.status === 422) { event.detail.shouldSwap = true; event.detail.isError = false; }
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const el = field(event);
    if (!el || !form.contains(el)) return;
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 200 || status === 422) {  // saved, or refused for good (a closed round)
      const pending = load();
      if (pending[el.id] === el.value) delete pending[el.id];
      store(pending);
      el.closest("td").classList.remove("unsaved");
    }
  });

  const resend = () => {
    const pending = load();
    for (const [id, value] of Object.entries(pending)) {
      const el = document.getElementById(id);
      if (!el || el.disabled) { delete pending[id]; continue; }
      el.value = value;
      el.closest("td").classList.add("unsaved");
      if (window.htmx) window.htmx.trigger(el, "change");
    }
    store(pending);
  };
  // An answer given before this script and htmx were ready was neither sent nor kept: at start, every
  // field whose value differs from what the server rendered joins the pending answers and is sent
  // (or kept until htmx and the connection are there). The form has autocomplete="off", so the
  // browser restores no stale values on reload: a difference is the user's own input.
  const rendered = (el) => {
    if (el.tagName !== "SELECT") return el.defaultValue;
    const option = Array.from(el.options).find((o) => o.defaultSelected) || el.options[0];
    return option ? option.value : "";
  };
  const keepEarlyAnswers = () => {
    const pending = load();
    for (const el of form.querySelectorAll("select, textarea")) {
      if (!el.disabled && el.id && el.value !== rendered(el)) pending[el.id] = el.value;
    }
    store(pending);
  };
  const start = () => { keepEarlyAnswers(); resend(); };

  window.addEventListener("online", resend);
  if (document.readyState === "complete") start(); else window.addEventListener("load", start);

  form.addEventListener("keydown", (event) => {
    if (!event.ctrlKey || !event.key.startsWith("Arrow")) return;
    const cell = event.target.closest("td");
    if (!cell) return;
    const row = cell.parentElement;
    const col = Number(event.target.dataset.col);
    let target = null;
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      target = row.querySelector(`[data-col="${col + (event.key === "ArrowRight" ? 1 : -1)}"]`);
    } else {
      const next = event.key === "ArrowDown" ? row.nextElementSibling : row.previousElementSibling;
      target = next && next.querySelector(`[data-col="${col}"]`);
    }
    if (target) { event.preventDefault(); target.focus(); }
  });
})();
