// Passport details are asked only when a visa letter is requested: hide them otherwise.
// Without JavaScript they simply stay visible (the server ignores them unless the box is ticked).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-shown-by]").forEach((block) => {
    const box = document.getElementById(block.dataset.shownBy);
    if (!box) return;
    const sync = () => { block.hidden = !box.checked; };
    box.addEventListener("change", sync);
    sync();
  });
  // Review queue: one box ticks or clears every row.
  const all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", () => {
      document.querySelectorAll("input[name='selected']").forEach((box) => { box.checked = all.checked; });
    });
  }
});
