// Bayegan's own script: copy-link buttons, Jalali date checks and the date picker (vendored),
// suggestions under the search box, the text view scrolled to the first mark, drag-and-drop upload
// with progress, and "/" to jump to the search box. Served from /static: the CSP forbids inline script.
"use strict";

(function () {
  const csrf = () => document.querySelector('meta[name="csrf-token"]').content;
  const FINAL = new Set(["indexed", "failed"]);

  // --- «کپی پیوند»: the clipboard API where the page is a secure context, else a selected field.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    const field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.className = "visually-hidden";
    document.body.appendChild(field);
    field.select();
    const ok = document.execCommand("copy");
    field.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button.copy-link");
    if (!button) return;
    const url = new URL(button.dataset.url, location.href).href;
    const status = document.querySelector(".copied");
    copyText(url).then(
      () => { if (status) status.textContent = "پیوند کپی شد."; },
      () => {
        const field = document.querySelector("input.permalink");
        if (field) { field.value = url; field.select(); }
        if (status) status.textContent = "پیوند را با Ctrl+C کپی کنید.";
      });
  });

  // --- Jalali dates yyyy/mm/dd, in Persian or Latin digits.
  const toAscii = (s) => s.replace(/[۰-۹]/g, (d) => "۰۱۲۳۴۵۶۷۸۹".indexOf(d))
                          .replace(/[٠-٩]/g, (d) => "٠١٢٣٤٥٦٧٨٩".indexOf(d));
  function jalaliProblem(value) {
    const text = toAscii(value.trim());
    if (!text) return "";
    const m = /^(\d{4})[\/\-.](\d{1,2})[\/\-.](\d{1,2})$/.exec(text);
    if (!m) return "تاریخ را به شکل ۱۴۰۲/۰۷/۱۵ بنویسید.";
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const days = mo <= 6 ? 31 : 30;
    if (y < 1300 || y > 1499 || mo < 1 || mo > 12 || d < 1 || d > days) return "این تاریخ وجود ندارد.";
    return "";
  }
  document.querySelectorAll("input.jdate").forEach((input) => {
    input.addEventListener("input", () => input.setCustomValidity(jalaliProblem(input.value)));
  });

  // --- The Jalali date picker (@majidh1/jalalidatepicker, vendored by `make vendor`) on every
  // input[data-jdp]: Persian digits; the field stays typeable (the server reads any digits).
  const toPersian = (s) => s.replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)]);
  if (window.jalaliDatepicker && document.querySelector("input[data-jdp]")) {
    // The picker reads only Latin digits: give it them as it opens, then show Persian ones again.
    document.addEventListener("focusin", (event) => {
      const input = event.target;
      if (!(input instanceof HTMLInputElement) || !input.matches("input[data-jdp]")) return;
      input.value = toAscii(input.value);
      setTimeout(() => { input.value = toPersian(input.value); }, 0);
    }, true);
    window.jalaliDatepicker.startWatch({
      persianDigits: true, autoReadOnlyInput: false, showTodayBtn: true, showEmptyBtn: true,
      showCloseBtn: true, zIndex: 30,
    });
    document.querySelectorAll("input[data-jdp]").forEach((input) => {
      input.addEventListener("jdp:change", () => {
        input.value = toPersian(input.value);
        input.setCustomValidity(jalaliProblem(input.value));
      });
    });
  }

  // --- Suggestions as one types: GET /api/suggest?q=, a listbox under the box, arrows and Enter.
  const searchBox = document.getElementById("q");
  const suggestions = document.getElementById("suggestions");
  if (searchBox && suggestions && searchBox.dataset.suggest) {
    const KIND_FA = { organization: "سازمان", title: "سند", word: "واژه" };
    let items = [];
    let active = -1;
    let asked = 0;
    let timer = null;

    const close = () => {
      suggestions.hidden = true;
      suggestions.replaceChildren();
      searchBox.setAttribute("aria-expanded", "false");
      searchBox.removeAttribute("aria-activedescendant");
      items = [];
      active = -1;
    };
    const highlight = (index) => {
      active = index;
      Array.from(suggestions.children).forEach((li, i) => li.setAttribute("aria-selected", String(i === index)));
      if (index >= 0) searchBox.setAttribute("aria-activedescendant", "suggestion-" + index);
      else searchBox.removeAttribute("aria-activedescendant");
    };
    const choose = (index) => {
      const item = items[index];
      if (!item) return;
      close();
      if (item.url) {
        location.href = item.url;
      } else {
        searchBox.value = item.text;
        searchBox.form.submit();
      }
    };
    const show = (found) => {
      items = found;
      suggestions.replaceChildren();
      found.forEach((item, i) => {
        const li = document.createElement("li");
        li.id = "suggestion-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.kind = item.kind;
        const text = document.createElement("span");
        text.className = "text";
        text.textContent = item.text;
        const kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = KIND_FA[item.kind] || item.kind;
        li.append(text, kind);
        li.addEventListener("mousedown", (event) => { event.preventDefault(); choose(i); });
        suggestions.appendChild(li);
      });
      suggestions.hidden = found.length === 0;
      searchBox.setAttribute("aria-expanded", String(found.length > 0));
      active = -1;
    };
    const ask = () => {
      const typed = searchBox.value;
      const mine = ++asked;
      if (typed.trim().length < 2) { close(); return; }
      fetch(searchBox.dataset.suggest + "?q=" + encodeURIComponent(typed),
            { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
        .then((data) => { if (mine === asked) show(data.suggestions || []); })
        .catch(() => { if (mine === asked) close(); });
    };
    searchBox.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(ask, 120);
    });
    searchBox.addEventListener("keydown", (event) => {
      if (suggestions.hidden || !items.length) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    searchBox.addEventListener("blur", () => setTimeout(close, 150));
  }

  // --- A document opened from a search: its text view scrolls to the first marked word (unless the
  // link asked for a page or an anchor).
  const firstMark = document.querySelector("section.page mark");
  if (firstMark && !location.hash && !document.querySelector("section.page[autofocus]")) {
    firstMark.scrollIntoView({ block: "center" });
  }

  // --- "/" focuses the search box, as on most search sites.
  document.addEventListener("keydown", (event) => {
    const box = document.getElementById("q");
    if (event.key === "/" && box && !/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });

  // --- Upload: several files, each sent to POST /api/documents, then its status followed.
  const form = document.getElementById("upload-form");
  const list = document.getElementById("upload-list");
  if (!list) return;
  const labels = JSON.parse(list.closest("table").dataset.labels || "{}");

  function showStatus(row, data) {
    row.dataset.status = data.status;
    const state = row.querySelector(".state");
    state.className = "state state-" + data.status;
    let text = labels[data.status] || data.status;
    if (data.status === "indexed" && data.duplicate) text += " (تکراری)";
    if (data.error) text += ": " + data.error;
    state.textContent = text;
    const cell = row.querySelector(".doc");
    if (data.id && !cell.querySelector("a")) {
      const link = document.createElement("a");
      link.href = data.url || "/d/" + data.id;
      link.textContent = data.id;
      cell.appendChild(link);
    }
  }

  function follow(row) {
    const url = row.dataset.statusUrl;
    if (!url || FINAL.has(row.dataset.status)) return;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .then((data) => {
        showStatus(row, data);
        if (!FINAL.has(data.status)) setTimeout(() => follow(row), 1000);
      })
      .catch(() => setTimeout(() => follow(row), 3000));
  }

  function addRow(name) {
    const row = document.createElement("tr");
    const cells = ["", "state", "doc"].map((cls) => {
      const td = document.createElement("td");
      if (cls) td.className = cls;
      row.appendChild(td);
      return td;
    });
    cells[0].textContent = name;
    cells[0].dir = "auto";
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    cells[1].textContent = (labels.uploading || "uploading") + " ";
    cells[1].appendChild(bar);
    list.prepend(row);
    return { row, bar };
  }

  function send(file) {
    const { row, bar } = addRow(file.name);
    const data = new FormData();
    data.append("file", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.dataset.api);
    xhr.setRequestHeader("X-CSRF-Token", csrf());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
    });
    xhr.addEventListener("load", () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
      if (xhr.status === 202 && body.items && body.items.length) {
        const item = body.items[0];
        row.cells[0].textContent = item.filename;
        row.dataset.statusUrl = item.status_url;
        showStatus(row, { status: "queued" });
        follow(row);
      } else {
        showStatus(row, { status: "failed", error: body.message || String(xhr.status) });
      }
    });
    xhr.addEventListener("error", () => showStatus(row, { status: "failed", error: "ارتباط با کارساز قطع شد." }));
    xhr.send(data);
  }

  const input = document.getElementById("file");
  const zone = form.querySelector(".dropzone");
  form.addEventListener("submit", (event) => {
    if (!input.files.length) return;
    event.preventDefault();
    Array.from(input.files).forEach(send);
    form.reset();
  });
  input.addEventListener("change", () => {
    Array.from(input.files).forEach(send);
    form.reset();
  });
  ["dragenter", "dragover"].forEach((name) => zone.addEventListener(name, (e) => {
    e.preventDefault();
    zone.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((name) => zone.addEventListener(name, () => zone.classList.remove("over")));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    Array.from(e.dataTransfer.files).forEach(send);
  });
  list.querySelectorAll("tr[data-status-url]").forEach(follow);
})();
