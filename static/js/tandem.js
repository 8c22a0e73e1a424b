// Small page behaviours that need no framework. Served from Tandem itself (the CSP allows no inline script).
document.addEventListener("DOMContentLoaded", () => {
  // Sections folded on phones (<details data-open-wide>) start open on wider screens.
  if (window.matchMedia("(min-width: 601px)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach((section) => { section.open = true; });
  }
});
