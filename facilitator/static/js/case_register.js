/* Registering a case: the identity and consent part only for the kind of case it belongs to.
 *
 * Without JavaScript the part stays visible with its hint, and the server refuses it for any
 * other kind. Here it is hidden for the other kinds, and disabled while hidden: what was typed
 * stays in the page (it is back when "with consent" is chosen again) but is not sent with a
 * fictitious or anonymous case. A part the server sent back with errors stays in view until
 * the kind is changed, so that its messages are read.
 */
(function () {
  "use strict";
  var part = document.querySelector("fieldset[data-only-for-mode]");
  if (!part) { return; }
  var form = part.closest("form");
  var radios = form.querySelectorAll("input[type=radio][name=mode]");

  function chosenMode() {
    for (var i = 0; i < radios.length; i += 1) {
      if (radios[i].checked) { return radios[i].value; }
    }
    return "";
  }

  function show(visible) {
    part.hidden = !visible;
    part.disabled = !visible;
  }

  function update() {
    show(chosenMode() === part.dataset.onlyForMode);
  }

  for (var i = 0; i < radios.length; i += 1) {
    radios[i].addEventListener("change", update);
  }
  if (!part.querySelector(".field-invalid")) { update(); }
})();
