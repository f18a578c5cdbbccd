// The join page's name list: filter as you type (the GET search form does the same without JavaScript).
import { plural } from "../js/live.js";

const input = document.getElementById("name-search");
const items = [...document.querySelectorAll("#name-list li")];
const count = document.getElementById("name-count");
const none = document.getElementById("no-name-match");
const forms = { one: count.dataset.one, other: count.dataset.other };

function filter() {
  const needle = input.value.trim().toLocaleLowerCase();
  let shown = 0;
  for (const li of items) {
    const hit = !needle || li.dataset.search.includes(needle);
    li.hidden = !hit;
    if (hit) shown += 1;
  }
  count.textContent = plural(forms, shown);
  none.hidden = shown > 0;
}

input.addEventListener("input", filter);
// With the script the list filters itself; the search button stays for a keyboard's Enter.
document.getElementById("name-search-form").addEventListener("submit", (e) => { e.preventDefault(); filter(); });
filter();
