// Live line amounts on the New invoice form: quantity × rate rounded half-up to cents,
// the lines' subtotal, and what would remain of the suggested job price after saving.
(function () {
  const form = document.getElementById("invoice-form");
  if (!form) return;
  const cents = (value) => Math.round(Number(value) * 100 + (value < 0 ? -1e-9 : 1e-9));
  const shown = (c) => (c / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const remaining = cents(document.querySelector("[data-figure=remaining]").dataset.value || 0);

  function update() {
    let subtotal = 0;
    form.querySelectorAll("tr.invoice-line").forEach((row) => {
      const quantity = row.querySelector(".line-quantity").value.replace(/,/g, "") || "1";
      const rate = row.querySelector(".line-rate").value.replace(/,/g, "");
      const amountCell = row.querySelector(".line-amount");
      if (rate === "" || isNaN(quantity) || isNaN(rate)) {
        amountCell.textContent = "";
        return;
      }
      const amount = cents(Number(quantity) * Number(rate));
      amountCell.textContent = shown(amount);
      if (!row.querySelector(".line-remove").checked) subtotal += amount;
    });
    document.getElementById("lines-subtotal").textContent = shown(subtotal);
    document.getElementById("remaining-after").textContent = shown(remaining - subtotal);
    const kind = form.querySelector("input[name=policy]").value;
    const billsPrice = !kind.startsWith("correction") && kind !== "deposit";
    document.getElementById("over-target").classList.toggle("d-none", !(billsPrice && subtotal > remaining));
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
