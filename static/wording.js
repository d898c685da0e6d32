// Keeps the reader's place when they switch wording: sends the id of the section in view with the
// "Which best describes you?" form, so the next page opens at the same section. Reading and choosing
// work without this script.
(function () {
  var form = document.getElementById("audience-choice");
  if (!form || !form.elements.section) return;
  form.addEventListener("submit", function () {
    var headings = document.querySelectorAll(".article-body h2[id], .article-body h3[id]");
    var current = "";
    for (var i = 0; i < headings.length; i++) {
      if (headings[i].getBoundingClientRect().top <= 80) current = headings[i].id;
    }
    if (!current && location.hash) current = location.hash.slice(1);
    form.elements.section.value = current;
  });
})();

// Printing shows the review details whether or not they were opened.
window.addEventListener("beforeprint", function () {
  var details = document.querySelectorAll("details.review-details");
  for (var i = 0; i < details.length; i++) details[i].open = true;
});
