// The backlog grid in the browser: row selection, the bulk-action buttons, row details,
// the action modal, and the download an export ends in. The server does the rest.
(function () {
  "use strict";

  // Loaded once; htmx may put a fresh copy of the grid in the page (history restore),
  // so every element is looked up when it is needed.
  if (window.backlogGridLoaded) return;
  window.backlogGridLoaded = true;
  let allMatching = false;

  const byId = (id) => document.getElementById(id);
  const rowChecks = () => Array.from(document.querySelectorAll("#grid .grid-row-check"));
  const results = () => document.querySelector("#grid [data-grid-state]");
  const modal = () => bootstrap.Modal.getOrCreateInstance(byId("grid-modal"));

  function plural(count) {
    const noun = byId("grid").dataset.noun;
    return `${count.toLocaleString()} ${noun}${count === 1 ? "" : "s"}`;
  }

  // The hidden form every action sends: the grid's state, then ids or "all matching".
  function writeSelection() {
    const grid = byId("grid");
    if (!grid) return;
    const selectionForm = byId("grid-selection");
    const checked = rowChecks().filter((box) => box.checked);
    const state = results() ? results().dataset.gridState : "";
    const matching = results() ? Number(results().dataset.matching) : 0;
    selectionForm.replaceChildren();
    const field = (name, value) => {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      selectionForm.append(input);
    };
    field("state", state);
    field("selection", allMatching ? "all" : "ids");
    if (!allMatching) checked.forEach((box) => field("ids", box.value));

    const count = allMatching ? matching : checked.length;
    grid.querySelectorAll("[data-needs-selection]").forEach((button) => {
      button.disabled = count === 0;
    });
    byId("grid-selected-count").textContent = count
      ? `${plural(count)} selected`
      : "";
    showBanner(checked.length, matching);
  }

  function showBanner(checkedCount, matching) {
    const banner = byId("grid-select-all-banner");
    const pageBox = byId("grid-select-page");
    const boxes = rowChecks();
    if (!banner || !pageBox) return;
    const wholePage = boxes.length > 0 && checkedCount === boxes.length;
    pageBox.checked = wholePage;
    pageBox.indeterminate = checkedCount > 0 && !wholePage;
    banner.hidden = !(wholePage && matching > boxes.length);
    banner.querySelector("[data-page-count]").textContent = boxes.length;
    banner.querySelector("[data-when='page']").hidden = allMatching;
    banner.querySelector("[data-when='all']").hidden = !allMatching;
  }

  document.addEventListener("change", (event) => {
    const target = event.target;
    if (!target.closest("#grid")) return;
    if (target.dataset.reveals) {
      const revealed = byId(target.dataset.reveals);
      if (revealed) revealed.hidden = !target.checked;
    }
    if (target.id === "grid-select-page") {
      rowChecks().forEach((box) => (box.checked = target.checked));
      allMatching = false;
      writeSelection();
    } else if (target.classList.contains("grid-row-check")) {
      allMatching = false;
      writeSelection();
    } else if (target.id === "grid-page-size") {
      htmx.ajax("GET", target.value, { target: "#grid-results" }).then(() => {
        history.pushState({}, "", target.value);
      });
    }
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest("#grid button");
    if (!button) return;
    if (button.id === "grid-select-matching") {
      allMatching = true;
      writeSelection();
      byId("grid-clear-selection").focus();
    } else if (button.id === "grid-clear-selection") {
      allMatching = false;
      rowChecks().forEach((box) => (box.checked = false));
      writeSelection();
      byId("grid-select-page").focus();
    } else if (button.classList.contains("grid-expand")) {
      const detail = byId(button.getAttribute("aria-controls"));
      const open = button.getAttribute("aria-expanded") !== "true";
      detail.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
      button.querySelector(".bi").className = `bi bi-caret-${open ? "down" : "right"}-fill`;
    }
  });

  // A fresh page of rows starts with nothing selected.
  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (target.id === "grid-results") {
      allMatching = false;
      writeSelection();
    }
    if (target.id === "grid-modal-content") modal().show();
    // The file an action ends in (an export, a zip of PDFs) downloads by itself, once.
    const content = byId("grid-modal-content");
    if (content && content.contains(target)) {
      const download = content.querySelector("a[download]:not([data-started])");
      if (download) {
        download.dataset.started = "1";
        download.click();
      }
    }
  });

  document.addEventListener("shown.bs.modal", (event) => {
    const first = event.target.querySelector("[autofocus], .modal-body input, .modal-footer .btn-primary");
    if (first) first.focus();
  });

  document.addEventListener("grid-modal-close", () => modal().hide());

  // Something changed behind the modal (an export marked invoices): re-draw the grid.
  document.addEventListener("grid-changed", () => {
    const state = results() ? results().dataset.gridState : "";
    htmx.ajax("GET", `${byId("grid").dataset.gridUrl}?${state}`, { target: "#grid-results" });
  });

  document.addEventListener("htmx:historyRestore", () => {
    allMatching = false;
    writeSelection();
  });
  writeSelection();
})();
