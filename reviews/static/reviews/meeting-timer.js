// The meeting screen: the chair's timer per student (LB-6): counts down the protocol's minutes per student.
// Loaded as a file with the page's nonce (CSP: no inline script); no network, no storage.
(function () {
  "use strict";
  function format(seconds) {
    var sign = seconds < 0 ? "-" : "";
    var s = Math.abs(seconds);
    var m = Math.floor(s / 60);
    var r = s % 60;
    return sign + m + ":" + (r < 10 ? "0" : "") + r;
  }
  function setup(root) {
    var total = parseInt(root.getAttribute("data-seconds"), 10) || 300;
    var left = total;
    var display = root.querySelector("[data-timer-display]");
    var start = root.querySelector("[data-timer-start]");
    var reset = root.querySelector("[data-timer-reset]");
    var handle = null;
    function show() {
      display.textContent = format(left);
      root.classList.toggle("timer-over", left < 0);
    }
    function tick() {
      left -= 1;
      show();
    }
    start.addEventListener("click", function () {
      if (handle) {
        window.clearInterval(handle);
        handle = null;
        start.textContent = start.getAttribute("data-label-start") || start.textContent;
        return;
      }
      handle = window.setInterval(tick, 1000);
    });
    reset.addEventListener("click", function () {
      if (handle) { window.clearInterval(handle); handle = null; }
      left = total;
      show();
    });
    show();
  }
  function init() {
    document.querySelectorAll("[data-meeting-timer]").forEach(setup);
  }
  // A refused save answers 400 with the form, its message and the typed text (LB-9, a stale version):
  // on the meeting screen that answer is swapped in like a success, so nothing typed is lost.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status === 400 && target && target.closest("[data-meeting-screen]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
