/* Forms that do not lose what was typed (issue 11, points 1 and 2). Included by base.html; every
   word comes from the page (templates/includes/session_guard.html), so nothing here is translated.

   1. The idle limit: 5 minutes before the session ends for idleness, a bar says so and offers
      "Stay signed in". The server is asked how much time is left before saying anything (another
      tab may have kept the session alive). When it has ended, the tab goes to the sign-in page.
   2. Drafts: what is typed in a create form (one with a one-time "submission_key") is copied to
      sessionStorage: this tab only, gone when the tab is closed. A draft belongs to the signed-in
      user: it is dropped, unseen, as soon as a page is signed in as anyone else; at sign-out; and
      once the server says its form was saved (data-saved). It is put back only into a fresh copy
      of its form (a new key), after the form was sent or the session ended: that is, after a
      sign-in that interrupted it.
   3. A form being sent has its buttons disabled, so a double tap sends it once. */
(function () {
  "use strict";

  var guard = document.getElementById("fw-session");
  if (!guard) {
    return;
  }
  var user = guard.dataset.user;
  var PREFIX = "fw-draft:";
  var KEY_FIELD = "submission_key";

  // ---- Drafts ------------------------------------------------------------------------------
  function storage() {
    try {
      return window.sessionStorage;
    } catch (error) {
      return null;  // storage refused (private mode): forms simply work without drafts
    }
  }

  function draftKeys() {
    var store = storage();
    var keys = [];
    for (var i = 0; store && i < store.length; i++) {
      if (store.key(i).indexOf(PREFIX) === 0) {
        keys.push(store.key(i));
      }
    }
    return keys;
  }

  function forget(test) {
    draftKeys().forEach(function (key) {
      var draft = JSON.parse(storage().getItem(key) || "{}");
      if (test(key, draft)) {
        storage().removeItem(key);
      }
    });
  }

  function draftKey(form) {
    return PREFIX + user + ":" + window.location.pathname + ":" + (form.id || form.getAttribute("action") || "");
  }

  function keyOf(form) {
    var field = form.elements[KEY_FIELD];
    return field ? field.value : "";
  }

  function fieldsOf(form) {
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.disabled || element.type === "file" || element.type === "password" ||
          element.type === "submit" || element.type === "button" || element.type === "hidden") {
        return;
      }
      if (element.type === "checkbox" || element.type === "radio") {
        fields.push([element.name, element.value, element.checked]);
      } else if (element.multiple) {
        fields.push([element.name, Array.prototype.filter.call(element.options, function (option) {
          return option.selected;
        }).map(function (option) { return option.value; })]);
      } else {
        fields.push([element.name, element.value]);
      }
    });
    return fields;
  }

  function save(form, state) {
    var store = storage();
    if (!store || !user) {
      return;
    }
    try {
      store.setItem(draftKey(form), JSON.stringify({user: user, key: keyOf(form), state: state,
                                                     fields: fieldsOf(form)}));
    } catch (error) { /* storage full: nothing kept */ }
  }

  function fill(form, fields) {
    var missing = 0;
    fields.forEach(function (field) {
      var elements = form.querySelectorAll("[name='" + field[0].replace(/'/g, "\\'") + "']");
      if (!elements.length) {
        missing++;
      }
      Array.prototype.forEach.call(elements, function (element) {
        if (element.type === "checkbox" || element.type === "radio") {
          if (element.value === field[1]) {
            element.checked = field[2];
          }
        } else if (element.multiple) {
          Array.prototype.forEach.call(element.options, function (option) {
            option.selected = field[1].indexOf(option.value) !== -1;
          });
        } else if (element.type !== "file") {
          element.value = field[1];
        }
      });
    });
    return missing;
  }

  function restore(form, draft) {
    // Rows added on the page (another member) come back first: the form's "add a row" button,
    // clicked until every field of the draft has its place.
    var grow = form.querySelector("[data-draft-add-row]");
    var tries = 0;
    function again() {
      var missing = fill(form, draft.fields);
      if (missing && grow && tries++ < 50) {
        document.body.addEventListener("htmx:afterSettle", again, {once: true});
        grow.click();
        return;
      }
      if (form.elements[KEY_FIELD]) {
        // The same submission as before: if it did reach the server after all, saving again
        // answers with the record it made instead of making a second one.
        form.elements[KEY_FIELD].value = draft.key;
      }
      save(form, "typing");
    }
    again();
    var note = document.getElementById("fw-draft-restored");
    if (note) {
      form.parentNode.insertBefore(note.content.cloneNode(true), form);
    }
  }

  // Drafts of the forms the server saved, and of anyone but the person signed in, go.
  var saved = (guard.dataset.saved || "").split(" ").filter(Boolean);
  forget(function (key, draft) {
    return saved.indexOf(draft.key) !== -1 || (user && draft.user !== user);
  });

  var forms = Array.prototype.filter.call(document.querySelectorAll("form[method=post]"), function (form) {
    return form.elements[KEY_FIELD] && !form.hasAttribute("hx-post");
  });
  function keepDrafts() {
    forms.forEach(function (form) {
      var draft = JSON.parse((storage() && storage().getItem(draftKey(form))) || "null");
      if (draft && draft.key !== keyOf(form) && (draft.state === "sent" || draft.state === "interrupted")) {
        restore(form, draft);
      } else if (draft && draft.key === keyOf(form)) {
        save(form, "typing");  // the form come back with the server's errors
      } else if (draft) {
        storage().removeItem(draftKey(form));  // a copy of a form left unsent: not this one
      }
      form.addEventListener("input", function () { save(form, "typing"); });
      form.addEventListener("change", function () { save(form, "typing"); });
      form.addEventListener("submit", function () { save(form, "sent"); });
    });
  }
  if (user) {
    // After htmx has set up the page: putting a draft back may click its "add a row" button.
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", keepDrafts);
    } else {
      keepDrafts();
    }
  }

  // Signing out on a shared computer leaves nothing of the forms behind.
  document.querySelectorAll("form[action$='/logout/']").forEach(function (form) {
    form.addEventListener("submit", function () { forget(function () { return true; }); });
  });

  // ---- One send per form ---------------------------------------------------------------------
  function buttons(form) {
    return form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.hasAttribute("hx-post") || form.method.toLowerCase() !== "post") {
      return;
    }
    if (form.dataset.sending) {
      event.preventDefault();  // a second tap while the first is on its way
      return;
    }
    form.dataset.sending = "1";
    // Disabled after the browser has read the form: a disabled button's name would not be sent.
    window.setTimeout(function () {
      Array.prototype.forEach.call(buttons(form), function (button) { button.disabled = true; });
      form.setAttribute("aria-busy", "true");
    }, 0);
  });
  // A form htmx sends (hx-post on the form itself, not a check made from inside one).
  function htmxForm(event) {
    var form = event.detail.elt;
    return form && form.tagName === "FORM" && form.hasAttribute("hx-post") ? form : null;
  }
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var form = htmxForm(event);
    if (form) {
      Array.prototype.forEach.call(buttons(form), function (button) { button.disabled = true; });
    }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = htmxForm(event);
    if (form) {
      Array.prototype.forEach.call(buttons(form), function (button) { button.disabled = false; });
    }
  });
  // Back to a page kept by the browser (the back button): its forms can be sent again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("form[data-sending]").forEach(function (form) {
        delete form.dataset.sending;
        form.removeAttribute("aria-busy");
        Array.prototype.forEach.call(buttons(form), function (button) { button.disabled = false; });
      });
    }
  });

  // ---- The idle limit ------------------------------------------------------------------------
  var warning = guard.querySelector("[data-testid=session-warning]");
  var ended = guard.querySelector("[data-testid=session-ended]");
  if (!user) {
    // The sign-in page the tab was sent to when the session ended: say what was typed is kept.
    // (A form sent after the end is told by the server's own message.)
    var waiting = draftKeys().some(function (key) {
      return JSON.parse(storage().getItem(key) || "{}").state === "interrupted";
    });
    guard.hidden = !waiting;
    ended.hidden = !waiting;
    return;
  }
  var idle = Number(guard.dataset.idleSeconds) * 1000;
  var warnBefore = Number(guard.dataset.warnSeconds) * 1000;
  var countdown = guard.querySelector("[data-countdown]");
  var timer = null;
  var endsAt = Date.now() + idle;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  function ask(method) {
    var headers = {"X-Requested-With": "fetch"};
    if (method === "POST") {
      headers["X-CSRFToken"] = csrfToken();
    }
    return fetch(guard.dataset.statusUrl, {method: method, headers: headers, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : {remaining: 0}; });
  }

  function schedule(remaining) {
    window.clearTimeout(timer);
    endsAt = Date.now() + remaining;
    timer = window.setTimeout(check, Math.max(0, remaining - warnBefore));
  }

  function showCountdown() {
    var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    countdown.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    if (left > 0) {
      timer = window.setTimeout(showCountdown, 1000);
    } else {
      check();
    }
  }

  function end() {
    forms.forEach(function (form) { save(form, "interrupted"); });
    guard.hidden = false;
    warning.hidden = true;
    ended.hidden = false;
    window.location.assign(guard.dataset.loginUrl + "?next=" +
                           encodeURIComponent(window.location.pathname + window.location.search));
  }

  function check() {
    ask("GET").then(function (answer) {
      var remaining = answer.remaining * 1000;
      if (remaining <= 0) {
        end();
      } else if (remaining > warnBefore) {
        guard.hidden = true;
        warning.hidden = true;
        schedule(remaining);
      } else {
        window.clearTimeout(timer);
        endsAt = Date.now() + remaining;
        guard.hidden = false;
        warning.hidden = false;
        showCountdown();
      }
    }).catch(function () {
      schedule(60 * 1000);  // offline for a moment: ask again in a minute
    });
  }

  guard.querySelector("[data-extend]").addEventListener("click", function () {
    ask("POST").then(function (answer) {
      if (answer.remaining > 0) {
        guard.hidden = true;
        warning.hidden = true;
        schedule(answer.remaining * 1000);
      } else {
        end();
      }
    });
  });
  // Requests the page makes meanwhile (htmx) may have renewed the session, or not (a report's
  // progress): the server's answer at warning time is what counts.
  schedule(idle);
})();
