// The Invoice Distribution grid: account look-up as you type (`*` lists every account),
// rows added and removed, and the live Unbalanced and Undistributed amounts that decide
// whether Approve may be checked. The server checks all of it again on Update.
(function () {
  const form = document.getElementById("distribution-form");
  if (!form) return;
  const lookupUrl = form.dataset.lookup;
  const cents = (text) => {
    const cleaned = String(text).replace(/[,$\s]/g, "");
    if (cleaned === "" || isNaN(cleaned)) return null;
    return Math.round(Number(cleaned) * 100);
  };
  const shown = (c) => (c / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const total = Math.abs(cents(form.dataset.total) || 0);

  function recalc() {
    let sum = 0, debits = 0, credits = 0;
    form.querySelectorAll(".row-amount").forEach((input) => {
      const value = cents(input.value);
      if (value === null) return;
      sum += value;
      if (value > 0) debits += value; else credits -= value;
    });
    const undistributed = Math.max(total - debits, total - credits, 0);
    document.getElementById("unbalanced").textContent = shown(sum);
    document.getElementById("undistributed").textContent = shown(undistributed);
    const satisfactory = sum === 0 && undistributed === 0;
    const approve = document.getElementById("approve");
    approve.disabled = !satisfactory;
    if (!satisfactory) approve.checked = false;
    const status = document.getElementById("distribution-status");
    if (status.dataset.saved !== "Exported") {
      status.textContent = !satisfactory ? "Not Ready for Approval" : approve.checked ? "Approved" : "Ready for Approval";
    }
  }

  async function accounts(code) {
    const response = await fetch(`${lookupUrl}?code=${encodeURIComponent(code)}`, { headers: { Accept: "application/json" } });
    return response.ok ? (await response.json()).accounts : [];
  }

  function fill(row, account) {
    row.querySelector(".account-code").value = account.code;
    const name = row.querySelector(".account-name");
    name.value = account.name;
    name.classList.remove("text-danger");
    hide(row);
  }

  function hide(row) {
    const list = row.querySelector(".account-choices");
    list.classList.add("d-none");
    list.replaceChildren();
  }

  function offer(row, found) {
    const list = row.querySelector(".account-choices");
    list.replaceChildren(...found.map((account) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "list-group-item list-group-item-action small py-1 account-choice";
      button.textContent = `${account.code} — ${account.name}`;
      button.addEventListener("mousedown", (event) => { event.preventDefault(); fill(row, account); recalc(); });
      return button;
    }));
    list.classList.toggle("d-none", found.length === 0);
  }

  // Typing offers the accounts whose code begins with what is typed.
  let pending;
  form.addEventListener("input", (event) => {
    recalc();
    const input = event.target.closest(".account-code");
    if (!input) return;
    clearTimeout(pending);
    const row = input.closest("tr");
    pending = setTimeout(async () => offer(row, input.value.trim() ? await accounts(input.value.trim()) : []), 150);
  });

  // Leaving the Code cell completes it when one account matches; `*` keeps the list open.
  form.addEventListener("change", async (event) => {
    const input = event.target.closest(".account-code");
    if (!input) { recalc(); return; }
    const row = input.closest("tr");
    const code = input.value.trim();
    if (!code) { row.querySelector(".account-name").value = ""; hide(row); return; }
    const found = await accounts(code);
    if (code === "*") { offer(row, found); return; }
    const exact = found.find((a) => a.code.toUpperCase() === code.toUpperCase());
    if (exact || found.length === 1) { fill(row, exact || found[0]); return; }
    const name = row.querySelector(".account-name");
    name.value = found.length ? "Several accounts match: choose one" : "No account has this code";
    name.classList.add("text-danger");
    offer(row, found);
  });

  form.addEventListener("focusout", (event) => {
    const input = event.target.closest(".account-code");
    if (input && input.value.trim() !== "*") setTimeout(() => hide(input.closest("tr")), 200);
  });

  form.addEventListener("click", (event) => {
    if (event.target.closest("#add-row")) {
      const counter = document.getElementById("row-count");
      const index = Number(counter.value);
      const html = document.getElementById("row-template").innerHTML.replaceAll("__index__", index);
      document.querySelector("#distribution-rows tbody").insertAdjacentHTML("beforeend", html);
      counter.value = index + 1;
      document.querySelector("#distribution-rows tbody tr:last-child .account-code").focus();
    }
    const remove = event.target.closest(".remove-row");
    if (remove) { remove.closest("tr").remove(); recalc(); }
  });

  document.body.addEventListener("htmx:afterSwap", recalc);
  form.addEventListener("change", (event) => { if (event.target.id === "approve") recalc(); });
  recalc();
})();
