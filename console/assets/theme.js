// Theme: follows prefers-color-scheme until the toggle picks one, which is remembered.
// Loaded in <head> (before the body paints) by the console and the reference page.
(function () {
  "use strict";
  var key = "fcmock.theme";
  function saved() { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function current() {
    var t = document.documentElement.dataset.theme;
    if (t) { return t; }
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  var s = saved();
  if (s === "light" || s === "dark") { document.documentElement.dataset.theme = s; }
  function label(btn) {
    var next = current() === "dark" ? "light" : "dark";
    btn.textContent = current() === "dark" ? "\u263E Dark" : "\u2600 Light";
    btn.setAttribute("aria-label", "Theme: " + current() + ". Switch to " + next);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".theme-toggle").forEach(function (btn) {
      label(btn);
      btn.addEventListener("click", function () {
        var t = current() === "dark" ? "light" : "dark";
        document.documentElement.dataset.theme = t;
        try { localStorage.setItem(key, t); } catch (e) { /* private mode: not remembered */ }
        label(btn);
      });
    });
  });
})();
