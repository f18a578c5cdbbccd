// The new-conference form: the measures to evaluate belong to the follow-up templates (DK2, DK3) only.
// Hidden boxes are disabled too, so another template's conference is created without them.
const box = document.getElementById("offered-measures");
const template = document.getElementById("template");
if (box && template) {
  const evaluating = new Set(box.dataset.templates.split(" "));
  const sync = () => {
    const on = evaluating.has(template.value);
    box.hidden = !on;
    box.disabled = !on;
  };
  template.addEventListener("change", sync);
  sync();
}
