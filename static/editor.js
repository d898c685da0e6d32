// Editor pages: reload themselves when the content folder changes (server-sent events), and the
// sandbox renders as the editor types. Everything here also works without this script: pages show
// what was current when loaded, and the sandbox's Render button posts the form.
(function () {
  var sandbox = document.getElementById("sandbox-form");

  // Live reload, except on the sandbox, where a reload would lose what is being typed.
  if (window.EventSource && !sandbox) {
    var events = new EventSource("/editor/events");
    events.addEventListener("reload", function () { location.reload(); });
  }

  var source = document.getElementById("sandbox-markdown");
  if (!sandbox || !source || !window.fetch || !window.DOMParser || !window.URLSearchParams) return;
  var status = document.getElementById("sandbox-status");
  var timer = null;
  var controller = null;
  var sequence = 0;
  var shown = source.value;

  function say(text) {
    if (status && status.textContent !== text) status.textContent = text;
  }

  // Posts the form as the Render button would, and swaps in the coaching and the page from the
  // answer: the same pipeline, the same markup.
  function render() {
    var mine = ++sequence;
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    var body = new URLSearchParams(new FormData(sandbox));
    fetch(sandbox.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined
    })
      .then(function (response) {
        if (!response.ok) throw new Error("the server answered " + response.status);
        return response.text();
      })
      .then(function (html) {
        if (mine !== sequence) return;
        var page = new DOMParser().parseFromString(html, "text/html");
        ["sandbox-coaching", "sandbox-preview"].forEach(function (id) {
          var fresh = page.getElementById(id);
          var old = document.getElementById(id);
          if (fresh && old) old.replaceWith(document.importNode(fresh, true));
        });
        shown = body.get("markdown");
        say("");
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") return;
        if (mine === sequence) say("Could not update the preview (" + error.message + "): press Render.");
      });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (source.value !== shown) render();
    }, 400);
  }

  source.addEventListener("input", soon);
  sandbox.addEventListener("change", function () { clearTimeout(timer); render(); });
  sandbox.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    render();
  });
})();
