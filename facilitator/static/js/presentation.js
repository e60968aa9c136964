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
    /* The preparation answers, in a case's presentation step only. */
    var answers = document.getElementById("p-preparation");
    answers.textContent = "";
    (state.preparation || []).forEach(function (entry) {
      var term = document.createElement("dt");
      term.textContent = entry.question;
      var answer = document.createElement("dd");
      answer.textContent = entry.answer;
      answers.appendChild(term);
      answers.appendChild(answer);
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
