// The summary of a failed form (templates/includes/error_summary.html): the focus moves to it, so
// a phone shows it and a screen reader reads it; a link moves the focus to its field, with the
// field's label in view (a bare #link would only scroll, and hide the label under the top edge).
(function () {
  'use strict';
  var summary = document.querySelector('[data-fw-error-summary]');
  if (!summary) return;
  summary.focus();
  summary.addEventListener('click', function (event) {
    var link = event.target.closest('a[href^="#"]');
    var field = link && document.getElementById(link.getAttribute('href').slice(1));
    if (!field) return;
    event.preventDefault();
    var label = document.querySelector('label[for="' + field.id + '"]');
    (label && label.offsetParent ? label : field).scrollIntoView({block: 'start'});
    field.focus({preventScroll: true});
  });
})();
