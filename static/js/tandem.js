// Small page behaviours that need no framework. Served from Tandem itself (the CSP allows no inline script).
// Every page works without them: they only fold, show and add.
document.addEventListener("DOMContentLoaded", () => {
  // Sections folded on phones (<details data-open-wide>) start open on wider screens.
  if (window.matchMedia("(min-width: 601px)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach((section) => { section.open = true; });
  }

  // Offer terms: show the fields of the chosen contract type only (hourly: rate and weekly limit;
  // fixed price: the total and the milestones).
  const types = document.querySelectorAll('input[name="contract_type"]');
  const byType = {
    hourly: ["#field-hourly_rate", "#field-weekly_limit"],
    fixed: ["#field-fixed_amount", "#milestones"],
  };
  const showType = () => {
    const chosen = Array.from(types).find((input) => input.checked);
    Object.entries(byType).forEach(([type, selectors]) => selectors.forEach((selector) => {
      const part = document.querySelector(selector);
      if (part) part.hidden = Boolean(chosen) && chosen.value !== type;
    }));
  };
  types.forEach((input) => input.addEventListener("change", showType));
  if (types.length) showType();

  // Milestone rows: add one more (up to the form's maximum), or remove one (its fields are emptied, so
  // the server drops it like any blank row).
  document.querySelectorAll("fieldset[data-formset]").forEach((fieldset) => {
    const prefix = fieldset.dataset.formset;
    const total = document.querySelector(`#id_${prefix}-TOTAL_FORMS`);
    const most = Number(document.querySelector(`#id_${prefix}-MAX_NUM_FORMS`)?.value || 20);
    const rows = fieldset.querySelector(".milestone-rows");
    const template = fieldset.querySelector("#milestone-row-template");
    const add = fieldset.querySelector("[data-add-row]");
    const wire = (row) => {
      const remove = row.querySelector("[data-remove-row]");
      remove.hidden = false;
      remove.addEventListener("click", () => {
        row.querySelectorAll("input").forEach((input) => { input.value = ""; });
        row.hidden = true;
      });
    };
    rows.querySelectorAll(".milestone-row").forEach(wire);
    if (!total || !template || !add) return;
    add.hidden = false;
    add.addEventListener("click", () => {
      const index = Number(total.value);
      if (index >= most) return;
      const html = template.innerHTML.replaceAll("__prefix__", index).replaceAll("__number__", index + 1);
      rows.insertAdjacentHTML("beforeend", html);
      total.value = index + 1;
      wire(rows.lastElementChild);
      rows.lastElementChild.querySelector("input").focus();
    });
  });
});

// Skills Uma found in the text (views/skills.py): a click adds one to the form's skills field, with a
// year ("Django:1") where the field asks for years, and takes the suggestion away.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-skill]");
  if (!button) return;
  const field = button.closest("form")?.querySelector('[name="skills"]');
  if (!field) return;
  const name = button.dataset.addSkill;
  const entry = field.dataset.skillYears ? `${name}:${field.dataset.skillYears}` : name;
  const current = field.value.trim().replace(/,$/, "");
  field.value = current ? `${current}, ${entry}` : entry;
  button.closest("li").remove();
});

// A form posted once is not posted again by a second click while the first is on its way: a
// double-click made the same job (or milestone, with its money) twice. htmx forms are left to htmx;
// the form opens again after 5 s (an answer that leaves the page, such as a download) or when the
// page comes back from the browser's history.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (event.defaultPrevented || form.method.toLowerCase() !== "post" || form.matches("[hx-post], [hx-get]")) return;
  if (form.dataset.sending) {
    event.preventDefault();
    return;
  }
  form.dataset.sending = "1";
  setTimeout(() => { delete form.dataset.sending; }, 5000);
});
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form[data-sending]").forEach((form) => { delete form.dataset.sending; });
});
