/* Casustafel facilitation screen: autosave with a version check, nothing typed lost when the
 * step is left (SECURITY.md R2), and the step timer.
 * Without this script every field still saves with its own button.
 *
 * Every way of leaving saves what is pending first:
 * - a button or a link on the page: the save is awaited, then the page goes on; when a save is
 *   refused the page stays and says so, with a button to leave all the same;
 * - reload, closing the tab, the browser's back button, another tab: the pending text is sent
 *   at once with a keepalive request, which the browser completes after the page is gone, and
 *   the browser asks "leave this page?" while a save is pending or was refused.
 * A save that was sent but never confirmed is kept in this tab's sessionStorage until its answer
 * arrives; when the step is opened again and the page does not hold it, it is put back in the
 * field and saved again (or shown as a conflict), so even a save that lost its race with the
 * reload, or was refused after the page was gone, is not lost silently. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var messages = document.getElementById("facilitate-messages").dataset;
  var DELAY_MS = 700;
  // Browsers allow 64 KiB of keepalive requests in flight; a longer text goes as a plain request.
  var KEEPALIVE_BYTES = 60000;
  // Per user and meeting: a text kept for one user is never put back for another in this tab.
  var STORE_KEY = "casustafel-unconfirmed-" + messages.user + "-" + messages.meeting;
  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-autosave]"));
  var fields = new WeakMap();
  var passing = false; // a navigation this script allowed: let its submit event through
  var abandoned = false; // the user chose to leave with something unsaved: ask no more

  function fieldOf(form) { return fields.get(form); }

  function versionInput(form) { return form.querySelector('input[name="version"]'); }

  function setState(form, kind, text) {
    form.dataset.state = kind;
    var state = form.querySelector(".save-state");
    state.textContent = text;
    state.className = "save-state" + (kind ? " " + kind : "");
  }

  /* What the field holds now, as the server stores it: a checklist as a JSON list. */
  function valueOf(form) {
    var list = form.querySelector("[data-checklist]");
    if (!list) { return form.querySelector('[name="value"]').value; }
    return JSON.stringify(Array.prototype.filter.call(
      list.querySelectorAll('input[type="checkbox"]'), function (box) { return box.checked; }
    ).map(function (box) { return box.value; }));
  }

  function setValue(form, stored) {
    var list = form.querySelector("[data-checklist]");
    if (!list) { form.querySelector('[name="value"]').value = stored; return; }
    var chosen = parseList(stored);
    list.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
      box.checked = chosen.indexOf(box.value) !== -1;
    });
  }

  function parseList(stored) {
    try { return JSON.parse(stored || "[]"); } catch (error) { return []; }
  }

  /* Two values the same as far as the server is concerned (it trims, and sends CRLF back). */
  function same(form, a, b) {
    if (form.querySelector("[data-checklist]")) {
      return JSON.stringify(parseList(a)) === JSON.stringify(parseList(b));
    }
    var norm = function (text) { return String(text || "").replace(/\r\n?/g, "\n").trim(); };
    return norm(a) === norm(b);
  }

  function shown(form, stored) {
    return form.querySelector("[data-checklist]") ? parseList(stored).join(", ") : stored;
  }

  // ---------------------------------------------------------------- unconfirmed saves

  function readStore() {
    try { return JSON.parse(window.sessionStorage.getItem(STORE_KEY) || "{}"); }
    catch (error) { return {}; }
  }

  function writeStore(entries) {
    try {
      if (Object.keys(entries).length) {
        window.sessionStorage.setItem(STORE_KEY, JSON.stringify(entries));
      } else {
        window.sessionStorage.removeItem(STORE_KEY);
      }
    } catch (error) { /* storage full or refused: the keepalive request still goes */ }
  }

  function slot(form) {
    return form.querySelector('input[name="ref"]').value + " " +
      form.querySelector('input[name="key"]').value;
  }

  function remember(form, sent) {
    var entries = readStore();
    entries[slot(form)] = sent;
    writeStore(entries);
  }

  function forget(form, sent) {
    var entries = readStore();
    var entry = entries[slot(form)];
    if (entry && same(form, entry.value, sent.value)) {
      delete entries[slot(form)];
      writeStore(entries);
    }
  }

  /* Saved as ``version``. Kept until the next page is made: a page requested while the save
   * was under way may have been made before it landed, and then shows the older text. */
  function confirm(form, sent, version) {
    var entries = readStore();
    var entry = entries[slot(form)];
    if (entry && same(form, entry.value, sent.value)) {
      entry.saved = version;
      writeStore(entries);
    }
  }

  // ---------------------------------------------------------------- saving

  function unsettled(form) {
    var field = fieldOf(form);
    return field.dirty || field.inFlight > 0 || field.failed;
  }

  /* A finding, action or evaluation typed but not added: it is a record of its own, so it is
   * not saved on the way out; leaving asks first, like an unsaved field. */
  var typedRecords = new Set();
  document.addEventListener("input", function (event) {
    var target = event.target;
    var form = target.form;
    if (form && form.classList.contains("record-form") && target.matches("textarea, input")) {
      typedRecords.add(form);
    }
  });

  function pending() { return forms.some(unsettled) || typedRecords.size > 0; }

  /* Post the field now. ``ahead`` saves still in flight will each have raised the version by
   * one when this one arrives (only when the page is going away and cannot wait for them). */
  function send(form, ahead) {
    var field = fieldOf(form);
    clearTimeout(field.timer);
    field.dirty = false;
    field.failed = false;
    var data = new FormData(form);
    var version = Number(versionInput(form).value) + (ahead || 0);
    data.set("version", String(version));
    var sent = { value: valueOf(form), version: version };
    remember(form, sent);
    var size = 0;
    data.forEach(function (value) { size += String(value).length * 3; });
    field.inFlight += 1;
    setState(form, "saving", messages.saving);
    return fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin", keepalive: size < KEEPALIVE_BYTES,
      headers: { "X-Requested-With": "fetch", "X-CSRFToken": data.get("csrf_token") }
    }).then(function (response) {
      var answer = function (body) { return { code: response.status, body: body || {} }; };
      return response.json().then(answer, function () { return answer(null); });
    }).then(function (result) {
      return answered(form, sent, result.code, result.body);
    }).catch(function () {
      field.dirty = true; // try again when the page is left or the text changes
      setState(form, "error", messages.offline);
      return false;
    }).then(function (saved) {
      field.inFlight -= 1;
      if (saved && pendingGo === null && !forms.some(unsettled)) {
        banner.hidden = true; // what stopped the user from leaving is saved now
      }
      return saved;
    });
  }

  function answered(form, sent, code, body) {
    var field = fieldOf(form);
    if (code === 409 && same(form, body.value, sent.value)) {
      code = 200; // our own text, saved by an earlier request that the page did not see return
    }
    if (code === 200) {
      versionInput(form).value = body.version;
      confirm(form, sent, body.version);
      form.querySelector(".conflict").hidden = true;
      // A confirmation covers what was shown once, not whatever is typed next.
      var confirmBox = form.querySelector(".confirm-personal-data");
      confirmBox.querySelector("input").checked = false;
      confirmBox.hidden = true;
      if (body.step_state) { markStep(body.step_state); }
      if (!field.dirty) { setState(form, "saved", messages.saved); }
      return true;
    }
    field.failed = true;
    if (code === 409) {
      showConflict(form, body);
    } else if (body.status === "personal_data") {
      setState(form, "error", messages.error + ": " + body.message +
        " (" + body.fragments.join(", ") + ")");
      form.querySelector(".confirm-personal-data").hidden = !body.confirm;
    } else {
      field.dirty = true; // a session to renew, a server error: worth a try when leaving
      setState(form, "error", messages.error + ": " + (body.message || messages.tryAgain));
    }
    return false;
  }

  /* Save after what is in flight; resolves true when the field's text is stored. */
  function save(form) {
    var field = fieldOf(form);
    clearTimeout(field.timer);
    field.queue = field.queue.then(function () {
      if (field.dirty) { return send(form, 0); }
      return !field.failed;
    });
    return field.queue;
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
      var mine = { value: valueOf(form) };
      setValue(form, body.value);
      versionInput(form).value = body.version;
      forget(form, mine);
      fieldOf(form).failed = false;
      box.hidden = true;
      setState(form, "saved", messages.saved);
    });
    keep.addEventListener("click", function () {
      versionInput(form).value = body.version;
      box.hidden = true;
      fieldOf(form).dirty = true;
      save(form);
    });
    box.append(intro, theirs, take, keep);
    setState(form, "error", messages.conflictShort);
  }

  function markStep(state) {
    var item = document.querySelector(".rail li.current");
    if (!item) { return; }
    item.dataset.state = state;
    var label = item.querySelector(".rail-state-label");
    if (label) { label.textContent = messages["state" + state.charAt(0).toUpperCase() + state.slice(1)]; }
  }

  forms.forEach(function (form) {
    var field = { timer: null, dirty: false, failed: false, inFlight: 0, queue: Promise.resolve(true) };
    fields.set(form, field);
    function changed() {
      field.dirty = true;
      clearTimeout(field.timer);
      setState(form, "typing", messages.typing);
      field.timer = setTimeout(function () { save(form); }, DELAY_MS);
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      field.dirty = true;
      save(form);
    });
  });

  // ---------------------------------------------------------------- leaving the step

  var banner = document.getElementById("leave-status");
  // A save takes some tens of milliseconds: only a slow one is announced, so that the buttons
  // do not jump under the pointer on every step.
  var SLOW_MS = 400;

  function showBanner(text, onLeave) {
    banner.textContent = "";
    var line = document.createElement("p");
    line.textContent = text;
    banner.append(line);
    if (onLeave) {
      var leave = document.createElement("button");
      leave.type = "button"; leave.className = "button-secondary"; leave.textContent = messages.leaveAnyway;
      leave.addEventListener("click", function () {
        // Given up on purpose: this tab does not put the text back, nor keep it.
        abandoned = true;
        var entries = readStore();
        forms.filter(unsettled).forEach(function (form) { delete entries[slot(form)]; });
        writeStore(entries);
        onLeave();
      });
      banner.append(leave);
    }
    banner.classList.toggle("waiting", !onLeave);
    banner.hidden = false;
    banner.scrollIntoView({ block: "nearest" });
  }

  /* Save every pending field, then go where the user asked last; if a save is refused, stay
   * and say so, with a button to go all the same. */
  var pendingGo = null;
  function leaveAfterSaving(go) {
    var waiting = pendingGo !== null;
    pendingGo = go;
    if (waiting) { return; }
    document.documentElement.classList.add("leaving");
    var slow = setTimeout(function () { showBanner(messages.savingBeforeLeaving, null); }, SLOW_MS);
    Promise.all(forms.filter(unsettled).map(save)).then(function (results) {
      var next = pendingGo;
      pendingGo = null;
      clearTimeout(slow);
      document.documentElement.classList.remove("leaving");
      if (results.every(Boolean) && !forms.some(unsettled) && typedRecords.size === 0) {
        banner.hidden = true;
        next();
        return;
      }
      showBanner(forms.some(unsettled) ? messages.notAllSaved : messages.recordNotAdded, next);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    typedRecords.delete(form); // submitting it is adding it
    if (passing || abandoned || form.hasAttribute("data-autosave") || !pending()) {
      return;
    }
    event.preventDefault();
    var submitter = event.submitter;
    leaveAfterSaving(function () {
      passing = true;
      try {
        if (submitter) { form.requestSubmit(submitter); } else { form.requestSubmit(); }
      } finally { passing = false; }
    });
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || event.defaultPrevented || abandoned || event.button !== 0 ||
        event.metaKey || event.ctrlKey || event.shiftKey || event.altKey ||
        (link.target && link.target !== "_self") || link.hasAttribute("download") ||
        link.getAttribute("href").charAt(0) === "#" || !pending()) {
      return;
    }
    event.preventDefault();
    leaveAfterSaving(function () { window.location.assign(link.href); });
  });

  /* The page is going away (reload, closed tab, back button): send now, without waiting for
   * what is in flight, which will each have raised the version by one when this arrives. */
  function sendBeforeExit() {
    if (abandoned) { return; }
    forms.forEach(function (form) {
      var field = fieldOf(form);
      if (field.dirty) { send(form, field.inFlight); }
    });
  }

  window.addEventListener("beforeunload", function (event) {
    sendBeforeExit();
    if (!abandoned && pending()) {
      event.preventDefault(); // the browser asks whether to leave: a save is pending or refused
      event.returnValue = "";
    }
  });
  window.addEventListener("pagehide", sendBeforeExit);
  // Out of sight (another tab, a locked screen) the page may be discarded without notice.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      forms.filter(function (form) { return fieldOf(form).dirty; }).forEach(save);
    }
  });

  /* Saves sent from this tab that this page may not show: put back what the page lacks. */
  (function restoreFromThisTab() {
    var entries = readStore();
    var here = {};
    forms.forEach(function (form) {
      here[slot(form)] = true;
      var entry = entries[slot(form)];
      if (!entry) { return; }
      var rendered = valueOf(form);
      var version = Number(versionInput(form).value);
      if (entry.saved) { // stored: this page shows it, or something newer, or was made too early
        if (version < entry.saved) {
          setValue(form, entry.value);
          versionInput(form).value = entry.saved;
          form.dataset.restored = "stored";
          setState(form, "saved", messages.saved);
        }
        delete entries[slot(form)];
        return;
      }
      if (same(form, entry.value, rendered)) { delete entries[slot(form)]; return; }
      setValue(form, entry.value);
      form.dataset.restored = "resent";
      if (version <= entry.version) {
        fieldOf(form).dirty = true; // the save had not landed when the page was made
        save(form);
      } else {
        fieldOf(form).failed = true; // someone saved since: let the user choose
        showConflict(form, { value: rendered, version: version });
      }
    });
    // Saves of other steps that were confirmed need no memory: a later page shows them.
    Object.keys(entries).forEach(function (key) {
      if (!here[key] && entries[key].saved) { delete entries[key]; }
    });
    writeStore(entries);
  })();

  // A long rail scrolls within itself: show the current step in it.
  var rail = document.querySelector(".rail");
  var currentStep = rail && rail.querySelector("li.current");
  if (currentStep && rail.scrollHeight > rail.clientHeight) {
    rail.scrollTop = currentStep.offsetTop - rail.clientHeight / 2;
  }

  // ---------------------------------------------------------------- the time box

  var timerBox = document.querySelector(".timer[data-running]");
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
