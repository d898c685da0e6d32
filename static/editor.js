// Editor pages reload themselves when the content folder changes (server-sent events).
(function () {
  if (!window.EventSource) return;
  var events = new EventSource("/editor/events");
  events.addEventListener("reload", function () { location.reload(); });
})();
