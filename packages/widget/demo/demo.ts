/**
 * The demo page (`/`): switches the widget between the tenants and languages, and shows the
 * embed code for the chosen tenant with this host's address.
 */
const form = document.querySelector<HTMLFormElement>('#demo-options');
const tenant = document.querySelector<HTMLSelectElement>('#demo-tenant');
const language = document.querySelector<HTMLSelectElement>('#demo-language');
const widget = document.querySelector('wijkteam-zoeker');
const example = document.querySelector<HTMLElement>('#demo-example');
const snippet = document.querySelector<HTMLElement>('#demo-snippet');

function update(): void {
  if (!tenant || !language || !widget) return;
  widget.setAttribute('tenant', tenant.value);
  widget.setAttribute('lang', language.value);
  const option = tenant.selectedOptions[0];
  if (example && option) example.textContent = option.dataset.example ?? '';
  if (snippet) {
    snippet.textContent = [
      `<script type="module" src="${location.origin}/widget.js"></script>`,
      `<wijkteam-zoeker tenant="${tenant.value}"${language.value === 'en' ? ' lang="en"' : ''}></wijkteam-zoeker>`,
    ].join('\n');
  }
}

form?.addEventListener('submit', (event) => event.preventDefault());
tenant?.addEventListener('change', update);
language?.addEventListener('change', update);
update();
