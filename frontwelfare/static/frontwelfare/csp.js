// What the Content-Security-Policy keeps out of the markup (settings: CONTENT_SECURITY_POLICY).
// It refuses style="..." attributes and any script written in the page, htmx's eval'd ones
// included (hx-on, hx-vals="js:...", trigger filters in [...]). Setting a style through the DOM,
// as here, is allowed. Each runs on the page and on every fragment htmx swaps in.
(function () {
  'use strict';

  // Sizes and colours the server computes: data-fw-width="42" (a bar's width in %),
  // data-fw-rows="7" (the --fw-rows a chart's height follows), data-fw-colour="#b3121b".
  htmx.onLoad(function (root) {
    var elements = Array.from(root.querySelectorAll('[data-fw-width], [data-fw-rows], [data-fw-colour]'));
    if (root.matches && root.matches('[data-fw-width], [data-fw-rows], [data-fw-colour]')) elements.push(root);
    elements.forEach(function (element) {
      var data = element.dataset;
      if (data.fwWidth !== undefined) element.style.width = Number(data.fwWidth) + '%';
      if (data.fwRows !== undefined) element.style.setProperty('--fw-rows', Number(data.fwRows));
      if (data.fwColour !== undefined) element.style.background = data.fwColour;
    });
  });

  // An element with data-fw-poll-visible polls only while its tab is shown (in place of the
  // trigger filter [document.visibilityState === 'visible'], which htmx would have to eval).
  document.addEventListener('htmx:confirm', function (event) {
    if (event.target.hasAttribute('data-fw-poll-visible') && document.visibilityState !== 'visible') {
      event.preventDefault();
    }
  });
})();
