/* Casustafel facilitation screen: autosave with a version check, and the step timer.
 * Without this script every field still saves with its own button. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var messages = document.getElementById("facilitate-messages").dataset;
  var DELAY_MS = 700;

  function setState(form, text, kind) {
    var state = form.querySelector(".save-state");
    state.textContent = text;
    state.className = "save-state" + (kind ? " " + kind : "");
  }

  function save(form) {
    if (form.dataset.saving === "1") { form.dataset.again = "1"; return; }
    form.dataset.saving = "1";
    setState(form, messages.saving, "");
    var token = form.querySelector('input[name="csrf_token"]').value;
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "X-CSRFToken": token }
    }).then(function (response) {
      return response.json().then(function (body) { return { code: response.status, body: body }; });
    }).then(function (result) {
      var body = result.body;
      if (result.code === 200) {
        form.querySelector('input[name="version"]').value = body.version;
        form.querySelector(".conflict").hidden = true;
        // A confirmation covers what was shown once, not whatever is typed next.
        var confirmBox = form.querySelector(".confirm-personal-data");
        confirmBox.querySelector("input").checked = false;
        confirmBox.hidden = true;
        setState(form, messages.saved, "ok");
      } else if (result.code === 409) {
        showConflict(form, body);
      } else if (result.code === 401) {
        setState(form, body.message, "error");
      } else if (body.status === "personal_data") {
        setState(form, body.message + " (" + body.fragments.join(", ") + ")", "error");
        form.querySelector(".confirm-personal-data").hidden = !body.confirm;
      } else {
        setState(form, body.message || messages.error, "error");
      }
    }).catch(function () {
      setState(form, messages.offline, "error");
    }).then(function () {
      form.dataset.saving = "0";
      if (form.dataset.again === "1") { form.dataset.again = "0"; save(form); }
    });
  }

  function showConflict(form, body) {
    var box = form.querySelector(".conflict");
    box.hidden = false;
    box.textContent = "";
    var intro = document.createElement("p");
    intro.textContent = messages.conflict;
    var theirs = document.createElement("blockquote");
    theirs.textContent = shown(form, body.value);
    var take = document.createElement("button");
    take.type = "button"; take.className = "button-secondary"; take.textContent = messages.takeTheirs;
    var keep = document.createElement("button");
    keep.type = "button"; keep.className = "button-secondary"; keep.textContent = messages.keepMine;
    take.addEventListener("click", function () {
      setValue(form, body.value);
      form.querySelector('input[name="version"]').value = body.version;
      box.hidden = true;
      setState(form, messages.saved, "ok");
    });
    keep.addEventListener("click", function () {
      form.querySelector('input[name="version"]').value = body.version;
      box.hidden = true;
      save(form);
    });
    box.append(intro, theirs, take, keep);
    setState(form, messages.conflictShort, "error");
  }

  // Checklists are stored as a JSON list; the form sends one option per line.
  function setValue(form, stored) {
    var list = form.querySelector("[data-checklist]");
    if (!list) { form.querySelector('[name="value"]').value = stored; return; }
    var chosen = [];
    try { chosen = JSON.parse(stored || "[]"); } catch (error) { chosen = []; }
    list.querySelectorAll("input").forEach(function (box) {
      box.checked = chosen.indexOf(box.value) !== -1;
    });
    document.getElementById(list.dataset.checklist).value = chosen.join("\n");
  }

  function shown(form, stored) {
    return form.querySelector("[data-checklist]") ? JSON.parse(stored || "[]").join(", ") : stored;
  }

  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var timer = null;
    function schedule() {
      clearTimeout(timer);
      setState(form, messages.typing, "");
      timer = setTimeout(function () { save(form); }, DELAY_MS);
    }
    form.addEventListener("input", schedule);
    form.addEventListener("change", function (event) {
      var list = event.target.closest("[data-checklist]");
      if (list) {
        var chosen = Array.prototype.filter.call(list.querySelectorAll("input"), function (box) {
          return box.checked;
        }).map(function (box) { return box.value; });
        document.getElementById(list.dataset.checklist).value = chosen.join("\n");
      }
      schedule();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); save(form); });
  });

  var timerBox = document.querySelector(".timer[data-started-at]");
  if (timerBox && timerBox.dataset.startedAt) {
    var started = Date.parse(timerBox.dataset.startedAt);
    var budget = Number(timerBox.dataset.minutes) * 60;
    var out = timerBox.querySelector(".timer-remaining");
    var tick = function () {
      var left = Math.round(budget - (Date.now() - started) / 1000);
      var abs = Math.abs(left);
      var text = Math.floor(abs / 60) + ":" + String(abs % 60).padStart(2, "0");
      out.textContent = " · " + (left >= 0 ? messages.left : messages.over) + " " + text;
      timerBox.classList.toggle("over", left < 0);
    };
    tick();
    setInterval(tick, 1000);
  }
})();
