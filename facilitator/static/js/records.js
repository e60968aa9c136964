/* The meeting's records (findings, actions, scores) and its fields. A record form or a field
   that came back refused gets the focus on its first field in error, so that nobody has to
   look for it below the fold. After a save the server sends the page back at what was saved
   (#finding-3 or #regievoerder, made focusable with tabindex="-1"); Chromium focuses such a
   target itself, and this makes sure of it in a browser that only scrolls, so that a screen
   reader reads the record and Tab goes on there. */
(function () {
  "use strict";
  function savedRecord() {
    var id = window.location.hash.slice(1);
    if (!id) return null;
    try { id = decodeURIComponent(id); } catch (error) { return null; }
    var target = document.getElementById(id);
    return target && target.getAttribute("tabindex") === "-1" ? target : null;
  }
  function refusedField() {
    return document.querySelector(
      ".record-form [aria-invalid=true], .record-form .form-errors, form.autosave [aria-invalid=true]"
    );
  }
  var target = refusedField() || savedRecord();
  if (!target) return;
  if (!target.hasAttribute("tabindex") && !target.matches("input, select, textarea, button")) {
    target.setAttribute("tabindex", "-1");
  }
  target.focus();
})();
