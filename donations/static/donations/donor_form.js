// The donor form (donations/donor_form.html) shows the member organisation's choice only when the
// kind is "member organisation"; without scripts it shows always, and the service ignores it for
// other kinds.
(function () {
  'use strict';
  var form = document.getElementById('donor-form');
  var kind = form && form.querySelector('#id_kind');
  var choice = form && form.querySelector('[data-member-organisation]');
  if (!kind || !choice) return;
  function show() {
    choice.hidden = kind.value !== 'member_organisation';
  }
  kind.addEventListener('change', show);
  show();
})();
