// Offline-tolerant forms (issue 10 §2), vendored, no inline script (CSP).
// A form with data-offline-form="NAME" keeps what is typed in localStorage (a draft), and when
// sending fails because the connection is gone, it keeps the whole form in a queue and sends it
// as soon as the browser is online again. The hidden client_key makes a resent form land once.
(function () {
  "use strict";
  const QUEUE = "leerlingzorg-offline-queue";

  function read(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }
  function write(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage full or off */ }
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return String(Date.now()) + "-" + Math.random().toString(16).slice(2);
  }
  function fields(form) {
    const data = {};
    for (const el of form.elements) {
      if (!el.name || el.type === "submit" || el.name === "csrfmiddlewaretoken") continue;
      if (el.type === "checkbox") data[el.name] = el.checked ? (el.value || "on") : null;
      else data[el.name] = el.value;
    }
    return data;
  }
  function restore(form, data) {
    for (const el of form.elements) {
      if (!el.name || !(el.name in data) || el.name === "csrfmiddlewaretoken") continue;
      if (el.type === "checkbox") el.checked = data[el.name] !== null;
      else if (data[el.name] !== undefined && data[el.name] !== null) el.value = data[el.name];
    }
  }
  function status(text) {
    const el = document.getElementById("offline-status");
    if (!el) return;
    el.hidden = !text;
    el.textContent = text || "";
  }
  function body(data, token) {
    const params = new URLSearchParams();
    params.append("csrfmiddlewaretoken", token);
    for (const [name, value] of Object.entries(data)) if (value !== null) params.append(name, value);
    return params;
  }
  function token() {
    const el = document.querySelector("input[name=csrfmiddlewaretoken]");
    return el ? el.value : "";
  }

  async function flush() {
    const queue = read(QUEUE, []);
    if (!queue.length || !navigator.onLine) return;
    const left = [];
    for (const item of queue) {
      try {
        const response = await fetch(item.action, {
          method: "POST", body: body(item.data, token()), credentials: "same-origin",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
        });
        if (!response.ok && response.status >= 500) left.push(item);  // a refusal (4xx) is not retried
      } catch (e) {
        left.push(item);
      }
    }
    write(QUEUE, left);
    const sent = queue.length - left.length;
    const form = document.querySelector("form[data-offline-form]");
    if (sent) status((form && form.dataset.offlineSent) || "Bewaarde formulieren verstuurd.");
  }

  function setUp(form) {
    const draftKey = "leerlingzorg-draft-" + form.dataset.offlineForm;
    const keyField = form.querySelector("input[name=client_key]");
    const hasErrors = form.querySelector(".errorlist");
    if (keyField && !keyField.value) keyField.value = newKey();
    const draft = read(draftKey, null);
    if (draft && !hasErrors) restore(form, draft);
    form.addEventListener("input", () => write(draftKey, fields(form)));
    form.addEventListener("change", () => write(draftKey, fields(form)));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = fields(form);
      try {
        const response = await fetch(form.action || window.location.href, {
          method: "POST", body: body(data, token()), credentials: "same-origin",
          headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Offline-Form": "1" },
        });
        localStorage.removeItem(draftKey);
        // Saved: the server names the next page instead of redirecting, so that page loads once and
        // shows its confirmation (a followed redirect would have used the message up unseen).
        const next = response.headers.get("X-Location");
        if (response.status === 204 && next) { window.location.href = next; return; }
        if (response.redirected) { window.location.href = response.url; return; }
        form.submit();  // refused (nothing was written): the page shows the messages the normal way
      } catch (e) {
        // No connection: keep the form and send it when the browser is online again.
        const queue = read(QUEUE, []);
        queue.push({ action: form.action || window.location.href, data: data });
        write(QUEUE, queue);
        localStorage.removeItem(draftKey);
        status(form.dataset.offlineMessage || "Geen verbinding: het formulier is bewaard en wordt verstuurd zodra er weer verbinding is.");
        form.reset();
        if (keyField) keyField.value = newKey();
      }
    });
  }

  document.querySelectorAll("form[data-offline-form]").forEach(setUp);
  window.addEventListener("online", flush);
  flush();
})();
