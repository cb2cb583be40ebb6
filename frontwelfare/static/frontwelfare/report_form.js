// The report request form (reports/report_form.html) shows an option only for the kinds that take
// it (data-report-kinds, space-separated). A <style> per option did this with :has(), until the
// Content-Security-Policy refused inline styles.
(function () {
  'use strict';
  var form = document.querySelector('.fw-report-form');
  var kind = form && form.querySelector('#id_kind');
  if (!kind) return;
  function show() {
    form.querySelectorAll('[data-report-option]').forEach(function (option) {
      option.hidden = option.dataset.reportKinds.split(' ').indexOf(kind.value) === -1;
    });
  }
  kind.addEventListener('change', show);
  show();
})();
