/* Projector view: follow the procesbegeleider's step. Shows pseudonyms only. */
(function () {
  "use strict";
  var url = document.body.dataset.stateUrl;
  var last = null;
  function render(state) {
    document.getElementById("p-title").textContent = state.title;
    document.getElementById("p-case").textContent = state.pseudonym;
    document.getElementById("p-meta").textContent = state.meta;
    var list = document.getElementById("p-prompts");
    list.textContent = "";
    state.prompts.forEach(function (prompt) {
      var item = document.createElement("li");
      item.textContent = prompt;
      list.appendChild(item);
    });
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (state && state.step !== last) { last = state.step; render(state); }
      })
      .catch(function () { /* keep showing the last step; try again on the next tick */ });
  }
  setInterval(poll, 3000);
})();
