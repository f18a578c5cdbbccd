// UI text: the strings the server rendered into the page (#i18n), filled in and pluralised here.

export function strings() {
  const node = document.getElementById("i18n");
  return node ? JSON.parse(node.textContent) : {};
}

export function fmt(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, k) => String(values[k] ?? ""));
}

export function plural(forms, n, values = {}) {
  // forms: {one, other} from the server (participant_ui/strings.py `_forms`); nb, nn and en share this rule.
  return fmt(n === 1 ? forms.one : forms.other, { n, ...values });
}
